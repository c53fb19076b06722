package io.customerpyramid.pareto;

import static io.customerpyramid.pareto.ParetoBruteForce.EPS;
import static io.customerpyramid.pareto.ParetoBruteForce.SCHEMA;
import static io.customerpyramid.pareto.ParetoBruteForce.assertMonotoneFromOriginToOne;
import static io.customerpyramid.pareto.ParetoBruteForce.assertRankingMatches;
import static io.customerpyramid.pareto.ParetoBruteForce.bruteForce;
import static io.customerpyramid.pareto.ParetoBruteForce.bruteForceGini;
import static io.customerpyramid.pareto.ParetoBruteForce.curve;
import static io.customerpyramid.pareto.ParetoBruteForce.firstRankReaching;
import static io.customerpyramid.pareto.ParetoBruteForce.frame;
import static io.customerpyramid.pareto.ParetoBruteForce.positive;
import static io.customerpyramid.pareto.ParetoBruteForce.randomCustomers;
import static io.customerpyramid.testing.DataFrameAssertions.assertTableApproxEquals;
import static io.customerpyramid.testing.DataFrameAssertions.assertTableEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.pareto.ParetoBruteForce.Customer;
import io.customerpyramid.pareto.ParetoBruteForce.Expected;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pareto ranking, headline and curve checked against a plain Java sort with a running sum and hand-computed values. */
class ParetoRankingTest {

  private static final int RANDOM_CUSTOMERS = 2_000;
  private static final long SEED = 20_240_611L;

  @BeforeAll
  static void session() {
    SparkTestSession.get();
  }

  // ---------------------------------------------------------------- ParetoRanking

  @Test
  void randomCustomersInSeveralPartitionsRankExactlyLikeAPlainJavaSortByContribution() {
    List<Customer> customers = randomCustomers(RANDOM_CUSTOMERS, SEED);
    Dataset<Row> input = frame(customers, 7);
    assertEquals(7, input.rdd().getNumPartitions());
    ParetoRanking.Ranked ranked = ParetoRanking.rank(input, Columns.CONTRIBUTION);
    try {
      // Exact: the running sums are decimal, whatever the partitioning.
      java.math.BigDecimal total =
          customers.stream()
              .map(c -> java.math.BigDecimal.valueOf(positive(c.contribution())).setScale(2))
              .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
      assertEquals(total, ranked.positiveTotal());
      assertRankingMatches(bruteForce(customers, Customer::contribution), ranked);
    } finally {
      ranked.release();
    }
  }

  @Test
  void netRevenueAsMeasureRanksExactlyLikeAPlainJavaSortByNetRevenue() {
    List<Customer> customers = randomCustomers(RANDOM_CUSTOMERS, SEED + 1);
    ParetoRanking.Ranked ranked = ParetoRanking.rank(frame(customers, 5), Columns.NET_REVENUE);
    try {
      assertRankingMatches(bruteForce(customers, Customer::netRevenue), ranked);
      ParetoHeadline headline = ParetoHeadline.of(ranked, Columns.NET_REVENUE);
      assertEquals(Columns.NET_REVENUE, headline.measure());
      assertTrue(headline.sentence().contains("% of net_revenue;"), headline.sentence());
      assertEquals(bruteForceGini(customers.stream().map(Customer::netRevenue).toList()), headline.gini(), EPS);
    } finally {
      ranked.release();
    }
  }

