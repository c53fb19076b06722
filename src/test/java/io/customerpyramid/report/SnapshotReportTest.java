package io.customerpyramid.report;

import static io.customerpyramid.report.ReportPageReading.assertSelfContained;
import static io.customerpyramid.report.ReportPageReading.cells;
import static io.customerpyramid.report.ReportPageReading.escaped;
import static io.customerpyramid.report.ReportPageReading.images;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.features.QualityRating;
import io.customerpyramid.pareto.ParetoCurve;
import io.customerpyramid.pareto.ParetoHeadline;
import io.customerpyramid.pareto.ParetoRanking;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.segmentation.SegmentProfiles;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import io.customerpyramid.tiers.TierAssignment;
import io.customerpyramid.tiers.TierSummary;
import java.awt.image.BufferedImage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The snapshot report built from the real aggregate tables of a tiny fixture: charts, figures, migrations, escaping. */
class SnapshotReportTest {

  private static final LocalDate SNAPSHOT = LocalDate.of(2024, 6, 30);
  private static final LocalDate PREVIOUS = LocalDate.of(2024, 5, 31);
  private static final String AWKWARD_NAME = "Big & <loyal> \"VIP's\"";
  private static final List<String> FEATURES = Fixtures.config().segmentation().features();

  private static final StructType CUSTOMERS;

