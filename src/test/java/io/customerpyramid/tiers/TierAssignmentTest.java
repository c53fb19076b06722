package io.customerpyramid.tiers;

import static io.customerpyramid.testing.DataFrameAssertions.assertTableApproxEquals;
import static io.customerpyramid.testing.DataFrameAssertions.assertTableEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.features.QualityRating;
import io.customerpyramid.pareto.ParetoRanking;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
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
          .add(Columns.REVENUE, Money.STORED, false)
          .add(Columns.NET_REVENUE, Money.STORED, false)
          .add(Columns.CONTRIBUTION, Money.STORED, false)
          .add(Columns.FREQUENCY, DataTypes.LongType, false)
          .add(Columns.RECENCY_DAYS, DataTypes.IntegerType, false)
          .add(Columns.QUALITY, DataTypes.StringType, false);

  /** customer id and tier, as {@link #assertTiers} expects them. */
  private static final StructType TIERS =
      new StructType().add(Columns.CUSTOMER_ID, DataTypes.StringType).add(Columns.TIER, DataTypes.StringType);

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

  /** Asserts the tier of every customer: {@code idAndTier} is customer id, tier, customer id, tier, ... */
  private static void assertTiers(Dataset<Row> tiered, String... idAndTier) {
    Object[][] rows = new Object[idAndTier.length / 2][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new Object[] {idAndTier[2 * i], idAndTier[2 * i + 1]};
    }
    assertTableEquals(Fixtures.frame(TIERS, rows), tiered);
  }

  private static JobConfig.Tiers cumulativeShare() {
    return Fixtures.config().tiers();
  }

  private static JobConfig.Tiers rankPercentile(String thresholds) {
    return Fixtures.config("tiers.mode=rank-percentile", "tiers.rank_percentile_thresholds=" + thresholds).tiers();
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
    assertTiers(
        tiered(Columns.CONTRIBUTION, cumulativeShare(), byContribution(50, 30, 15, 5)),
        "c1", "VIP", "c2", "Major", "c3", "Ordinary", "c4", "Small");
  }

  @Test
  void customerInsideWhichAThresholdFallsBelongsToTheUpperTier() {
    // Cumulative 0.4, 0.7, 0.9, 1.0: 50% is crossed inside c2, 80% inside c3, 95% inside c4.
    assertTiers(
        tiered(Columns.CONTRIBUTION, cumulativeShare(), byContribution(40, 30, 20, 10)),
        "c1", "VIP", "c2", "VIP", "c3", "Major", "c4", "Ordinary");
  }

  @Test
  void tierRankAndStrategyMatchTheTierEnum() {
    Dataset<Row> tiered = tiered(Columns.CONTRIBUTION, cumulativeShare(), byContribution(50, 30, 15, 5, 0, -3));
    assertTierColumnsMatchEnum(tiered);
    StructType schema =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.TIER_RANK, DataTypes.IntegerType)
            .add(Columns.TIER_STRATEGY, DataTypes.StringType);
    // c4 starts at exactly 95%: Small, as are the zero and the negative measure.
    assertTableEquals(
        Fixtures.frame(
            schema,
            new Object[] {"c1", 1, Tier.VIP.strategy()},
            new Object[] {"c2", 2, Tier.MAJOR.strategy()},
            new Object[] {"c3", 3, Tier.ORDINARY.strategy()},
            new Object[] {"c4", 4, Tier.SMALL.strategy()},
            new Object[] {"c5", 4, Tier.SMALL.strategy()},
            new Object[] {"c6", 4, Tier.SMALL.strategy()}),
        tiered);
    assertEquals("Major", Tier.MAJOR.label());
    assertEquals("Ordinary", Tier.ORDINARY.label());
    assertEquals("Small", Tier.SMALL.label());
  }

  @Test
  void customersWithoutPositiveMeasureAreSmallInCumulativeShareMode() {
    // No positive measure at all: every share before is 0, which alone would mean VIP.
    assertTiers(
        tiered(Columns.CONTRIBUTION, cumulativeShare(), byContribution(0, -5, -20)),
        "c1", "Small", "c2", "Small", "c3", "Small");
    assertTiers(
        tiered(Columns.CONTRIBUTION, cumulativeShare(), byContribution(60, 0, -1)),
        "c1", "VIP", "c2", "Small", "c3", "Small");
  }

  @Test
  void customersWithoutPositiveMeasureAreSmallInRankPercentileModeWhateverTheirRank() {
    // Ten customers, three positive: by rank alone c4..c6 would be Ordinary (percentile <= 0.6).
    assertTiers(
        tiered(Columns.CONTRIBUTION, rankPercentile("[0.1,0.3,0.6]"), byContribution(30, 20, 10, 0, 0, -1, -2, -3, -4, -5)),
        "c1", "VIP", "c2", "Major", "c3", "Major",
        "c4", "Small", "c5", "Small", "c6", "Small", "c7", "Small", "c8", "Small", "c9", "Small", "c10", "Small");
  }

  @Test
  void rankPercentileModeCutsOneHundredCustomersByRank() {
    double[] measures = new double[100];
    for (int i = 0; i < 100; i++) {
      measures[i] = 100 - i; // c1 = 100 (rank 1) ... c100 = 1 (rank 100)
    }
    Dataset<Row> tiered = tiered(Columns.CONTRIBUTION, rankPercentile("[0.01,0.05,0.20]"), byContribution(measures));
    StructType schema =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.PARETO_RANK, DataTypes.LongType)
            .add(Columns.TIER, DataTypes.StringType);
    Object[][] expected = new Object[100][];
    for (int rank = 1; rank <= 100; rank++) {
      String tier = rank == 1 ? "VIP" : rank <= 5 ? "Major" : rank <= 20 ? "Ordinary" : "Small";
      expected[rank - 1] = new Object[] {"c" + rank, (long) rank, tier};
    }
    assertTableEquals(Fixtures.frame(schema, expected), tiered, Columns.PARETO_RANK);
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
      double m = row.<java.math.BigDecimal>getAs(Columns.PARETO_MEASURE).doubleValue();
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
      vipShare += row.<java.math.BigDecimal>getAs(Columns.PARETO_MEASURE).doubleValue() / total;
      lastVip = row.<java.math.BigDecimal>getAs(Columns.PARETO_MEASURE).doubleValue() / total;
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
    StructType schema =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.TIER, DataTypes.StringType)
            .add(Columns.ABANDONMENT_CANDIDATE, DataTypes.BooleanType);
    // Cumulative shares before: 0, 0.5, 0.8, 0.95; every customer without positive net revenue is Small.
    // Candidates: Small, a loss (negative contribution) and poor quality.
    assertTableEquals(
        Fixtures.frame(
            schema,
            new Object[] {"vip-poor-loss", "VIP", false},
            new Object[] {"major", "Major", false},
            new Object[] {"ordinary", "Ordinary", false},
            new Object[] {"small-poor-loss", "Small", true},
            new Object[] {"zero-poor-loss", "Small", true},
            new Object[] {"negative-standard-loss", "Small", false},
            new Object[] {"negative-high-loss", "Small", false},
            new Object[] {"small-poor-breakeven", "Small", false},
            new Object[] {"small-poor-profit", "Small", false}),
        tiered);
    StructType candidates =
        new StructType()
            .add(Columns.TIER, DataTypes.StringType)
            .add(TierSummary.ABANDONMENT_CANDIDATES, DataTypes.LongType);
    assertTableEquals(
        Fixtures.frame(
            candidates,
            new Object[] {"VIP", 0L},
            new Object[] {"Major", 0L},
            new Object[] {"Ordinary", 0L},
            new Object[] {"Small", 2L}),
        TierSummary.build(SparkTestSession.get(), tiered));
  }

  @Test
  void summaryHasAllFourTiersEvenWhenOneIsEmpty() {
    // 40, 30, 20, 10: VIP = c1 + c2, Major = c3, Ordinary = c4, no Small customer.
    Dataset<Row> tiered = tiered(Columns.CONTRIBUTION, cumulativeShare(), byContribution(40, 30, 20, 10));
    List<Row> summary = TierSummary.build(SparkTestSession.get(), tiered).collectAsList();
    assertEquals(4, summary.size());
    assertEquals(
        List.of("VIP", "Major", "Ordinary", "Small"), summary.stream().map(r -> r.<String>getAs(Columns.TIER)).toList());
    StructType schema =
        new StructType()
            .add(Columns.TIER, DataTypes.StringType)
            .add(Columns.TIER_RANK, DataTypes.IntegerType)
            .add(Columns.CUSTOMERS, DataTypes.LongType)
            .add(Columns.CUSTOMER_SHARE, DataTypes.DoubleType)
            .add(TierSummary.MEASURE_SHARE, DataTypes.DoubleType)
            .add(Columns.CONTRIBUTION, Money.STORED)
            .add(Columns.REVENUE, Money.STORED) // net revenue + 10 per customer
            .add(Columns.REVENUE_SHARE, DataTypes.DoubleType)
            .add(Columns.TIER_STRATEGY, DataTypes.StringType)
            .add(TierSummary.AVG_CONTRIBUTION, Money.STORED)
            .add(TierSummary.ABANDONMENT_CANDIDATES, DataTypes.LongType);
    // Money is rounded to cents and shares to 6 decimals: SHARE_EPS covers both.
    assertTableApproxEquals(
        Fixtures.frame(
            schema,
            new Object[] {"VIP", 1, 2L, 2 / 4.0, 0.7, 70.0, 90.0, 90 / 140.0, Tier.VIP.strategy(), 35.0, 0L},
            new Object[] {"Major", 2, 1L, 1 / 4.0, 0.2, 20.0, 30.0, 30 / 140.0, Tier.MAJOR.strategy(), 20.0, 0L},
            new Object[] {"Ordinary", 3, 1L, 1 / 4.0, 0.1, 10.0, 20.0, 20 / 140.0, Tier.ORDINARY.strategy(), 10.0, 0L},
            new Object[] {"Small", 4, 0L, 0.0, 0.0, 0.0, 0.0, 0.0, Tier.SMALL.strategy(), 0.0, 0L}),
        TierSummary.build(SparkTestSession.get(), tiered),
        SHARE_EPS,
        Columns.TIER_RANK);
    assertEquals(new java.math.BigDecimal("0.00"), summary.get(3).getAs(TierSummary.AVG_CONTRIBUTION), "avg_contribution of Small");
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