  @Test
  void handComputedCaseGivesExactRanksAndShares() {
    // Input deliberately out of order; total positive measure = 100.
    List<Customer> customers =
        List.of(
            new Customer("d", 5.0, 0.0),
            new Customer("f", -10.0, 0.0),
            new Customer("a", 50.0, 0.0),
            new Customer("e", 0.0, 0.0),
            new Customer("c", 15.0, 0.0),
            new Customer("b", 30.0, 0.0));
    ParetoRanking.Ranked ranked = ParetoRanking.rank(frame(customers, 3), Columns.CONTRIBUTION);
    try {
      assertEquals(6, ranked.customerCount());
      assertEquals(new java.math.BigDecimal("100.00"), ranked.positiveTotal());
      String[] ids = {"a", "b", "c", "d", "e", "f"};
      double[] cumulative = {0.5, 0.8, 0.95, 1.0, 1.0, 1.0};
      double[] before = {0.0, 0.5, 0.8, 0.95, 1.0, 1.0};
      Object[][] expected = new Object[ids.length][];
      for (int i = 0; i < ids.length; i++) {
        expected[i] = new Object[] {ids[i], i + 1L, cumulative[i], before[i], (i + 1) / 6.0};
      }
      StructType schema =
          new StructType()
              .add(Columns.CUSTOMER_ID, DataTypes.StringType)
              .add(Columns.PARETO_RANK, DataTypes.LongType)
              .add(Columns.CUMULATIVE_SHARE, DataTypes.DoubleType)
              .add(Columns.CUMULATIVE_SHARE_BEFORE, DataTypes.DoubleType)
              .add(Columns.CUSTOMER_PERCENTILE, DataTypes.DoubleType);
      assertTableApproxEquals(Fixtures.frame(schema, expected), ranked.customers(), EPS, Columns.CUSTOMER_ID);
    } finally {
      ranked.release();
    }
  }

  @Test
  void equalMeasuresAreRankedByCustomerIdAscending() {
    List<Customer> customers =
        List.of(
            new Customer("x", 20.0, 0.0),
            new Customer("m", 20.0, 0.0),
            new Customer("a", 20.0, 0.0),
            new Customer("z", 40.0, 0.0),
            new Customer("b", 0.0, 0.0),
            new Customer("a0", 0.0, 0.0));
    ParetoRanking.Ranked ranked = ParetoRanking.rank(frame(customers, 4), Columns.CONTRIBUTION);
    try {
      String[] order = {"z", "a", "m", "x", "a0", "b"};
      // Total 100: z 40, then a, m, x 20 each, then the zeros.
      double[] cumulative = {0.4, 0.6, 0.8, 1.0, 1.0, 1.0};
      Object[][] expected = new Object[order.length][];
      for (int i = 0; i < order.length; i++) {
        expected[i] = new Object[] {order[i], i + 1L, cumulative[i]};
      }
      StructType schema =
          new StructType()
              .add(Columns.CUSTOMER_ID, DataTypes.StringType)
              .add(Columns.PARETO_RANK, DataTypes.LongType)
              .add(Columns.CUMULATIVE_SHARE, DataTypes.DoubleType);
      assertTableApproxEquals(Fixtures.frame(schema, expected), ranked.customers(), EPS, Columns.CUSTOMER_ID);
    } finally {
      ranked.release();
    }
  }

  @Test
  void customersWithoutAMeasureRankLastAndCountAsNonPositive() {
    List<Customer> customers =
        List.of(
            new Customer("n", null, 0.0),
            new Customer("p", 10.0, 0.0),
            new Customer("q", -5.0, 0.0),
            new Customer("r", 30.0, 0.0));
    ParetoRanking.Ranked ranked = ParetoRanking.rank(frame(customers, 2), Columns.CONTRIBUTION);
    try {
      Map<String, Expected> expected = bruteForce(customers, Customer::contribution);
      // n ranks last in the brute force, which the ranking matches.
      assertEquals(4L, expected.get("n").rank());
      assertRankingMatches(expected, ranked);
      ParetoHeadline headline = ParetoHeadline.of(ranked, Columns.CONTRIBUTION);
      assertEquals(2L, headline.nonPositiveCustomers());
      assertEquals(40.0, headline.positiveTotal(), EPS);
    } finally {
      ranked.release();
    }
  }

  // ---------------------------------------------------------------- ParetoHeadline