  static {
    StructType schema =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType, false)
            .add(Columns.SEGMENT_ID, DataTypes.IntegerType, false)
            .add(Columns.QUALITY, DataTypes.StringType, false);
    for (String feature : Columns.NUMERIC_FEATURES) {
      schema = schema.add(feature, DataTypes.DoubleType, true);
    }
    CUSTOMERS = schema;
  }

  private static final StructType TIER_MIGRATIONS =
      migrationSchema(Columns.FROM_TIER, Columns.TO_TIER);
  private static final StructType LOYALTY_MIGRATIONS =
      migrationSchema(Columns.FROM_LOYALTY_STAGE, Columns.TO_LOYALTY_STAGE);

  /** The fixture's tables as the job holds them. */
  private record Tables(ParetoHeadline headline, Dataset<Row> tierSummary, Dataset<Row> curve, Dataset<Row> profiles,
      Map<String, String> tierOf, Map<String, Double> contributionOf) {}

  private static Tables tiny;

  @BeforeAll
  static void fixture() {
    SparkTestSession.get();
    // Contribution 40, 25, 15, 8, 5, 3, 2, 1, 1, -5: positive total 100, cumulative 40, 65, 80 (at c03), 88, 93, ...
    // so 80% comes from 3 of 10 customers; tiers (50/80/95): VIP c01-c02, Major c03, Ordinary c04-c06, Small c07-c10.
    double[] contribution = {40, 25, 15, 8, 5, 3, 2, 1, 1, -5};
    int[] segment = {1, 1, 1, 2, 2, 2, 2, 3, 3, 3};
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < contribution.length; i++) {
      rows.add(customer(String.format("c%02d", i + 1), segment[i], contribution[i], 10 - i, 5 + 30 * i));
    }
    tiny = tables(rows, 10, Map.of(1, AWKWARD_NAME));
  }

  private static StructType migrationSchema(String from, String to) {
    return new StructType()
        .add(Columns.PREVIOUS_SNAPSHOT_DATE, DataTypes.DateType, false)
        .add(from, DataTypes.StringType, false)
        .add(to, DataTypes.StringType, false)
        .add(Columns.CUSTOMERS, DataTypes.LongType, false)
        .add(Columns.FROM_SHARE, DataTypes.DoubleType, true)
        .add(Columns.PREVIOUS_CONTRIBUTION, Money.STORED, false)
        .add(Columns.CONTRIBUTION, Money.STORED, false);
  }

  /** A customer: revenue = 2 × contribution + 50, the other features derived from frequency and recency. */
  private static Object[] customer(String id, int segment, double contribution, double frequency, double recency) {
    Map<String, Double> f = new HashMap<>();
    double revenue = Math.max(2 * contribution + 50, 0);
    f.put(Columns.RECENCY_DAYS, recency);
    f.put(Columns.TENURE_DAYS, recency + 200);
    f.put(Columns.FREQUENCY, frequency);
    f.put(Columns.REVENUE, revenue);
    f.put(Columns.RETURNS, 0.05 * revenue);
    f.put(Columns.NET_REVENUE, 0.95 * revenue);
    f.put(Columns.AVG_ORDER_VALUE, frequency > 0 ? revenue / frequency : null);
    f.put(Columns.DISCOUNT_AMOUNT, 0.1 * revenue);
    f.put(Columns.DISCOUNT_RATE, 0.1);
    f.put(Columns.RETURN_RATE, 0.05);
    f.put(Columns.COST_OF_GOODS, 0.5 * revenue);
    f.put(Columns.SERVICE_COST, 3.0);
    f.put(Columns.CONTACT_COUNT, 1.0);
    f.put(Columns.COMPLAINT_COUNT, 0.0);
    f.put(Columns.INVOICE_COUNT, frequency);
    f.put(Columns.LATE_PAYMENT_RATE, 0.0);
    f.put(Columns.AVG_DAYS_LATE, 0.0);
    f.put(Columns.BAD_DEBT, 0.0);
    f.put(Columns.CONTRIBUTION, contribution);
    Object[] row = new Object[3 + Columns.NUMERIC_FEATURES.size()];
    row[0] = id;
    row[1] = segment;
    row[2] = contribution < 0 ? QualityRating.POOR : QualityRating.STANDARD;
    for (int i = 0; i < Columns.NUMERIC_FEATURES.size(); i++) {
      row[3 + i] = f.get(Columns.NUMERIC_FEATURES.get(i));
    }
    return row;
  }

  /** Runs the real ranking, tiers, tier summary, curve and profiles over the customers. */
  private static Tables tables(List<Object[]> rows, int curvePoints, Map<Integer, String> names) {
    Dataset<Row> customers = Fixtures.frame(CUSTOMERS, rows.toArray(Object[][]::new)).repartition(2);
    ParetoRanking.Ranked ranked = ParetoRanking.rank(customers, Columns.CONTRIBUTION);
    ParetoHeadline headline = ParetoHeadline.of(ranked, Columns.CONTRIBUTION);
    Dataset<Row> tiered = TierAssignment.withTiers(ranked.customers(), Fixtures.config().tiers()).cache();
    Map<String, String> tierOf = new LinkedHashMap<>();
    Map<String, Double> contributionOf = new LinkedHashMap<>();
    for (Row row : tiered.select(Columns.CUSTOMER_ID, Columns.TIER, Columns.CONTRIBUTION).collectAsList()) {
      tierOf.put(row.getString(0), row.getString(1));
      contributionOf.put(row.getString(0), row.getDouble(2));
    }
    return new Tables(
        headline,
        TierSummary.build(SparkTestSession.get(), tiered).cache(),
        ParetoCurve.build(SparkTestSession.get(), tiered, ranked.customerCount(), curvePoints).cache(),
        SegmentProfiles.build(customers, Fixtures.config().segmentation().features(), names, java.util.Set.of()),
        tierOf,
        contributionOf);
  }

  /**
   * The previous snapshot of the tiny fixture: customer, tier, contribution; g1 (VIP) and g2 (Small) are gone
   * since, and c06 and c09 are new.
   */
  private static final Object[][] PREVIOUS_TINY = {
    {"c01", "VIP", 35.0}, {"g1", "VIP", 30.0}, {"c02", "Major", 12.0}, {"c03", "Major", 14.0},
    {"c04", "Ordinary", 7.0}, {"c08", "Ordinary", 6.0}, {"c05", "Small", 1.0}, {"c07", "Small", 2.0},
    {"c10", "Small", -1.0}, {"g2", "Small", 0.5}
  };

  /** tier_migrations between a previous snapshot (customer, tier, contribution) and this one, grouped in plain Java. */
  private static Dataset<Row> tierMigrations(Tables t, Object[][] previous) {
    Map<String, String> previousTier = new LinkedHashMap<>();
    Map<String, Double> previousContribution = new HashMap<>();
    for (Object[] p : previous) {
      previousTier.put((String) p[0], (String) p[1]);
      previousContribution.put((String) p[0], (Double) p[2]);
    }
    Map<String, Long> fromCounts = new HashMap<>();
    previousTier.values().forEach(tier -> fromCounts.merge(tier, 1L, Long::sum));
    Map<List<String>, double[]> cells = new LinkedHashMap<>();
    List<String> everyone = new ArrayList<>(previousTier.keySet());
    t.tierOf().keySet().stream().filter(id -> !previousTier.containsKey(id)).forEach(everyone::add);
    for (String id : everyone) {
      String from = previousTier.getOrDefault(id, io.customerpyramid.migrations.Migrations.ENTERED);
      String to = t.tierOf().getOrDefault(id, io.customerpyramid.migrations.Migrations.LEFT);
      double[] cell = cells.computeIfAbsent(List.of(from, to), k -> new double[3]);
      cell[0] += 1;
      cell[1] += previousContribution.getOrDefault(id, 0.0);
      cell[2] += t.contributionOf().getOrDefault(id, 0.0);
    }
    List<Object[]> rows = new ArrayList<>();
    cells.forEach((key, cell) -> rows.add(new Object[] {
      java.sql.Date.valueOf(PREVIOUS), key.get(0), key.get(1), (long) cell[0],
      key.get(0).equals(io.customerpyramid.migrations.Migrations.ENTERED) ? null : cell[0] / fromCounts.get(key.get(0)), cell[1], cell[2]}));
    return Fixtures.frame(TIER_MIGRATIONS, rows.toArray(Object[][]::new));
  }

  private static Dataset<Row> loyaltyMigrations() {
    java.sql.Date previous = java.sql.Date.valueOf(PREVIOUS);
    return Fixtures.frame(LOYALTY_MIGRATIONS,
        new Object[] {previous, "new", "regular", 3L, 0.6, 30.0, 45.0},
        new Object[] {previous, "new", "lapsed", 2L, 0.4, 5.0, 0.0},
        new Object[] {previous, "regular", "loyal", 2L, 0.5, 40.0, 50.0},
        new Object[] {previous, "regular", "regular", 2L, 0.5, 8.0, 9.0},
        new Object[] {previous, "loyal", "loyal", 1L, 1.0, 20.0, 21.0},
        new Object[] {previous, "(new)", "new", 2L, null, 0.0, 3.0},
        new Object[] {previous, "lapsed", "(gone)", 1L, 1.0, -2.0, 0.0});
  }

  private static ReportData withMigrations() {
    return ReportData.collect(SNAPSHOT, tiny.headline(), tiny.tierSummary(), tiny.curve(), tiny.profiles(), FEATURES,
        Optional.of(tierMigrations(tiny, PREVIOUS_TINY)), Optional.of(loyaltyMigrations()), Optional.empty());
  }

  private static ReportData withoutMigrations() {
    return ReportData.collect(SNAPSHOT, tiny.headline(), tiny.tierSummary(), tiny.curve(), tiny.profiles(), FEATURES,
        Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Test
  void reportWithMigrationsEmbedsFiveChartsOfTheirSize() {
    String html = SnapshotReport.render(withMigrations());
    assertSelfContained(html);
    List<BufferedImage> images = images(html);
    // Pareto curve, tier pyramid, segments, tier migration, loyalty migration.
    assertEquals(5, images.size());
    for (int i = 0; i < 4; i++) {
      assertEquals(SnapshotReport.CHART_WIDTH, images.get(i).getWidth(), "width of chart " + i);
      assertEquals(SnapshotReport.CHART_HEIGHT, images.get(i).getHeight(), "height of chart " + i);
    }
    assertEquals(SnapshotReport.SMALL_CHART_WIDTH, images.get(4).getWidth());
    assertEquals(SnapshotReport.SMALL_CHART_HEIGHT, images.get(4).getHeight());
    assertFalse(html.contains(SnapshotReport.NO_MIGRATIONS));
    assertTrue(html.contains("From the snapshot of 2024-05-31"));
  }

  @Test
  void paretoPointIsTheHandComputedShareOfCustomers() {
    // 40 + 25 + 15 = 80 of 100: the top 3 of 10 customers.
    assertEquals(0.3, tiny.headline().customerShareForEightyPercent(), 1e-12);
    ReportData data = withMigrations();
    String html = SnapshotReport.render(data);
    assertTrue(html.contains("<strong id=\"pareto-point\">30.0%</strong> of customers make 80% of contribution."), html);
    assertTrue(html.contains("<strong>10</strong> customers"));
    assertTrue(html.contains(String.format(java.util.Locale.ROOT, "Gini %.3f", tiny.headline().gini())));
    // The curve collected is the table's: origin plus one point per customer, reaching 80% at 30% of customers.
    assertEquals(11, data.curve().size());
    assertEquals(0.0, data.curve().get(0).customerShare());
    ReportData.CurvePoint third = data.curve().get(3);
    assertEquals(0.3, third.customerShare(), 1e-9);
    assertEquals(0.8, third.cumulativeShare(), 1e-9);
  }

  @Test
  void tierPyramidShowsEveryTierTopFirstWithItsStrategy() {
    ReportData data = withMigrations();
    assertEquals(List.of("VIP", "Major", "Ordinary", "Small"), data.tiers().stream().map(ReportData.TierLine::tier).toList());
    assertEquals(List.of(2L, 1L, 3L, 4L), data.tiers().stream().map(ReportData.TierLine::customers).toList());
    String html = SnapshotReport.render(data);
    int vip = html.indexOf("<td class=\"text\"><strong>VIP</strong>");
    int small = html.indexOf("<td class=\"text\"><strong>Small</strong>");
    assertTrue(vip > 0 && small > vip, "VIP row before Small row");
    // Escaped, since the strategies hold apostrophes and semicolons.
    assertTrue(html.contains(escaped(io.customerpyramid.tiers.Tier.VIP.strategy())));
    assertTrue(html.contains(escaped(io.customerpyramid.tiers.Tier.SMALL.strategy())));
  }

  @Test
  void migrationMatrixCellsHoldTheHandComputedCounts() {
    String html = SnapshotReport.render(withMigrations());
    Map<String, Long> tiers = cells(html, "tier-migration");
    // Rows VIP, Major, Ordinary, Small, (new) × columns VIP, Major, Ordinary, Small, (gone).
    assertEquals(25, tiers.size());
    Map<String, Long> expected = new HashMap<>();
    expected.put("VIP>VIP", 1L); // c01
    expected.put("VIP>(gone)", 1L); // g1
    expected.put("Major>VIP", 1L); // c02
    expected.put("Major>Major", 1L); // c03
    expected.put("Ordinary>Ordinary", 1L); // c04
    expected.put("Ordinary>Small", 1L); // c08
    expected.put("Small>Ordinary", 1L); // c05
    expected.put("Small>Small", 2L); // c07, c10
    expected.put("Small>(gone)", 1L); // g2
    expected.put("(new)>Ordinary", 1L); // c06
    expected.put("(new)>Small", 1L); // c09
    tiers.forEach((cell, customers) -> assertEquals(expected.getOrDefault(cell, 0L), customers, "cell " + cell));
    assertTrue(html.contains("data-from=\"Small\" data-to=\"Small\""));
    assertTrue(html.contains("<td class=\"cell stay\" data-from=\"Small\" data-to=\"Small\""), "staying cells framed");
    // Share of the previous Small tier (4 customers) that stayed: 2 of 4.
    assertTrue(html.matches("(?s).*data-from=\"Small\" data-to=\"Small\"[^>]*>2<small>50\\.0% of row</small>.*"));

    Map<String, Long> loyalty = cells(html, "loyalty-migration");
    assertEquals(25, loyalty.size());
    assertEquals(3L, loyalty.get("new>regular"));
    assertEquals(2L, loyalty.get("(new)>new"));
    assertEquals(1L, loyalty.get("lapsed>(gone)"));
    assertEquals(0L, loyalty.get("loyal>lapsed"));
  }

  @Test
  void segmentNamesAndOtherTextAreEscaped() {
    ReportData data = withMigrations();
    assertEquals(AWKWARD_NAME, data.segments().get(0).name());
    assertEquals(3, data.segments().size());
    String html = SnapshotReport.render(data);
    assertFalse(html.contains("<loyal>"));
    assertFalse(html.contains(AWKWARD_NAME));
    assertTrue(html.contains("<td class=\"name\">Big &amp; &lt;loyal&gt; &quot;VIP&#39;s&quot;</td>"));
  }

  @Test
  void tierLabelsAndStrategiesFromTheConfigAreEscaped() {
    String tier = "Top <1%> & \"A's\"";
    String strategy = "Call them <b>first</b> & say \"thanks\"; it's worth it";
    ReportData.TierLine line =
        new ReportData.TierLine(tier, 1, 2, 0.2, 100, 0.5, 95, 60, 0.6, 0.6, 50.0, 30.0, 3.0, 12.5, 0, strategy);
    ReportData data = new ReportData(SNAPSHOT, tiny.headline(), List.of(line), List.of(), List.of(), List.of(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty());
    String html = SnapshotReport.render(data);
    assertFalse(html.contains(tier));
    assertFalse(html.contains("<b>"));
    assertTrue(html.contains("<td class=\"text\"><strong>Top &lt;1%&gt; &amp; &quot;A&#39;s&quot;</strong></td>"), html);
    assertTrue(html.contains("<td class=\"strategy\">Call them &lt;b&gt;first&lt;/b&gt; &amp; say &quot;thanks&quot;; it&#39;s"
        + " worth it</td>"), html);
  }

  @Test
  void segmentTableShowsSharesAndKeyFeatureMeansInTableOrder() {
    ReportData data = withMigrations();
    ReportData.Segment first = data.segments().get(0);
    assertEquals(3L, first.customers());
    assertEquals(0.3, first.customerShare(), 1e-9);
    // Segment 1: contribution 80 of 95.
    assertEquals(80.0 / 95.0, first.contributionShare(), 1e-6);
    assertEquals(Columns.NUMERIC_FEATURES, List.copyOf(first.features().keySet()));
    assertEquals(80.0 / 3, first.features().get(Columns.CONTRIBUTION).mean(), 1e-3);
    String html = SnapshotReport.render(data);
    assertTrue(html.contains("<td>84.2%</td>"), "contribution share of segment 1");
    assertTrue(html.contains(">26.67</td>"), "mean contribution of segment 1");
  }

  @Test
  void withoutPreviousSnapshotTheSentenceReplacesTheMigrations() {
    String html = SnapshotReport.render(withoutMigrations());
    assertSelfContained(html);
    assertTrue(html.contains(SnapshotReport.NO_MIGRATIONS));
    assertFalse(html.contains("data-from="), "no migration matrix");
    assertFalse(html.contains("class=\"migration\""), "no migration table");
    List<BufferedImage> images = images(html);
    assertEquals(3, images.size(), "Pareto curve, pyramid and segments only");
    images.forEach(image -> assertEquals(SnapshotReport.CHART_WIDTH, image.getWidth()));

    // An empty migration table (no earlier snapshot) reads the same as none.
    ReportData empty = ReportData.collect(SNAPSHOT, tiny.headline(), tiny.tierSummary(), tiny.curve(), tiny.profiles(), FEATURES,
        Optional.of(Fixtures.frame(TIER_MIGRATIONS)), Optional.of(Fixtures.frame(LOYALTY_MIGRATIONS)), Optional.empty());
    assertTrue(empty.tierMigrations().isEmpty());
    assertEquals(3, images(SnapshotReport.render(empty)).size());
  }

  @Test
  void collectNamesTheMissingColumn() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReportData.collect(SNAPSHOT, tiny.headline(), tiny.tierSummary().drop(TierSummary.MEASURE_SHARE), tiny.curve(),
            tiny.profiles(), FEATURES, Optional.empty(), Optional.empty(), Optional.empty()));
    assertTrue(e.getMessage().contains("column measure_share in tier_summary"), e.getMessage());
    IllegalArgumentException migration = assertThrows(IllegalArgumentException.class,
        () -> ReportData.collect(SNAPSHOT, tiny.headline(), tiny.tierSummary(), tiny.curve(), tiny.profiles(), FEATURES,
            Optional.of(loyaltyMigrations()), Optional.empty(), Optional.empty()));
    assertTrue(migration.getMessage().contains("column from_tier in tier_migrations"), migration.getMessage());
  }

  @Test
  void longCurveIsThinnedToAThousandPointsKeepingTheEnds() {
    StructType schema = ParetoCurve.SCHEMA;
    int points = 4_500;
    Object[][] rows = new Object[points + 1][];
    for (int i = 0; i <= points; i++) {
      double x = i / (double) points;
      rows[i] = new Object[] {(long) i, (long) i, x, Math.sqrt(x)};
    }
    ReportData data = ReportData.collect(SNAPSHOT, tiny.headline(), tiny.tierSummary(), Fixtures.frame(schema, rows),
        tiny.profiles(), FEATURES, Optional.empty(), Optional.empty(), Optional.empty());
    assertTrue(data.curve().size() <= ReportData.MAX_CURVE_POINTS + 1, "points kept: " + data.curve().size());
    assertTrue(data.curve().size() >= ReportData.MAX_CURVE_POINTS / 2, "points kept: " + data.curve().size());
    assertEquals(0.0, data.curve().get(0).customerShare());
    assertEquals(1.0, data.curve().get(data.curve().size() - 1).customerShare());
  }
}
