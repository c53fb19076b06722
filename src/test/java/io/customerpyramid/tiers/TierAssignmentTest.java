package io.customerpyramid.tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.features.QualityRating;
import io.customerpyramid.pareto.ParetoRanking;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tier cuts in both modes on Pareto-ranked fixtures, abandonment candidates, and the tier_summary table. */
class TierAssignmentTest {

  private static final double EPS = 1e-9;
  /** tier_summary rounds shares to 6 decimals. */
  private static final double SHARE_EPS = 1e-5;

  private static final StructType SCHEMA =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType, false)
          .add(Columns.REVENUE, DataTypes.DoubleType, false)
          .add(Columns.NET_REVENUE, DataTypes.DoubleType, false)
          .add(Columns.CONTRIBUTION, DataTypes.DoubleType, false)
          .add(Columns.FREQUENCY, DataTypes.LongType, false)
          .add(Columns.RECENCY_DAYS, DataTypes.IntegerType, false)
          .add(Columns.QUALITY, DataTypes.StringType, false);

  @BeforeAll
  static void session() {
    SparkTestSession.get();
  }

  /** A customer row: revenue = net revenue + 10, frequency 3, recency 30. */
  private static Object[] customer(String id, double netRevenue, double contribution, String quality) {
    return new Object[] {id, netRevenue + 10, netRevenue, contribution, 3L, 30, quality};
  }

  /** Customers whose contribution (and net revenue) is the given measure, quality standard, ids c1, c2, ... */
  private static Object[][] byContribution(double... measures) {
    Object[][] rows = new Object[measures.length][];
    for (int i = 0; i < measures.length; i++) {
      rows[i] = customer("c" + (i + 1), measures[i], measures[i], QualityRating.STANDARD);
    }
    return rows;
  }

  private static Dataset<Row> tiered(String measure, JobConfig.Tiers tiers, Object[]... rows) {
    Dataset<Row> customers = Fixtures.frame(SCHEMA, rows).repartition(3);
    ParetoRanking.Ranked ranked = ParetoRanking.rank(customers, measure);
    return TierAssignment.withTiers(ranked.customers(), tiers).cache();
  }

  private static Map<String, Row> tiersById(JobConfig.Tiers tiers, Object[]... rows) {
    return Fixtures.byKey(tiered(Columns.CONTRIBUTION, tiers, rows), Columns.CUSTOMER_ID);
  }

  private static JobConfig.Tiers cumulativeShare() {
    return Fixtures.config().tiers();
  }

  private static JobConfig.Tiers rankPercentile(String thresholds) {
    return Fixtures.config("tiers.mode=rank-percentile", "tiers.rank_percentile_thresholds=" + thresholds).tiers();
  }

  private static String tierOf(Map<String, Row> rows, String id) {
    Row row = rows.get(id);
    assertNotNull(row, "row of " + id);
    return row.getAs(Columns.TIER);
  }

  /** tier_rank and tier_strategy are those of the Tier enum constant whose label is tier. */
  private static void assertTierColumnsMatchEnum(Dataset<Row> tiered) {
    for (Row row : tiered.collectAsList()) {
      String label = row.getAs(Columns.TIER);
      Tier tier = List.of(Tier.values()).stream().filter(t -> t.label().equals(label)).findFirst().orElseThrow();
      assertEquals(tier.rank(), row.<Integer>getAs(Columns.TIER_RANK), "tier_rank of " + row);
      assertEquals(tier.strategy(), row.<String>getAs(Columns.TIER_STRATEGY), "tier_strategy of " + row);
    }
  }

  @Test
  void defaultsAreCumulativeShareWithThresholdsHalfEightyNinetyFive() {
    JobConfig.Tiers tiers = cumulativeShare();
    assertEquals(JobConfig.TierMode.CUMULATIVE_SHARE, tiers.mode());
    assertEquals(List.of(0.50, 0.80, 0.95), tiers.thresholds());
    assertEquals(List.of(0.01, 0.05, 0.20), rankPercentile("[0.01,0.05,0.20]").thresholds());
  }

  @Test
  void thresholdsReachedExactlyCloseEachTierAtThatCustomer() {
    // Total 100: c1 alone produces exactly 50%, c1+c2 exactly 80%, c1..c3 exactly 95%.
    Map<String, Row> rows = tiersById(cumulativeShare(), byContribution(50, 30, 15, 5));
    assertEquals("VIP", tierOf(rows, "c1"));
    assertEquals("Major", tierOf(rows, "c2"));
    assertEquals("Ordinary", tierOf(rows, "c3"));
    assertEquals("Small", tierOf(rows, "c4"));
  }

  @Test
  void customerInsideWhichAThresholdFallsBelongsToTheUpperTier() {
    // Cumulative 0.4, 0.7, 0.9, 1.0: 50% is crossed inside c2, 80% inside c3, 95% inside c4.
    Map<String, Row> rows = tiersById(cumulativeShare(), byContribution(40, 30, 20, 10));
    assertEquals("VIP", tierOf(rows, "c1"));
    assertEquals("VIP", tierOf(rows, "c2"));
    assertEquals("Major", tierOf(rows, "c3"));
    assertEquals("Ordinary", tierOf(rows, "c4"));
  }

  @Test
  void tierRankAndStrategyMatchTheTierEnum() {
    Dataset<Row> tiered = tiered(Columns.CONTRIBUTION, cumulativeShare(), byContribution(50, 30, 15, 5, 0, -3));
    assertTierColumnsMatchEnum(tiered);
    Map<String, Row> rows = Fixtures.byKey(tiered, Columns.CUSTOMER_ID);
    assertEquals(1, rows.get("c1").<Integer>getAs(Columns.TIER_RANK));
    assertEquals(Tier.VIP.strategy(), rows.get("c1").getAs(Columns.TIER_STRATEGY));
    assertEquals(2, rows.get("c2").<Integer>getAs(Columns.TIER_RANK));
    assertEquals(3, rows.get("c3").<Integer>getAs(Columns.TIER_RANK));
    assertEquals(4, rows.get("c6").<Integer>getAs(Columns.TIER_RANK));
    assertEquals(Tier.SMALL.strategy(), rows.get("c6").getAs(Columns.TIER_STRATEGY));
    assertEquals("Major", Tier.MAJOR.label());
    assertEquals("Ordinary", Tier.ORDINARY.label());
    assertEquals("Small", Tier.SMALL.label());
  }

  @Test
  void customersWithoutPositiveMeasureAreSmallInCumulativeShareMode() {
    // No positive measure at all: every share before is 0, which alone would mean VIP.
    Map<String, Row> rows = tiersById(cumulativeShare(), byContribution(0, -5, -20));
    for (String id : List.of("c1", "c2", "c3")) {
      assertEquals("Small", tierOf(rows, id), "tier of " + id);
    }
    Map<String, Row> mixed = tiersById(cumulativeShare(), byContribution(60, 0, -1));
    assertEquals("VIP", tierOf(mixed, "c1"));
    assertEquals("Small", tierOf(mixed, "c2"));
    assertEquals("Small", tierOf(mixed, "c3"));
  }

  @Test
  void customersWithoutPositiveMeasureAreSmallInRankPercentileModeWhateverTheirRank() {
    // Ten customers, three positive: by rank alone c4..c6 would be Ordinary (percentile <= 0.6).
    Map<String, Row> rows =
        tiersById(rankPercentile("[0.1,0.3,0.6]"), byContribution(30, 20, 10, 0, 0, -1, -2, -3, -4, -5));
    assertEquals("VIP", tierOf(rows, "c1"));
    assertEquals("Major", tierOf(rows, "c2"));
    assertEquals("Major", tierOf(rows, "c3"));
    for (int i = 4; i <= 10; i++) {
      assertEquals("Small", tierOf(rows, "c" + i), "tier of c" + i);
    }
  }

  @Test
  void rankPercentileModeCutsOneHundredCustomersByRank() {
    double[] measures = new double[100];
    for (int i = 0; i < 100; i++) {
      measures[i] = 100 - i; // c1 = 100 (rank 1) ... c100 = 1 (rank 100)
    }
    Dataset<Row> tiered = tiered(Columns.CONTRIBUTION, rankPercentile("[0.01,0.05,0.20]"), byContribution(measures));
    Map<String, Row> rows = Fixtures.byKey(tiered, Columns.CUSTOMER_ID);
    for (int rank = 1; rank <= 100; rank++) {
      Row row = rows.get("c" + rank);
      assertEquals((long) rank, row.<Long>getAs(Columns.PARETO_RANK));
      String expected = rank == 1 ? "VIP" : rank <= 5 ? "Major" : rank <= 20 ? "Ordinary" : "Small";
      assertEquals(expected, row.<String>getAs(Columns.TIER), "tier of rank " + rank);
    }
    assertTierColumnsMatchEnum(tiered);
  }

  @Test
  void randomCustomersGetTheSmallestTopSetsReachingEachThreshold() {
    Random random = new Random(7);
    int n = 500;
    Object[][] rows = new Object[n][];
    List<double[]> measureById = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double m =
          random.nextInt(5) == 0
              ? -random.nextInt(50)
              : Math.round(Math.exp(random.nextGaussian() * 1.3 + 3) * 100) / 100.0;
      rows[i] = customer("r" + i, m, m, QualityRating.STANDARD);
      measureById.add(new double[] {i, m});
    }
    List<Row> tiered = new ArrayList<>(tiered(Columns.CONTRIBUTION, cumulativeShare(), rows).collectAsList());
    tiered.sort(Comparator.comparingLong(r -> r.<Long>getAs(Columns.PARETO_RANK)));
    double total = measureById.stream().mapToDouble(x -> Math.max(x[1], 0)).sum();
    // Brute force: walk the ranking; a customer belongs to the first tier whose threshold
    // the customers above it have not reached yet.
    double[] thresholds = {0.5, 0.8, 0.95};
    String[] labels = {"VIP", "Major", "Ordinary"};
    double running = 0;
    int[] counts = new int[4];
    for (Row row : tiered) {
      double m = row.<Double>getAs(Columns.PARETO_MEASURE);
      double before = running / total;
      String expected = "Small";
      if (m > 0) {
        for (int t = 0; t < 3; t++) {
          if (before < thresholds[t] - EPS) {
            expected = labels[t];
            break;
          }
        }
      }
      running += Math.max(m, 0);
      assertEquals(expected, row.<String>getAs(Columns.TIER), "tier of rank " + row.getAs(Columns.PARETO_RANK));
      counts[Tier.valueOf(expected.toUpperCase(java.util.Locale.ROOT)).rank() - 1]++;
    }
    // The VIP set reaches 50% and is the smallest such set: without its last member it stays below.
    double vipShare = 0;
    double lastVip = 0;
    for (Row row : tiered.subList(0, counts[0])) {
      vipShare += row.<Double>getAs(Columns.PARETO_MEASURE) / total;
      lastVip = row.<Double>getAs(Columns.PARETO_MEASURE) / total;
    }
    assertTrue(vipShare >= 0.5 - EPS, "VIP share " + vipShare);
    assertTrue(vipShare - lastVip < 0.5, "VIP set minus its last member " + (vipShare - lastVip));
    for (int count : counts) {
      assertTrue(count > 0, "every tier occupied: " + java.util.Arrays.toString(counts));
    }
  }

  @Test
  void abandonmentCandidatesAreSmallLossMakersOfPoorQualityOnly() {
    // Measure net revenue (total positive 1000), so a loss-maker can sit in any tier.
    Dataset<Row> tiered =
        tiered(
            Columns.NET_REVENUE,
            cumulativeShare(),
            customer("vip-poor-loss", 500, -50, QualityRating.POOR),
            customer("major", 300, 20, QualityRating.POOR),
            customer("ordinary", 150, -1, QualityRating.STANDARD),
            customer("small-poor-loss", 50, -5, QualityRating.POOR),
            customer("zero-poor-loss", 0, -30, QualityRating.POOR),
            customer("negative-standard-loss", -10, -20, QualityRating.STANDARD),
            customer("negative-high-loss", -12, -25, QualityRating.HIGH),
            customer("small-poor-breakeven", -1, 0, QualityRating.POOR),
            customer("small-poor-profit", -2, 4, QualityRating.POOR));
    Map<String, Row> rows = Fixtures.byKey(tiered, Columns.CUSTOMER_ID);
    assertEquals("VIP", tierOf(rows, "vip-poor-loss"));
    assertEquals("Major", tierOf(rows, "major"));
    assertEquals("Ordinary", tierOf(rows, "ordinary"));
    assertEquals("Small", tierOf(rows, "small-poor-loss"));
    for (Row row : rows.values()) {
      String id = row.getAs(Columns.CUSTOMER_ID);
      boolean expected = id.equals("small-poor-loss") || id.equals("zero-poor-loss");
      assertEquals(expected, row.<Boolean>getAs(Columns.ABANDONMENT_CANDIDATE), "abandonment_candidate of " + id);
    }
    Map<String, Row> summary = Fixtures.byKey(TierSummary.build(SparkTestSession.get(), tiered), Columns.TIER);
    assertEquals(2L, summary.get("Small").<Long>getAs(TierSummary.ABANDONMENT_CANDIDATES));
    assertEquals(0L, summary.get("VIP").<Long>getAs(TierSummary.ABANDONMENT_CANDIDATES));
  }

  @Test
  void summaryHasAllFourTiersEvenWhenOneIsEmpty() {
    // 40, 30, 20, 10: VIP = c1 + c2, Major = c3, Ordinary = c4, no Small customer.
    Dataset<Row> tiered = tiered(Columns.CONTRIBUTION, cumulativeShare(), byContribution(40, 30, 20, 10));
    List<Row> summary = TierSummary.build(SparkTestSession.get(), tiered).collectAsList();
    assertEquals(4, summary.size());
    assertEquals(
        List.of("VIP", "Major", "Ordinary", "Small"), summary.stream().map(r -> r.<String>getAs(Columns.TIER)).toList());
    Map<String, Row> byTier = Fixtures.byKey(TierSummary.build(SparkTestSession.get(), tiered), Columns.TIER);
    long[] customers = {2, 1, 1, 0};
    double[] measureShare = {0.7, 0.2, 0.1, 0.0};
    double[] contribution = {70, 20, 10, 0};
    double[] revenue = {90, 30, 20, 0}; // net revenue + 10 per customer
    String[] labels = {"VIP", "Major", "Ordinary", "Small"};
    for (int i = 0; i < 4; i++) {
      Row row = byTier.get(labels[i]);
      assertEquals(i + 1, row.<Integer>getAs(Columns.TIER_RANK));
      assertEquals(customers[i], row.<Long>getAs(Columns.CUSTOMERS), "customers of " + labels[i]);
      assertEquals(customers[i] / 4.0, row.<Double>getAs(Columns.CUSTOMER_SHARE), SHARE_EPS, "customer_share of " + labels[i]);
      assertEquals(measureShare[i], row.<Double>getAs(TierSummary.MEASURE_SHARE), SHARE_EPS, "measure_share of " + labels[i]);
      assertEquals(contribution[i], row.<Double>getAs(Columns.CONTRIBUTION), 0.005, "contribution of " + labels[i]);
      assertEquals(revenue[i], row.<Double>getAs(Columns.REVENUE), 0.005, "revenue of " + labels[i]);
      assertEquals(revenue[i] / 140, row.<Double>getAs(Columns.REVENUE_SHARE), SHARE_EPS, "revenue_share of " + labels[i]);
      assertEquals(Tier.values()[i].strategy(), row.<String>getAs(Columns.TIER_STRATEGY));
    }
    assertEquals(35.0, byTier.get("VIP").<Double>getAs(TierSummary.AVG_CONTRIBUTION), 0.005);
    assertEquals(0L, byTier.get("Small").<Long>getAs(TierSummary.ABANDONMENT_CANDIDATES));
    assertEquals(0.0, byTier.get("Small").<Double>getAs(TierSummary.AVG_CONTRIBUTION), 0.0);
  }

  @Test
  void summarySharesSumToOneAndVipProducesAtLeastHalf() {
    Random random = new Random(11);
    int n = 300;
    Object[][] rows = new Object[n][];
    for (int i = 0; i < n; i++) {
      double m =
          random.nextInt(6) == 0 ? -random.nextInt(40) - 1 : Math.round(Math.exp(random.nextGaussian() + 4) * 100) / 100.0;
      rows[i] = customer("s" + i, m, m, i % 3 == 0 ? QualityRating.POOR : QualityRating.STANDARD);
    }
    Dataset<Row> tiered = tiered(Columns.CONTRIBUTION, cumulativeShare(), rows);
    List<Row> summary = TierSummary.build(SparkTestSession.get(), tiered).collectAsList();
    assertEquals(4, summary.size());
    long customers = 0;
    double customerShare = 0;
    double measureShare = 0;
    double contributionShare = 0;
    long candidates = 0;
    for (Row row : summary) {
      customers += row.<Long>getAs(Columns.CUSTOMERS);
      customerShare += row.<Double>getAs(Columns.CUSTOMER_SHARE);
      measureShare += row.<Double>getAs(TierSummary.MEASURE_SHARE);
      contributionShare += row.<Double>getAs(Columns.CONTRIBUTION_SHARE);
      candidates += row.<Long>getAs(TierSummary.ABANDONMENT_CANDIDATES);
    }
    assertEquals(n, customers);
    assertEquals(1.0, customerShare, 4 * SHARE_EPS);
    assertEquals(1.0, measureShare, 4 * SHARE_EPS);
    assertEquals(1.0, contributionShare, 4 * SHARE_EPS);
    Map<String, Row> byTier = Fixtures.byKey(TierSummary.build(SparkTestSession.get(), tiered), Columns.TIER);
    assertTrue(byTier.get("VIP").<Double>getAs(TierSummary.MEASURE_SHARE) >= 0.5, "VIP measure_share >= 0.5");
    assertTrue(byTier.get("Major").<Double>getAs(TierSummary.MEASURE_SHARE) > 0, "Major measure_share > 0");
    long expectedCandidates = tiered.filter("abandonment_candidate").count();
    long brute = 0;
    for (int i = 0; i < n; i++) {
      if ((double) rows[i][3] < 0 && i % 3 == 0) {
        brute++; // negative contribution is the measure: always Small
      }
    }
    assertEquals(brute, expectedCandidates);
    assertEquals(brute, candidates);
    assertFalse(brute == 0, "fixture has abandonment candidates");
  }
}