  @Test
  void headlineOfTenCustomersMatchesHandComputation() {
    double[] measures = {40, 20, 10, 10, 5, 5, 5, 3, 2, 0};
    List<Customer> customers = new ArrayList<>();
    for (int i = 0; i < measures.length; i++) {
      customers.add(new Customer("k" + i, measures[i], 0.0));
    }
    Collections.reverse(customers);
    ParetoRanking.Ranked ranked = ParetoRanking.rank(frame(customers, 3), Columns.CONTRIBUTION);
    try {
      ParetoHeadline headline = ParetoHeadline.of(ranked, Columns.CONTRIBUTION);
      assertEquals(Columns.CONTRIBUTION, headline.measure());
      assertEquals(10L, headline.customers());
      assertEquals(100.0, headline.positiveTotal(), EPS);
      // Top 20% = ranks 1-2: (40 + 20) / 100.
      assertEquals(0.6, headline.topFifthShare(), EPS);
      // Cumulative shares 0.4, 0.6, 0.7, 0.8: half reached at rank 2, 80% exactly at rank 4.
      assertEquals(0.2, headline.customerShareForHalf(), EPS);
      assertEquals(0.4, headline.customerShareForEightyPercent(), EPS);
      // Ascending 0,2,3,5,5,5,10,10,20,40: sum(i * x_i) = 818; 2 * 818 / (10 * 100) - 11 / 10 = 0.536.
      assertEquals(0.536, headline.gini(), EPS);
      assertEquals(bruteForceGini(customers.stream().map(Customer::contribution).toList()), headline.gini(), EPS);
      assertEquals(1L, headline.nonPositiveCustomers());
      assertEquals(
          "top 20% of customers produce 60.0% of contribution; 50% of it comes from 20.0% of customers, 80% from 40.0%; Gini 0.536",
          headline.sentence());
    } finally {
      ranked.release();
    }
  }

  @Test
  void headlineWithNegativesClipsThemAtZero() {
    List<Customer> customers =
        List.of(
            new Customer("a", 50.0, 0.0),
            new Customer("b", 30.0, 0.0),
            new Customer("c", 15.0, 0.0),
            new Customer("d", 5.0, 0.0),
            new Customer("e", 0.0, 0.0),
            new Customer("f", -10.0, 0.0));
    ParetoRanking.Ranked ranked = ParetoRanking.rank(frame(customers, 2), Columns.CONTRIBUTION);
    try {
      ParetoHeadline headline = ParetoHeadline.of(ranked, Columns.CONTRIBUTION);
      // Top 20% of 6 = ceil(1.2) = 2 customers: 0.8.
      assertEquals(0.8, headline.topFifthShare(), EPS);
      assertEquals(1 / 6.0, headline.customerShareForHalf(), EPS);
      assertEquals(2 / 6.0, headline.customerShareForEightyPercent(), EPS);
      // Clipped ascending 0,0,5,15,30,50: sum(i * x_i) = 525; 2 * 525 / 600 - 7 / 6 = 7 / 12.
      assertEquals(7 / 12.0, headline.gini(), EPS);
      assertEquals(2L, headline.nonPositiveCustomers());
      assertEquals(
          "top 20% of customers produce 80.0% of contribution; 50% of it comes from 16.7% of customers, 80% from 33.3%; Gini 0.583",
          headline.sentence());
    } finally {
      ranked.release();
    }
  }

