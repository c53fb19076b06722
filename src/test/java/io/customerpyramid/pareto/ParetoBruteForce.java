package io.customerpyramid.pareto;

import static io.customerpyramid.testing.DataFrameAssertions.assertTableApproxEquals;
import static io.customerpyramid.testing.DataFrameAssertions.assertTableEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Random customers, and what a plain Java sort with a running sum says about their ranks, shares, Gini and curve. */
final class ParetoBruteForce {

  static final double EPS = 1e-9;

  static final StructType SCHEMA =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType, false)
          .add(Columns.CONTRIBUTION, Money.STORED, true)
          .add(Columns.NET_REVENUE, Money.STORED, true);

  /** The shares of a ranked customer. */
  private static final StructType SHARES =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.CUMULATIVE_SHARE, DataTypes.DoubleType)
          .add(Columns.CUMULATIVE_SHARE_BEFORE, DataTypes.DoubleType)
          .add(Columns.CUSTOMER_PERCENTILE, DataTypes.DoubleType);

  /** One input customer; a null measure means the column is null. */
  record Customer(String id, Double contribution, Double netRevenue) {}

  /** What a plain Java sort and running sum say about one customer. */
  record Expected(
      long rank, double measure, double cumulativeShare, double cumulativeShareBefore, double percentile) {}

  private ParetoBruteForce() {}

  /**
   * Random customers: many ties (a small pool of repeated values), exact zeros, negatives and a
   * heavy positive tail; ids are unpadded ("c7" sorts after "c10") and the input order is shuffled.
   */
  static List<Customer> randomCustomers(int n, long seed) {
    Random random = new Random(seed);
    List<Customer> customers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      customers.add(new Customer("c" + i, randomMeasure(random), randomMeasure(random)));
    }
    Collections.shuffle(customers, random);
    return customers;
  }

  static double randomMeasure(Random random) {
    int kind = random.nextInt(10);
    return switch (kind) {
      case 0 -> 0.0;
      case 1, 2 -> -(1 + random.nextInt(2_000)) / 4.0;
      case 3, 4, 5 -> new double[] {10.0, 25.5, 100.0, 0.25}[random.nextInt(4)];
      default -> Math.round(Math.exp(random.nextGaussian() * 1.5 + 4) * 100) / 100.0;
    };
  }

  static Dataset<Row> frame(List<Customer> customers, int partitions) {
    Object[][] rows =
        customers.stream().map(c -> new Object[] {c.id(), c.contribution(), c.netRevenue()}).toArray(Object[][]::new);
    return Fixtures.frame(SCHEMA, rows).repartition(partitions);
  }

  /** Rank by measure descending (nulls last), then customer id ascending; running sum of max(measure, 0). */
  static Map<String, Expected> bruteForce(List<Customer> customers, Function<Customer, Double> measure) {
    List<Customer> sorted = new ArrayList<>(customers);
    Comparator<Customer> byMeasureDesc =
        (a, b) -> {
          Double x = measure.apply(a);
          Double y = measure.apply(b);
          if (x == null || y == null) {
            return x == null ? (y == null ? 0 : 1) : -1;
          }
          return Double.compare(y, x);
        };
    sorted.sort(byMeasureDesc.thenComparing(Customer::id));
    double total = 0;
    for (Customer c : customers) {
      total += positive(measure.apply(c));
    }
    Map<String, Expected> expected = new HashMap<>();
    double running = 0;
    long n = sorted.size();
    for (int i = 0; i < sorted.size(); i++) {
      Customer c = sorted.get(i);
      double before = running;
      running += positive(measure.apply(c));
      Double m = measure.apply(c);
      double share = total > 0 ? running / total : 0;
      double shareBefore = total > 0 ? before / total : 0;
      expected.put(c.id(), new Expected(i + 1, m == null ? Double.NaN : m, share, shareBefore, (i + 1.0) / n));
    }
    return expected;
  }

  static double positive(Double value) {
    return value == null ? 0.0 : Math.max(value, 0.0);
  }

  /** Brute-force Gini: mean absolute difference over all pairs / (2 * mean), of the measure clipped at 0. */
  static double bruteForceGini(List<Double> values) {
    int n = values.size();
    double[] x = values.stream().mapToDouble(ParetoBruteForce::positive).toArray();
    double total = 0;
    for (double v : x) {
      total += v;
    }
    double pairs = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        pairs += Math.abs(x[i] - x[j]);
      }
    }
    return pairs / (2.0 * n * total);
  }

  /**
   * The ranked customers equal the brute force: rank and measure exactly, shares within {@link #EPS};
   * ranks run 1..n without gaps and the last customer's cumulative share is 1.
   */
  static void assertRankingMatches(Map<String, Expected> expected, ParetoRanking.Ranked ranked) {
    assertEquals(expected.size(), ranked.customerCount());
    List<Object[]> exact = new ArrayList<>();
    List<Object[]> shares = new ArrayList<>();
    expected.forEach(
        (id, x) -> {
          exact.add(new Object[] {id, x.rank(), Double.isNaN(x.measure()) ? null : x.measure()});
          shares.add(new Object[] {id, x.cumulativeShare(), x.cumulativeShareBefore(), x.percentile()});
        });
    StructType rankAndMeasure =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.PARETO_RANK, DataTypes.LongType)
            .add(Columns.PARETO_MEASURE, Money.STORED);
    assertTableEquals(
        Fixtures.frame(rankAndMeasure, exact.toArray(Object[][]::new)), ranked.customers(), Columns.CUSTOMER_ID);
    assertTableApproxEquals(
        Fixtures.frame(SHARES, shares.toArray(Object[][]::new)), ranked.customers(), EPS, Columns.CUSTOMER_ID);

    Set<Long> ranks = new HashSet<>();
    Row last = null;
    for (Row row : ranked.customers().select(Columns.PARETO_RANK, Columns.CUMULATIVE_SHARE).collectAsList()) {
      long rank = row.getLong(0);
      ranks.add(rank);
      if (rank == expected.size()) {
        last = row;
      }
    }
    assertEquals(expected.size(), ranks.size(), "ranks are distinct");
    assertEquals(1L, Collections.min(ranks));
    assertEquals((long) expected.size(), Collections.max(ranks));
    assertNotNull(last);
    if (ranked.positiveTotal().signum() > 0) {
      assertEquals(1.0, last.getDouble(1), 1e-12, "last cumulative_share");
    }
  }

  static long firstRankReaching(List<Expected> byRank, double share) {
    return byRank.stream().filter(e -> e.cumulativeShare() >= share - EPS).findFirst().orElseThrow().rank();
  }

  /** The curve's rows ordered by point. */
  static List<Row> curve(ParetoRanking.Ranked ranked, int points) {
    List<Row> rows = new ArrayList<>(ParetoCurve.build(SparkTestSession.get(), ranked.customers(), ranked.customerCount(), points).collectAsList());
    rows.sort(Comparator.comparingLong(r -> r.<Long>getAs(Columns.POINT)));
    return rows;
  }

  static void assertMonotoneFromOriginToOne(List<Row> rows) {
    Row origin = rows.get(0);
    assertEquals(0L, origin.<Long>getAs(Columns.POINT));
    assertEquals(0L, origin.<Long>getAs(Columns.PARETO_RANK));
    assertEquals(0.0, origin.<Double>getAs(Columns.CUSTOMER_SHARE), 0.0);
    assertEquals(0.0, origin.<Double>getAs(Columns.CUMULATIVE_SHARE), 0.0);
    for (int i = 1; i < rows.size(); i++) {
      Row previous = rows.get(i - 1);
      Row row = rows.get(i);
      assertTrue(row.<Long>getAs(Columns.POINT) > previous.<Long>getAs(Columns.POINT), "points increase at " + row);
      assertTrue(
          row.<Long>getAs(Columns.PARETO_RANK) > previous.<Long>getAs(Columns.PARETO_RANK), "ranks increase at " + row);
      assertTrue(
          row.<Double>getAs(Columns.CUSTOMER_SHARE) > previous.<Double>getAs(Columns.CUSTOMER_SHARE),
          "customer share increases at " + row);
      // Shares are running sums of doubles taken per partition: allow drift in the last bits only.
      assertTrue(
          row.<Double>getAs(Columns.CUMULATIVE_SHARE) >= previous.<Double>getAs(Columns.CUMULATIVE_SHARE) - 1e-12,
          "cumulative share does not decrease at " + row + " after " + previous);
      assertTrue(row.<Double>getAs(Columns.CUMULATIVE_SHARE) <= 1.0 + 1e-12, "cumulative share at most 1 at " + row);
    }
    Row last = rows.get(rows.size() - 1);
    assertEquals(1.0, last.<Double>getAs(Columns.CUSTOMER_SHARE), EPS);
    assertEquals(1.0, last.<Double>getAs(Columns.CUMULATIVE_SHARE), EPS);
  }
}
