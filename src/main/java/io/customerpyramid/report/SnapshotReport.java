package io.customerpyramid.report;

import io.customerpyramid.features.LoyaltyStages;
import io.customerpyramid.report.ReportData.FeatureStats;
import io.customerpyramid.report.ReportData.Segment;
import io.customerpyramid.report.ReportData.TierLine;
import io.customerpyramid.report.SnapshotPage.FeatureCell;
import io.customerpyramid.report.SnapshotPage.Headline;
import io.customerpyramid.report.SnapshotPage.Migration;
import io.customerpyramid.report.SnapshotPage.SegmentRow;
import io.customerpyramid.report.SnapshotPage.Segments;
import io.customerpyramid.report.SnapshotPage.TierRow;
import io.customerpyramid.clv.ClvSummary;
import io.customerpyramid.clv.ModelFit;
import io.customerpyramid.clv.ParameterEstimate;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.segmentation.SegmentNames;
import io.customerpyramid.tiers.Tier;
import java.awt.Color;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One snapshot as a self-contained HTML page: the Pareto headline, the Pareto / Lorenz curve with the
 * 80/20 point, the tier pyramid, the segment profiles and the tier and loyalty migrations, each chart
 * a JFreeChart PNG embedded as a data URI, so the page needs nothing but itself. The page is the template
 * {@code snapshot-report.mustache} (see {@link HtmlTemplate}); this class assembles what it shows.
 */
public final class SnapshotReport {

  public static final int CHART_WIDTH = 900;
  public static final int CHART_HEIGHT = 500;
  /** The loyalty migration chart is smaller: four stages matter less than the tiers. */
  public static final int SMALL_CHART_WIDTH = 700;
  public static final int SMALL_CHART_HEIGHT = 380;
  /** Shown instead of the migrations when there is no earlier snapshot. */
  public static final String NO_MIGRATIONS =
      "There is no earlier snapshot to compare with: migrations start with the next snapshot.";
  /** The share of the measure the Pareto point is read at. */
  public static final double PARETO_SHARE = 0.8;

  /** Features shown per segment: value, activity and cost, the ones people ask about first. */
  static final List<String> KEY_FEATURES =
      List.of(
          Columns.RECENCY_DAYS,
          Columns.FREQUENCY,
          Columns.REVENUE,
          Columns.AVG_ORDER_VALUE,
          Columns.RETURN_RATE,
          Columns.DISCOUNT_RATE,
          Columns.SERVICE_COST,
          Columns.CONTRIBUTION);

  private static final List<String> TIER_LABELS = List.of(
      Tier.VIP.label(), Tier.MAJOR.label(), Tier.ORDINARY.label(), Tier.SMALL.label());
  private static final List<String> LOYALTY_LABELS =
      List.of(LoyaltyStages.NEW, LoyaltyStages.REGULAR, LoyaltyStages.LOYAL, LoyaltyStages.LAPSED);
  /** A segment mean this many standard deviations from all customers' gets the full shade. */
  private static final double Z_FULL_SHADE = 2.0;
  /** How many features the report names as setting a segment apart. */
  private static final int SET_APART_FEATURES = 3;
  private static final double MAX_SHADE_OPACITY = 0.6;

  private static final HtmlTemplate PAGE = HtmlTemplate.named("snapshot-report");

  private SnapshotReport() {}

  /** The page as UTF-8 bytes, for {@code TableWriter.writeFile}. */
  public static byte[] renderBytes(ReportData data) {
    return PAGE.renderBytes(page(data));
  }

  /** The whole page: headline, Pareto curve, tier pyramid, segments, migrations. */
  public static String render(ReportData data) {
    return PAGE.render(page(data));
  }