  @Test
  void headlineOfRandomCustomersMatchesBruteForce() {
    List<Customer> customers = randomCustomers(RANDOM_CUSTOMERS, SEED + 2);
    ParetoRanking.Ranked ranked = ParetoRanking.rank(frame(customers, 6), Columns.CONTRIBUTION);
    try {
      ParetoHeadline headline = ParetoHeadline.of(ranked, Columns.CONTRIBUTION);
      Map<String, Expected> expected = bruteForce(customers, Customer::contribution);
      List<Expected> byRank = expected.values().stream().sorted(Comparator.comparingLong(Expected::rank)).toList();
      int n = customers.size();
      assertEquals(byRank.get((int) Math.ceil(0.2 * n) - 1).cumulativeShare(), headline.topFifthShare(), EPS);
      assertEquals(firstRankReaching(byRank, 0.5) / (double) n, headline.customerShareForHalf(), EPS);
      assertEquals(firstRankReaching(byRank, 0.8) / (double) n, headline.customerShareForEightyPercent(), EPS);
      assertEquals(bruteForceGini(customers.stream().map(Customer::contribution).toList()), headline.gini(), EPS);
      assertEquals(customers.stream().filter(c -> c.contribution() <= 0).count(), headline.nonPositiveCustomers());
      assertTrue(headline.gini() > 0 && headline.gini() < 1, "Gini of unequal data in (0, 1): " + headline.gini());
    } finally {
      ranked.release();
    }
  }

