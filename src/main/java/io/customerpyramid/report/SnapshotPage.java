package io.customerpyramid.report;

import java.util.List;

/**
 * What the template {@code snapshot-report.mustache} shows, every figure already formatted by {@link ReportFormat};
 * the template escapes the text.
 *
 * @param segments null when the snapshot has no segment profiles
 * @param migrations empty when there is no earlier snapshot at all
 * @param noMigrations the sentence shown instead of a missing migration matrix
 * @param future the future view, null without clv.enabled
 */
record SnapshotPage(
    String date,
    String measure,
    Headline headline,
    EmbeddedImage paretoChart,
    EmbeddedImage tierChart,
    List<TierRow> tiers,
    Segments segments,
    List<Migration> migrations,
    String noMigrations,
    FutureView future) {

  /** The future view (null without clv.enabled). */
  record FutureView(
      String horizon,
      List<ParameterRow> parameters,
      String fitted,
      String lapsedRule,
      String abandonmentRule,
      List<String> forwardTiers,
      List<ForwardRow> matrix,
      String targets,
      String targetsByTier,
      String vipTodayNotTomorrow,
      Validation validation) {}

  /** One fitted parameter. */
  record ParameterRow(String model, String parameter, String value, String standardError) {}

  /** Today's tier and where its customers are in the forward pyramid. */
  record ForwardRow(String from, List<ForwardCell> cells, String total) {}

  /** Customers, development targets and predicted CLV of one (today, forward) pair. */
  record ForwardCell(String customers, String targets, String predictedClv, boolean stay) {}

  /** validate-clv's check of the same snapshot (null when none was written). */
  record Validation(String sentence, EmbeddedImage chart, List<ClvValidationReport.Row> rows) {}

  /** The Pareto headline; paretoPoint is null when no customer has a positive measure. */
  record Headline(
      String paretoPoint,
      String paretoLevel,
      String customers,
      String topFifthShare,
      String halfShare,
      String gini,
      String nonPositiveCustomers) {}

  /** One line of the tier table. */
  record TierRow(
      String tier,
      String customers,
      String customerShare,
      String revenue,
      String revenueShare,
      String contribution,
      String contributionShare,
      String measureShare,
      String avgRevenue,
      String avgContribution,
      String avgFrequency,
      String avgRecencyDays,
      String abandonmentCandidates,
      String strategy) {}

  /** The segment chart and table; features are the column headings of the key features. */
  record Segments(EmbeddedImage chart, int featureCount, List<String> features, List<SegmentRow> rows) {}

  /** One segment: its shares, what sets it apart (a line per feature) and the mean of each key feature. */
  record SegmentRow(
      int segmentId,
      String name,
      String customers,
      String customerShare,
      String revenueShare,
      String contribution,
      String contributionShare,
      List<String> setApart,
      List<FeatureCell> features) {}

  /** A feature's mean, shaded by its z-score (zScore null and shade empty when there is none). */
  record FeatureCell(String mean, String zScore, String shade) {}

  /** A migration heading with its matrix, or without one (matrix null) when that table is empty. */
  record Migration(String title, MigrationTable matrix) {}

  /** A migration matrix: rows "from" the previous snapshot, columns "to" this one, with totals. */
  record MigrationTable(
      String id,
      String previousSnapshotDate,
      EmbeddedImage chart,
      List<String> to,
      List<MigrationRow> rows,
      List<String> columnTotals,
      String total) {}

  /** The customers of one "from" group by where they went, and their total. */
  record MigrationRow(String from, List<MigrationCellView> cells, String total) {}

  /**
   * One cell of the matrix; stay frames the diagonal.
   *
   * @param rowShare the share of the row, null when unknown or when no customer moved this way
   * @param change contribution then and now, null when no customer moved this way
   */
  record MigrationCellView(
      String from, String to, boolean stay, String shade, String customers, String rowShare, Change change) {}

  /** Contribution of a cell's customers in the previous snapshot and in this one. */
  record Change(String then, String now) {}
}
