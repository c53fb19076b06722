package io.customerpyramid.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.customerpyramid.pareto.ParetoHeadline;
import io.customerpyramid.clv.ClvSummary;
import io.customerpyramid.clv.HoldoutValidation;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.tiers.TierSummary;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a snapshot report shows, collected on the driver from the small aggregate tables only
 * (tier_summary, pareto_curve, segment_profiles and the migration tables), never from per-customer rows.
 *
 * @param snapshotDate the snapshot the report describes
 * @param headline the run's Pareto headline (customers, the 80/20 point, Gini)
 * @param tiers the tier_summary rows, VIP first
 * @param curve the pareto_curve points, origin first, at most {@link #MAX_CURVE_POINTS} + 1
 * @param segments the segment_profiles rows folded back to one entry per segment, by segment id
 * @param segmentFeatures the clustering features: what the report says sets each segment apart is among them
 * @param tierMigrations tier_migrations, empty when there is no earlier snapshot
 * @param loyaltyMigrations loyalty_migrations, empty when there is no earlier snapshot
 * @param segmentMigrations segment_migrations, empty when there is no earlier snapshot
 * @param future the future view, empty without clv.enabled
 */
public record ReportData(
    LocalDate snapshotDate,
    ParetoHeadline headline,
    List<TierLine> tiers,
    List<CurvePoint> curve,
    List<Segment> segments,
    List<String> segmentFeatures,
    Optional<Migrations> tierMigrations,
    Optional<Migrations> loyaltyMigrations,
    Optional<Migrations> segmentMigrations,
    Optional<Future> future) {

  /**
   * The future view of a run with clv.enabled, and the holdout check of the same snapshot when
   * validate-clv has written one.
   */
  public record Future(ClvSummary summary, Optional<HoldoutValidation.Comparison> validation) {}

  /** The same data with the future view. */
  public ReportData withFuture(Optional<Future> view) {
    return new ReportData(
        snapshotDate, headline, tiers, curve, segments, segmentFeatures, tierMigrations, loyaltyMigrations, segmentMigrations,
        view);
  }

  /** The curve is thinned to about this many points: a chart needs no more. */
  public static final int MAX_CURVE_POINTS = 1000;
  /** A table above this many rows is not an aggregate: collecting it is refused. */
  public static final int MAX_AGGREGATE_ROWS = 10_000;

  public ReportData {
    tiers = List.copyOf(tiers);
    curve = List.copyOf(curve);
    segments = List.copyOf(segments);
  }

  /** One tier_summary row; the averages are null for an empty tier. */
  public record TierLine(
      String tier,
      int tierRank,
      long customers,
      double customerShare,
      double revenue,
      double revenueShare,
      double netRevenue,
      double contribution,
      double contributionShare,
      double measureShare,
      Double avgRevenue,
      Double avgContribution,
      Double avgFrequency,
      Double avgRecencyDays,
      long abandonmentCandidates,
      String strategy) {}

  /** One point of the Pareto / Lorenz curve. */
  public record CurvePoint(double customerShare, double cumulativeShare) {}

  /** A feature's mean, median and z-score in one segment; each null when the table has none. */
  public record FeatureStats(Double mean, Double median, Double zScore) {}

  /** One segment; shares are null when their total is 0. Features keep the table's order. */
  public record Segment(
      int segmentId,
      String name,
      long customers,
      Double customerShare,
      double revenue,
      Double revenueShare,
      double contribution,
      Double contributionShare,
      Map<String, FeatureStats> features) {}

  /** One cell of a migration matrix: the customers that moved from one group to another. */
  public record MigrationCell(
      String from, String to, long customers, Double fromShare, double previousContribution, double contribution) {}

  /** A migration matrix against the previous snapshot. */
  public record Migrations(LocalDate previousSnapshotDate, List<MigrationCell> cells) {
    public Migrations {
      cells = List.copyOf(cells);
    }
  }

  /**
   * Collects the report's data from the tables as the job holds them (table columns, without snapshot_date).
   *
   * @param segmentFeatures the features the segments were clustered on
   * @param tierMigrations tier_migrations, or empty when there is no earlier snapshot
   * @param loyaltyMigrations loyalty_migrations, or empty when there is no earlier snapshot
   * @param segmentMigrations segment_migrations, or empty when there is no earlier snapshot
   */
  public static ReportData collect(
      LocalDate snapshotDate,
      ParetoHeadline headline,
      Dataset<Row> tierSummary,
      Dataset<Row> paretoCurve,
      Dataset<Row> segmentProfiles,
      List<String> segmentFeatures,
      Optional<Dataset<Row>> tierMigrations,
      Optional<Dataset<Row>> loyaltyMigrations,
      Optional<Dataset<Row>> segmentMigrations) {
    return new ReportData(
        snapshotDate,
        headline,
        tierLines(tierSummary),
        curvePoints(paretoCurve),
        segments(segmentProfiles),
        List.copyOf(segmentFeatures),
        tierMigrations.flatMap(m -> migrations(m, "tier_migrations", Columns.FROM_TIER, Columns.TO_TIER)),
        loyaltyMigrations.flatMap(
            m -> migrations(m, "loyalty_migrations", Columns.FROM_LOYALTY_STAGE, Columns.TO_LOYALTY_STAGE)),
        segmentMigrations.flatMap(m -> migrations(m, "segment_migrations", Columns.FROM_SEGMENT, Columns.TO_SEGMENT)),
        Optional.empty());
  }

  private static List<TierLine> tierLines(Dataset<Row> tierSummary) {
    String table = "tier_summary";
    requireColumns(tierSummary, table, Columns.TIER, Columns.TIER_RANK, Columns.CUSTOMERS, Columns.CUSTOMER_SHARE,
        Columns.REVENUE, Columns.REVENUE_SHARE, Columns.NET_REVENUE, Columns.CONTRIBUTION, Columns.CONTRIBUTION_SHARE,
        TierSummary.MEASURE_SHARE, TierSummary.AVG_REVENUE, TierSummary.AVG_CONTRIBUTION, TierSummary.AVG_FREQUENCY,
        TierSummary.AVG_RECENCY_DAYS, TierSummary.ABANDONMENT_CANDIDATES, Columns.TIER_STRATEGY);
    List<TierLine> lines = new ArrayList<>();
    for (Row row : collectSmall(tierSummary.orderBy(Columns.TIER_RANK), table)) {
      lines.add(
          new TierLine(
              row.getAs(Columns.TIER),
              ((Number) row.getAs(Columns.TIER_RANK)).intValue(),
              longOf(row, Columns.CUSTOMERS),
              doubleOf(row, Columns.CUSTOMER_SHARE),
              doubleOf(row, Columns.REVENUE),
              doubleOf(row, Columns.REVENUE_SHARE),
              doubleOf(row, Columns.NET_REVENUE),
              doubleOf(row, Columns.CONTRIBUTION),
              doubleOf(row, Columns.CONTRIBUTION_SHARE),
              doubleOf(row, TierSummary.MEASURE_SHARE),
              nullableDouble(row, TierSummary.AVG_REVENUE),
              nullableDouble(row, TierSummary.AVG_CONTRIBUTION),
              nullableDouble(row, TierSummary.AVG_FREQUENCY),
              nullableDouble(row, TierSummary.AVG_RECENCY_DAYS),
              longOf(row, TierSummary.ABANDONMENT_CANDIDATES),
              row.getAs(Columns.TIER_STRATEGY)));
    }
    return lines;
  }

  /** The curve ordered by point; above {@link #MAX_CURVE_POINTS} points every step-th is kept, and the last. */
  private static List<CurvePoint> curvePoints(Dataset<Row> paretoCurve) {
    String table = "pareto_curve";
    requireColumns(paretoCurve, table, Columns.POINT, Columns.CUSTOMER_SHARE, Columns.CUMULATIVE_SHARE);
    Row size = paretoCurve.agg(count(lit(1)), max(col(Columns.POINT))).first();
    long points = size.getLong(0);
    Dataset<Row> kept = paretoCurve;
    if (points > MAX_CURVE_POINTS + 1) {
      long step = (long) Math.ceil((points - 1) / (double) MAX_CURVE_POINTS);
      long last = ((Number) size.get(1)).longValue();
      kept = paretoCurve.filter(col(Columns.POINT).mod(step).equalTo(0).or(col(Columns.POINT).equalTo(last)));
    }
    List<CurvePoint> curve = new ArrayList<>();
    for (Row row : collectSmall(kept.orderBy(Columns.POINT), table)) {
      curve.add(new CurvePoint(doubleOf(row, Columns.CUSTOMER_SHARE), doubleOf(row, Columns.CUMULATIVE_SHARE)));
    }
    return curve;
  }

  /** segment_profiles is one row per (segment, feature): folded back to one entry per segment. */
  private static List<Segment> segments(Dataset<Row> segmentProfiles) {
    String table = "segment_profiles";
    requireColumns(segmentProfiles, table, Columns.SEGMENT_ID, Columns.SEGMENT_NAME, Columns.CUSTOMERS,
        Columns.CUSTOMER_SHARE, Columns.REVENUE, Columns.REVENUE_SHARE, Columns.CONTRIBUTION, Columns.CONTRIBUTION_SHARE,
        Columns.FEATURE, Columns.MEAN, Columns.MEDIAN, Columns.Z_SCORE);
    Map<Integer, Row> firstRow = new LinkedHashMap<>();
    Map<Integer, Map<String, FeatureStats>> features = new LinkedHashMap<>();
    List<Row> rows = collectSmall(segmentProfiles.orderBy(Columns.SEGMENT_ID), table);
    for (Row row : rows) {
      int id = ((Number) row.getAs(Columns.SEGMENT_ID)).intValue();
      firstRow.putIfAbsent(id, row);
      features
          .computeIfAbsent(id, s -> new LinkedHashMap<>())
          .put(row.getAs(Columns.FEATURE), new FeatureStats(
              nullableDouble(row, Columns.MEAN), nullableDouble(row, Columns.MEDIAN), nullableDouble(row, Columns.Z_SCORE)));
    }
    // Sorting by segment id leaves each segment's features in any order: back to the table's (Columns.NUMERIC_FEATURES).
    List<Segment> segments = new ArrayList<>();
    for (Map.Entry<Integer, Row> entry : firstRow.entrySet()) {
      Row row = entry.getValue();
      segments.add(
          new Segment(
              entry.getKey(),
              row.getAs(Columns.SEGMENT_NAME),
              longOf(row, Columns.CUSTOMERS),
              nullableDouble(row, Columns.CUSTOMER_SHARE),
              doubleOf(row, Columns.REVENUE),
              nullableDouble(row, Columns.REVENUE_SHARE),
              doubleOf(row, Columns.CONTRIBUTION),
              nullableDouble(row, Columns.CONTRIBUTION_SHARE),
              inFeatureOrder(features.get(entry.getKey()))));
    }
    return segments;
  }

  private static Map<String, FeatureStats> inFeatureOrder(Map<String, FeatureStats> stats) {
    Map<String, FeatureStats> ordered = new LinkedHashMap<>();
    for (String feature : Columns.NUMERIC_FEATURES) {
      if (stats.containsKey(feature)) {
        ordered.put(feature, stats.get(feature));
      }
    }
    stats.forEach(ordered::putIfAbsent);
    return Collections.unmodifiableMap(ordered);
  }

  /** Empty when the table has no rows (no earlier snapshot to compare with). */
  private static Optional<Migrations> migrations(Dataset<Row> table, String name, String fromColumn, String toColumn) {
    requireColumns(table, name, Columns.PREVIOUS_SNAPSHOT_DATE, fromColumn, toColumn, Columns.CUSTOMERS,
        Columns.FROM_SHARE, Columns.PREVIOUS_CONTRIBUTION, Columns.CONTRIBUTION);
    List<Row> rows = collectSmall(table, name);
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    List<MigrationCell> cells = new ArrayList<>();
    LocalDate previous = null;
    for (Row row : rows) {
      Object date = row.getAs(Columns.PREVIOUS_SNAPSHOT_DATE);
      if (previous == null && date != null) {
        previous = date instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) date;
      }
      cells.add(
          new MigrationCell(
              row.getAs(fromColumn),
              row.getAs(toColumn),
              longOf(row, Columns.CUSTOMERS),
              nullableDouble(row, Columns.FROM_SHARE),
              doubleOf(row, Columns.PREVIOUS_CONTRIBUTION),
              doubleOf(row, Columns.CONTRIBUTION)));
    }
    return Optional.of(new Migrations(previous, cells));
  }

  /** The rows of a small table; refuses one too large to be an aggregate. */
  private static List<Row> collectSmall(Dataset<Row> table, String name) {
    List<Row> rows = table.limit(MAX_AGGREGATE_ROWS + 1).collectAsList();
    if (rows.size() > MAX_AGGREGATE_ROWS) {
      throw new IllegalArgumentException(
          "The report collects small aggregate tables only, but " + name + " has more than " + MAX_AGGREGATE_ROWS + " rows");
    }
    return rows;
  }

  private static void requireColumns(Dataset<Row> table, String name, String... columns) {
    List<String> present = Arrays.asList(table.columns());
    for (String column : columns) {
      if (!present.contains(column)) {
        throw new IllegalArgumentException(
            "The report needs column " + column + " in " + name + ", which has only " + present);
      }
    }
  }

  private static Double nullableDouble(Row row, String column) {
    Object value = row.getAs(column);
    return value == null ? null : ((Number) value).doubleValue();
  }

  private static double doubleOf(Row row, String column) {
    Double value = nullableDouble(row, column);
    return value == null ? 0.0 : value;
  }

  private static long longOf(Row row, String column) {
    Object value = row.getAs(column);
    return value == null ? 0L : ((Number) value).longValue();
  }
}