  @Test
  void allEqualMeasuresGiveGiniZeroAndProportionalShares() {
    List<Customer> customers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      customers.add(new Customer("e" + i, 7.0, 0.0));
    }
    ParetoRanking.Ranked ranked = ParetoRanking.rank(frame(customers, 4), Columns.CONTRIBUTION);
    try {
      ParetoHeadline headline = ParetoHeadline.of(ranked, Columns.CONTRIBUTION);
      assertEquals(0.0, headline.gini(), 1e-12);
      assertEquals(0.2, headline.topFifthShare(), EPS);
      assertEquals(0.5, headline.customerShareForHalf(), EPS);
      assertEquals(0.8, headline.customerShareForEightyPercent(), EPS);
      assertEquals(0L, headline.nonPositiveCustomers());
    } finally {
      ranked.release();
    }
  }

  @Test
  void noPositiveMeasureGivesZeroSharesAndGini() {
    List<Customer> customers =
        List.of(new Customer("a", 0.0, 0.0), new Customer("b", -3.0, 0.0), new Customer("c", -1.0, 0.0));
    ParetoRanking.Ranked ranked = ParetoRanking.rank(frame(customers, 2), Columns.CONTRIBUTION);
    try {
      StructType schema =
          new StructType()
              .add(Columns.CUSTOMER_ID, DataTypes.StringType)
              .add(Columns.PARETO_RANK, DataTypes.LongType)
              .add(Columns.CUMULATIVE_SHARE, DataTypes.DoubleType)
              .add(Columns.CUMULATIVE_SHARE_BEFORE, DataTypes.DoubleType);
      // Every share exactly 0; ranked 0, -1, -3.
      assertTableEquals(
          Fixtures.frame(
              schema, new Object[] {"a", 1L, 0.0, 0.0}, new Object[] {"c", 2L, 0.0, 0.0}, new Object[] {"b", 3L, 0.0, 0.0}),
          ranked.customers());
      ParetoHeadline headline = ParetoHeadline.of(ranked, Columns.CONTRIBUTION);
      assertEquals(0.0, headline.gini(), 0.0);
      assertEquals(0.0, headline.topFifthShare(), 0.0);
      assertEquals(0.0, headline.customerShareForHalf(), 0.0);
      assertEquals(3L, headline.nonPositiveCustomers());
    } finally {
      ranked.release();
    }
  }

  // ---------------------------------------------------------------- ParetoCurve

  @Test
  void curveOfManyCustomersHasExactlyPointsPlusOneRowsAtEqualSlicesOfTheRanking() {
    List<Customer> customers = randomCustomers(RANDOM_CUSTOMERS, SEED + 3);
    ParetoRanking.Ranked ranked = ParetoRanking.rank(frame(customers, 5), Columns.CONTRIBUTION);
    try {
      Map<Long, Expected> expectedByRank = new HashMap<>();
      bruteForce(customers, Customer::contribution).values().forEach(e -> expectedByRank.put(e.rank(), e));
      int n = customers.size();
      for (int points : new int[] {1000, 7, 1}) {
        List<Row> rows = curve(ranked, points);
        assertEquals(points + 1, rows.size(), "rows of a curve with " + points + " points");
        assertMonotoneFromOriginToOne(rows);
        Object[][] expected = new Object[points + 1][];
        expected[0] = new Object[] {0L, 0L, 0.0, 0.0};
        for (int j = 1; j <= points; j++) {
          // Point j is the last customer of the j-th equal slice of the ranking.
          long rank = (long) j * n / points;
          expected[j] = new Object[] {(long) j, rank, (double) rank / n, expectedByRank.get(rank).cumulativeShare()};
        }
        assertTableApproxEquals(
            Fixtures.frame(ParetoCurve.SCHEMA, expected),
            ParetoCurve.build(SparkTestSession.get(), ranked.customers(), ranked.customerCount(), points),
            EPS,
            Columns.POINT);
      }
    } finally {
      ranked.release();
    }
  }

  @Test
  void curveOfFewerCustomersThanPointsHasOnePointPerCustomerPlusOrigin() {
    List<Customer> customers =
        List.of(
            new Customer("a", 50.0, 0.0),
            new Customer("b", 30.0, 0.0),
            new Customer("c", 15.0, 0.0),
            new Customer("d", 5.0, 0.0),
            new Customer("e", 0.0, 0.0),
            new Customer("f", -10.0, 0.0));
    ParetoRanking.Ranked ranked = ParetoRanking.rank(frame(customers, 2), Columns.CONTRIBUTION);
    try {
      List<Row> rows = curve(ranked, 10);
      assertEquals(7, rows.size());
      assertMonotoneFromOriginToOne(rows);
      double[] cumulative = {0.0, 0.5, 0.8, 0.95, 1.0, 1.0, 1.0};
      Object[][] expected = new Object[cumulative.length][];
      for (int i = 0; i < cumulative.length; i++) {
        expected[i] = new Object[] {(long) i, i / 6.0, cumulative[i]};
      }
      StructType schema =
          new StructType()
              .add(Columns.PARETO_RANK, DataTypes.LongType)
              .add(Columns.CUSTOMER_SHARE, DataTypes.DoubleType)
              .add(Columns.CUMULATIVE_SHARE, DataTypes.DoubleType);
      assertTableApproxEquals(
          Fixtures.frame(schema, expected),
          ParetoCurve.build(SparkTestSession.get(), ranked.customers(), ranked.customerCount(), 10),
          EPS,
          Columns.PARETO_RANK);
    } finally {
      ranked.release();
    }
  }

  @Test
  void curveByNetRevenueEndsAtOneAndFollowsTheNetRevenueRanking() {
    List<Customer> customers = randomCustomers(RANDOM_CUSTOMERS, SEED + 4);
    ParetoRanking.Ranked ranked = ParetoRanking.rank(frame(customers, 3), Columns.NET_REVENUE);
    try {
      Map<Long, Expected> expectedByRank = new HashMap<>();
      bruteForce(customers, Customer::netRevenue).values().forEach(e -> expectedByRank.put(e.rank(), e));
      List<Row> rows = curve(ranked, 100);
      assertEquals(101, rows.size());
      assertMonotoneFromOriginToOne(rows);
      // After the origin, point j is the last customer of the j-th equal slice of the ranking.
      Object[][] expected = new Object[101][];
      expected[0] = new Object[] {0L, 0.0};
      for (int j = 1; j <= 100; j++) {
        long rank = (long) j * customers.size() / 100;
        expected[j] = new Object[] {rank, expectedByRank.get(rank).cumulativeShare()};
      }
      StructType schema =
          new StructType().add(Columns.PARETO_RANK, DataTypes.LongType).add(Columns.CUMULATIVE_SHARE, DataTypes.DoubleType);
      assertTableApproxEquals(
          Fixtures.frame(schema, expected),
          ParetoCurve.build(SparkTestSession.get(), ranked.customers(), ranked.customerCount(), 100),
          EPS,
          Columns.PARETO_RANK);
    } finally {
      ranked.release();
    }
  }
}