  private static SnapshotPage page(ReportData data) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    String measure = data.headline().measure().replace('_', ' ');
    return new SnapshotPage(
        data.snapshotDate().toString(),
        measure,
        headline(data),
        EmbeddedImage.png("Cumulative share of " + measure + " against share of customers, best first",
            SnapshotCharts.paretoChart(data, measure)),
        EmbeddedImage.png("Share of customers and of contribution per tier", SnapshotCharts.tierChart(data)),
        data.tiers().stream().map(SnapshotReport::tierRow).toList(),
        segments(data),
        migrations(data),
        NO_MIGRATIONS,
        data.future().map(SnapshotReport::future).orElse(null));
  }

  /** "80%": the level the Pareto point is read at. */
  static String paretoLevel() {
    return ReportFormat.percent(PARETO_SHARE, 0);
  }

  private static Headline headline(ReportData data) {
    var h = data.headline();
    return new Headline(
        h.positiveTotal() > 0 ? ReportFormat.percent(h.customerShareForEightyPercent()) : null,
        paretoLevel(),
        ReportFormat.count(h.customers()),
        ReportFormat.percent(h.topFifthShare()),
        ReportFormat.percent(h.customerShareForHalf()),
        ReportFormat.decimal(h.gini(), 3),
        ReportFormat.count(h.nonPositiveCustomers()));
  }

  private static TierRow tierRow(TierLine t) {
    return new TierRow(
        t.tier(),
        ReportFormat.count(t.customers()),
        ReportFormat.percent(t.customerShare()),
        ReportFormat.money(t.revenue()),
        ReportFormat.percent(t.revenueShare()),
        ReportFormat.money(t.contribution()),
        ReportFormat.percent(t.contributionShare()),
        ReportFormat.percent(t.measureShare()),
        ReportFormat.money(t.avgRevenue()),
        ReportFormat.money(t.avgContribution()),
        ReportFormat.decimal(t.avgFrequency(), 2),
        ReportFormat.decimal(t.avgRecencyDays(), 1),
        ReportFormat.count(t.abandonmentCandidates()),
        strategy(t));
  }

  /** The table's strategy, or the Tier enum's when the table has none. */
  private static String strategy(TierLine t) {
    if (t.strategy() != null && !t.strategy().isBlank()) {
      return t.strategy();
    }
    for (Tier tier : Tier.values()) {
      if (tier.label().equals(t.tier())) {
        return tier.strategy();
      }
    }
    return "";
  }

  /** Null when the snapshot has no segment profiles. */
  private static Segments segments(ReportData data) {
    if (data.segments().isEmpty()) {
      return null;
    }
    List<SegmentRow> rows = new ArrayList<>();
    Map<String, Double> overall = overallMeans(data.segments());
    for (Segment s : data.segments()) {
      List<FeatureCell> features = new ArrayList<>();
      for (String feature : KEY_FEATURES) {
        features.add(featureCell(s.features().get(feature)));
      }
      rows.add(new SegmentRow(s.segmentId(), s.name(), ReportFormat.count(s.customers()),
          ReportFormat.percent(s.customerShare()), ReportFormat.percent(s.revenueShare()),
          ReportFormat.money(s.contribution()), ReportFormat.percent(s.contributionShare()),
          setApart(s, data.segmentFeatures(), overall), features));
    }
    return new Segments(
        EmbeddedImage.png("Share of customers and of contribution per segment", SnapshotCharts.segmentChart(data)),
        KEY_FEATURES.size(),
        KEY_FEATURES.stream().map(feature -> feature.replace('_', ' ')).toList(),
        rows);
  }

  /**
   * The clustering features that set the segment apart most (largest |z| first, as its name reads),
   * each in words and numbers.
   */
  private static List<String> setApart(Segment segment, List<String> clusteringFeatures, Map<String, Double> overall) {
    Map<String, Double> zScores = new HashMap<>();
    segment.features().forEach((feature, stats) -> zScores.put(feature, stats.zScore()));
    FeatureStats contribution = segment.features().get(Columns.CONTRIBUTION);
    double meanContribution = contribution == null || contribution.mean() == null ? 0 : contribution.mean();
    SegmentNames.Profile profile = new SegmentNames.Profile(segment.segmentId(), meanContribution, zScores);
    List<String> lines = new ArrayList<>();
    for (SegmentNames.Distinction d : SegmentNames.distinctions(profile, clusteringFeatures)) {
      Double mean = segment.features().get(d.feature()).mean();
      if (lines.size() == SET_APART_FEATURES || mean == null || !overall.containsKey(d.feature())) {
        break;
      }
      lines.add(SegmentNames.describe(d, mean, overall.get(d.feature())));
    }
    return lines;
  }

  /** Each feature's mean over all customers: the segments' means weighted by their customers. */
  private static Map<String, Double> overallMeans(List<Segment> segments) {
    Map<String, double[]> sums = new HashMap<>();
    for (Segment s : segments) {
      s.features().forEach((feature, stats) -> {
        if (stats.mean() != null) {
          double[] sum = sums.computeIfAbsent(feature, f -> new double[2]);
          sum[0] += stats.mean() * s.customers();
          sum[1] += s.customers();
        }
      });
    }
    Map<String, Double> means = new HashMap<>();
    sums.forEach((feature, sum) -> {
      if (sum[1] > 0) {
        means.put(feature, sum[0] / sum[1]);
      }
    });
    return means;
  }

  private static FeatureCell featureCell(FeatureStats stats) {
    if (stats == null) {
      return new FeatureCell(ReportFormat.MISSING, null, "");
    }
    String mean = ReportFormat.grouped(stats.mean());
    if (stats.zScore() == null) {
      return new FeatureCell(mean, null, "");
    }
    double z = stats.zScore();
    double opacity = Math.min(Math.abs(z) / Z_FULL_SHADE, 1.0) * MAX_SHADE_OPACITY;
    Color c = z >= 0 ? SnapshotCharts.BLUE : SnapshotCharts.ORANGE;
    String shade = String.format(Locale.ROOT, "background:rgba(%d,%d,%d,%.2f)", c.getRed(), c.getGreen(), c.getBlue(), opacity);
    return new FeatureCell(mean, ReportFormat.decimal(z, 2), shade);
  }

  private static SnapshotPage.FutureView future(ReportData.Future future) {
    ClvSummary clv = future.summary();
    List<SnapshotPage.ParameterRow> parameters = new ArrayList<>();
    for (ModelFit fit : List.of(clv.model().bgNbd(), clv.model().gammaGamma())) {
      for (ParameterEstimate p : fit.parameters()) {
        parameters.add(new SnapshotPage.ParameterRow(fit.model(), p.name(), String.format(Locale.ROOT, "%.4g", p.value()),
            Double.isFinite(p.standardError()) ? String.format(Locale.ROOT, "%.2g", p.standardError()) : ReportFormat.MISSING));
      }
    }
    List<SnapshotPage.ForwardRow> rows = new ArrayList<>();
    for (String from : TIER_LABELS) {
      List<SnapshotPage.ForwardCell> cells = new ArrayList<>();
      long total = 0;
      for (String to : TIER_LABELS) {
        ClvSummary.Cell cell =
            clv.cells().stream().filter(c -> c.from().equals(from) && c.to().equals(to)).findFirst().orElse(null);
        long customers = cell == null ? 0 : cell.customers();
        total += customers;
        cells.add(new SnapshotPage.ForwardCell(
            ReportFormat.count(customers), cell == null || cell.targets() == 0 ? null : ReportFormat.count(cell.targets()),
            cell == null ? null : ReportFormat.money(cell.predictedClv()), from.equals(to)));
      }
      rows.add(new SnapshotPage.ForwardRow(from, cells, ReportFormat.count(total)));
    }
    List<String> byTier = new ArrayList<>();
    clv.targetsByTier().forEach((tier, n) -> byTier.add(tier + " " + ReportFormat.count(n)));
    String fitted = String.format(Locale.ROOT,
        "Fitted on %s customers (%s distinct (x, t_x, T)%s) and %s repeat buyers in %.1f s; time unit %s."
            + " Correlation of repeat purchases and spend per purchase among repeat buyers: %.2f (Gamma-Gamma assumes none).",
        ReportFormat.count(Math.round(clv.model().bgNbd().observations())), ReportFormat.count(clv.model().bgNbd().distinctRows()),
        clv.model().binDays() > 0 ? ", durations in " + clv.model().binDays() + "-day bins" : "",
        ReportFormat.count(Math.round(clv.model().gammaGamma().observations())), clv.model().seconds(), clv.model().timeUnit(),
        clv.model().frequencyValueCorrelation());
    SnapshotPage.Validation validation =
        future.validation()
            .map(v -> new SnapshotPage.Validation(
                ClvValidationReport.summarySentence(v),
                EmbeddedImage.png(ClvValidationReport.ALT, ClvValidationReport.chartPng(v)),
                ClvValidationReport.rows(v)))
            .orElse(null);
    return new SnapshotPage.FutureView(
        clv.horizon(), parameters, fitted, clv.lapsedRule(), clv.abandonmentRule(), TIER_LABELS, rows,
        ReportFormat.count(clv.targets()), byTier.isEmpty() ? null : String.join(", ", byTier), ReportFormat.count(clv.vipTodayNotTomorrow()), validation);
  }

  /** Empty when neither migration table has rows: the page then says so once. */
  private static List<Migration> migrations(ReportData data) {
    if (data.tierMigrations().isEmpty() && data.loyaltyMigrations().isEmpty()) {
      return List.of();
    }
    List<Migration> migrations = new ArrayList<>(List.of(
        MigrationMatrix.of("Tier migration", "tier", data.tierMigrations(), TIER_LABELS, CHART_WIDTH, CHART_HEIGHT),
        MigrationMatrix.of("Loyalty stage migration", "loyalty", data.loyaltyMigrations(), LOYALTY_LABELS,
            SMALL_CHART_WIDTH, SMALL_CHART_HEIGHT)));
    // Written by runs since segment ids are matched between snapshots; an older report's data has none.
    data.segmentMigrations().ifPresent(m ->
        migrations.add(MigrationMatrix.of("Segment migration (ids matched by centre)", "segment", Optional.of(m),
            segmentLabels(m), CHART_WIDTH, CHART_HEIGHT)));
    return migrations;
  }

  /** The segment ids of a migration matrix, in numeric order. */
  private static List<String> segmentLabels(ReportData.Migrations m) {
    return m.cells().stream()
        .flatMap(c -> java.util.stream.Stream.of(c.from(), c.to()))
        .filter(label -> label != null && label.matches("[0-9]+"))
        .distinct()
        .sorted(java.util.Comparator.comparingInt(Integer::parseInt))
        .toList();
  }
}
