package io.customerpyramid.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** k-means segmentation on customers with planted, well-separated groups, and the segment_profiles table. */
class KMeansSegmentationTest {

  private static final int K = 4;
  private static final int PER_GROUP = 60;
  private static final int PARTITIONS = 4;

  /** Integer-valued features are int (days) or long (counts), as in customer_features; the rest double. */
  private static final Set<String> INT_FEATURES = Set.of(Columns.RECENCY_DAYS, Columns.TENURE_DAYS);
  private static final Set<String> LONG_FEATURES =
      Set.of(Columns.FREQUENCY, Columns.CONTACT_COUNT, Columns.COMPLAINT_COUNT, Columns.INVOICE_COUNT);

  /**
   * Planted group centres (group 0 most valuable ... group 3 loss-making), per feature of
   * {@link Columns#NUMERIC_FEATURES} in that order; every customer is its centre times (1 +- 10%).
   */
  private static final double[][] CENTRES = {
    // recency, tenure, frequency, revenue, returns, net_revenue, avg_order_value, discount_amount, discount_rate,
    // return_rate, cost_of_goods, service_cost, contacts, complaints, invoices, late_rate, days_late, bad_debt, contribution
    {8, 1500, 40, 9000, 300, 8700, 225, 300, 0.03, 0.03, 4500, 60, 6, 0, 12, 0.02, 1, 0, 4000},
    {60, 700, 12, 1500, 100, 1400, 125, 120, 0.07, 0.07, 800, 25, 3, 1, 6, 0.10, 3, 0, 560},
    {200, 300, 3, 200, 20, 180, 65, 30, 0.13, 0.10, 110, 10, 1, 0, 2, 0.25, 8, 5, 50},
    {400, 900, 2, 150, 70, 80, 75, 60, 0.30, 0.45, 100, 80, 8, 4, 3, 0.60, 25, 40, -150},
  };

  @BeforeAll
  static void session() {
    SparkTestSession.get();
  }

  /** A generated customer: id, planted group and feature values in NUMERIC_FEATURES order. */
  private record Customer(String id, int group, double[] features) {
    double feature(String name) {
      return features[Columns.NUMERIC_FEATURES.indexOf(name)];
    }
  }

  private static List<Customer> plantedCustomers() {
    Random random = new Random(4242);
    List<Customer> customers = new ArrayList<>();
    for (int g = 0; g < CENTRES.length; g++) {
      for (int i = 0; i < PER_GROUP; i++) {
        double[] values = new double[Columns.NUMERIC_FEATURES.size()];
        for (int f = 0; f < values.length; f++) {
          String name = Columns.NUMERIC_FEATURES.get(f);
          double value = CENTRES[g][f] * (0.9 + 0.2 * random.nextDouble());
          values[f] =
              INT_FEATURES.contains(name) || LONG_FEATURES.contains(name)
                  ? Math.round(value)
                  : Math.round(value * 100) / 100.0;
        }
        customers.add(new Customer(String.format("g%d-%03d", g, i), g, values));
      }
    }
    Collections.shuffle(customers, random);
    return customers;
  }

  private static Dataset<Row> frame(List<Customer> customers) {
    StructType schema = new StructType().add(Columns.CUSTOMER_ID, DataTypes.StringType, false);
    for (String feature : Columns.NUMERIC_FEATURES) {
      DataType type =
          INT_FEATURES.contains(feature)
              ? DataTypes.IntegerType
              : LONG_FEATURES.contains(feature) ? DataTypes.LongType : DataTypes.DoubleType;
      schema = schema.add(feature, type, false);
    }
    Object[][] rows = new Object[customers.size()][];
    for (int c = 0; c < customers.size(); c++) {
      Customer customer = customers.get(c);
      Object[] row = new Object[Columns.NUMERIC_FEATURES.size() + 1];
      row[0] = customer.id();
      for (int f = 0; f < Columns.NUMERIC_FEATURES.size(); f++) {
        String name = Columns.NUMERIC_FEATURES.get(f);
        double v = customer.features()[f];
        row[f + 1] =
            INT_FEATURES.contains(name) ? (Object) (int) v : LONG_FEATURES.contains(name) ? (Object) (long) v : (Object) v;
      }
      rows[c] = row;
    }
    return Fixtures.frame(schema, rows);
  }

  private static JobConfig.Segmentation config() {
    return Fixtures.config("segmentation.k=" + K, "segmentation.seed=7").segmentation();
  }

  private static Map<String, Integer> segments(KMeansSegmentation.Result result) {
    Map<String, Integer> segments = new HashMap<>();
    for (Row row : result.assignments().collectAsList()) {
      assertTrue(!row.isNullAt(1), "every customer has a segment: " + row);
      segments.put(row.getString(0), row.getInt(1));
    }
    return segments;
  }

  /** Adjusted Rand index of two labellings of the same customers (Hubert and Arabie). */
  private static double adjustedRandIndex(List<Integer> a, List<Integer> b) {
    Map<List<Integer>, Long> cells = new HashMap<>();
    Map<Integer, Long> rowsA = new HashMap<>();
    Map<Integer, Long> rowsB = new HashMap<>();
    for (int i = 0; i < a.size(); i++) {
      cells.merge(List.of(a.get(i), b.get(i)), 1L, Long::sum);
      rowsA.merge(a.get(i), 1L, Long::sum);
      rowsB.merge(b.get(i), 1L, Long::sum);
    }
    double index = cells.values().stream().mapToDouble(KMeansSegmentationTest::pairs).sum();
    double sumA = rowsA.values().stream().mapToDouble(KMeansSegmentationTest::pairs).sum();
    double sumB = rowsB.values().stream().mapToDouble(KMeansSegmentationTest::pairs).sum();
    double expected = sumA * sumB / pairs(a.size());
    double max = (sumA + sumB) / 2;
    return (index - expected) / (max - expected);
  }

  private static double pairs(long n) {
    return n * (n - 1) / 2.0;
  }

  @Test
  void adjustedRandIndexHelperScoresIdenticalPartitionsOneAndSplitsLower() {
    assertEquals(1.0, adjustedRandIndex(List.of(1, 1, 2, 2, 3, 3), List.of(7, 7, 5, 5, 9, 9)), 1e-12);
    assertTrue(adjustedRandIndex(List.of(1, 1, 2, 2, 3, 3), List.of(1, 2, 1, 2, 1, 2)) < 0.1);
  }

  @Test
  void plantedGroupsAreFoundDeterministicallyAndNumberedByMeanContribution() {
    List<Customer> customers = plantedCustomers();
    JobConfig.Segmentation config = config();
    assertEquals(K, config.k());

    KMeansSegmentation.Result first = KMeansSegmentation.fit(frame(customers).repartition(3), config, PARTITIONS);
    KMeansSegmentation.Result second = KMeansSegmentation.fit(frame(customers).repartition(7), config, PARTITIONS);
    Map<String, Integer> a = segments(first);
    Map<String, Integer> b = segments(second);

    // (a) Same data and seed, different input partitioning: identical segment per customer.
    assertEquals(customers.size(), a.size());
    assertEquals(a, b);
    assertEquals(first.trainingCost(), second.trainingCost(), 1e-9 * Math.max(1, first.trainingCost()));

    // Segment ids are exactly 1..k.
    assertEquals(Set.of(1, 2, 3, 4), new HashSet<>(a.values()));

    // (b) Segment 1 has the highest mean contribution, and so on down.
    double[] sum = new double[K + 1];
    int[] count = new int[K + 1];
    for (Customer c : customers) {
      int segment = a.get(c.id());
      sum[segment] += c.feature(Columns.CONTRIBUTION);
      count[segment]++;
    }
    for (int s = 2; s <= K; s++) {
      assertTrue(
          sum[s - 1] / count[s - 1] > sum[s] / count[s],
          "mean contribution of segment " + (s - 1) + " above segment " + s);
    }

    // (c) Every planted group lands in exactly one segment, and the planted order by contribution is the segment order.
    List<Integer> planted = new ArrayList<>();
    List<Integer> found = new ArrayList<>();
    for (Customer c : customers) {
      planted.add(c.group());
      found.add(a.get(c.id()));
      assertEquals(c.group() + 1, a.get(c.id()), "segment of " + c.id());
    }
    assertTrue(adjustedRandIndex(planted, found) >= 0.9, "adjusted Rand index " + adjustedRandIndex(planted, found));
  }

  @Test
  void aRefitKeepsThePreviousSnapshotsIdsNotTheContributionOrder() {
    List<Customer> customers = plantedCustomers();
    Dataset<Row> input = frame(customers);
    Map<String, Integer> first = segments(KMeansSegmentation.fit(input, config(), PARTITIONS));
    // The previous snapshot numbered the same segments the other way round (K + 1 - id).
    Dataset<Row> previous =
        input.join(
            KMeansSegmentation.fit(input, config(), PARTITIONS).assignments()
                .withColumn(Columns.SEGMENT_ID, org.apache.spark.sql.functions.lit(K + 1).minus(org.apache.spark.sql.functions.col(Columns.SEGMENT_ID))),
            Columns.CUSTOMER_ID);
    KMeansSegmentation.Result refit =
        KMeansSegmentation.fit(input, config(), PARTITIONS, java.util.Optional.of(new KMeansSegmentation.Previous("2026-09-30", previous)));
    Map<String, Integer> kept = segments(refit);
    for (Customer c : customers) {
      assertEquals(K + 1 - first.get(c.id()), kept.get(c.id()), "segment of " + c.id());
    }
    assertTrue(refit.notes().get(refit.notes().size() - 1).startsWith("segments matched to 2026-09-30's by centre"), refit.notes().toString());
    // The saved model carries the matched numbering: scoring with it gives the same ids.
    Map<String, Integer> scored = segments(KMeansSegmentation.score(refit.model(), input));
    assertEquals(kept, scored);
  }

  @Test
  void segmentProfilesMatchBruteForceMeansMediansAndShares() {
    List<Customer> customers = plantedCustomers();
    Dataset<Row> input = frame(customers);
    KMeansSegmentation.Result result = KMeansSegmentation.fit(input, config(), PARTITIONS);
    Map<String, Integer> segmentOf = segments(result);
    Dataset<Row> segmented = input.join(result.assignments(), Columns.CUSTOMER_ID);
    List<Row> profiles = SegmentProfiles.build(segmented, config().features(), Map.of(), java.util.Set.of()).collectAsList();

    // (d) One row per (segment, feature).
    assertEquals(K * Columns.NUMERIC_FEATURES.size(), profiles.size());
    Set<List<Object>> keys = new HashSet<>();
    for (Row row : profiles) {
      keys.add(List.of(row.<Integer>getAs(Columns.SEGMENT_ID), row.<String>getAs(Columns.FEATURE)));
    }
    assertEquals(profiles.size(), keys.size(), "(segment, feature) pairs are distinct");

    // Brute force per segment: customers, then each feature's mean and median as percentile_approx defines it
    // (the smallest value with at least half the segment at or below it; exact for segments this small).
    Map<Integer, List<Customer>> bySegment = new HashMap<>();
    for (Customer c : customers) {
      bySegment.computeIfAbsent(segmentOf.get(c.id()), s -> new ArrayList<>()).add(c);
    }
    double contributionTotal = customers.stream().mapToDouble(c -> c.feature(Columns.CONTRIBUTION)).sum();
    Map<Integer, Double> customerShares = new HashMap<>();
    for (Row row : profiles) {
      int segment = row.<Integer>getAs(Columns.SEGMENT_ID);
      String feature = row.getAs(Columns.FEATURE);
      List<Customer> members = bySegment.get(segment);
      assertNotNull(members, "segment " + segment);
      assertEquals((long) members.size(), row.<Long>getAs(Columns.CUSTOMERS), "customers of segment " + segment);
      double share = row.<Double>getAs(Columns.CUSTOMER_SHARE);
      assertEquals(members.size() / (double) customers.size(), share, 1e-6);
      customerShares.put(segment, share);
      double contribution = members.stream().mapToDouble(c -> c.feature(Columns.CONTRIBUTION)).sum();
      assertEquals(contribution, row.<java.math.BigDecimal>getAs(Columns.CONTRIBUTION).doubleValue(), 0.005, "contribution of segment " + segment);
      assertEquals(contribution / contributionTotal, row.<Double>getAs(Columns.CONTRIBUTION_SHARE), 1e-6);

      double[] values = members.stream().mapToDouble(c -> c.feature(feature)).sorted().toArray();
      double mean = 0;
      for (double v : values) {
        mean += v;
      }
      mean /= values.length;
      double median = values[(int) Math.ceil(0.5 * values.length) - 1];
      assertEquals(mean, row.<Double>getAs(Columns.MEAN), 1e-4, "mean of " + feature + " in segment " + segment);
      assertEquals(median, row.<Double>getAs(Columns.MEDIAN), 1e-4, "median of " + feature + " in segment " + segment);
    }
    assertEquals(K, customerShares.size());
    assertEquals(1.0, customerShares.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-5);
  }

  @Test
  void segmentProfileOfAHandMadeSegmentHasExactMeanAndMedian() {
    // Contribution 10, 20, 30, 100 in segment 1 and -5, -15 in segment 2: means 40 and -10, medians 20 and -15.
    StructType schema =
        new StructType().add(Columns.CUSTOMER_ID, DataTypes.StringType).add(Columns.SEGMENT_ID, DataTypes.IntegerType);
    for (String feature : Columns.NUMERIC_FEATURES) {
      schema = schema.add(feature, DataTypes.DoubleType);
    }
    double[][] contributionBySegment = {{10, 20, 30, 100}, {-5, -15}};
    List<Object[]> rows = new ArrayList<>();
    for (int s = 0; s < contributionBySegment.length; s++) {
      for (double contribution : contributionBySegment[s]) {
        Object[] row = new Object[Columns.NUMERIC_FEATURES.size() + 2];
        row[0] = "h" + rows.size();
        row[1] = s + 1;
        for (int f = 0; f < Columns.NUMERIC_FEATURES.size(); f++) {
          row[f + 2] = Columns.NUMERIC_FEATURES.get(f).equals(Columns.CONTRIBUTION) ? contribution : 1.0 + s;
        }
        rows.add(row);
      }
    }
    Dataset<Row> handMade = Fixtures.frame(schema, rows.toArray(Object[][]::new));
    List<Row> profiles = SegmentProfiles.build(handMade, Fixtures.config().segmentation().features(), Map.of(), java.util.Set.of()).collectAsList();
    assertEquals(2 * Columns.NUMERIC_FEATURES.size(), profiles.size());
    Map<String, Row> byKey = new HashMap<>();
    for (Row row : profiles) {
      byKey.put(row.getAs(Columns.SEGMENT_ID) + "/" + row.getAs(Columns.FEATURE), row);
    }
    Row one = byKey.get("1/" + Columns.CONTRIBUTION);
    assertEquals(40.0, one.<Double>getAs(Columns.MEAN), 1e-9);
    assertEquals(20.0, one.<Double>getAs(Columns.MEDIAN), 1e-9);
    assertEquals(4L, one.<Long>getAs(Columns.CUSTOMERS));
    assertEquals(4 / 6.0, one.<Double>getAs(Columns.CUSTOMER_SHARE), 1e-6);
    assertEquals(160.0 / 140.0, one.<Double>getAs(Columns.CONTRIBUTION_SHARE), 1e-6);
    Row two = byKey.get("2/" + Columns.CONTRIBUTION);
    assertEquals(-10.0, two.<Double>getAs(Columns.MEAN), 1e-9);
    assertEquals(-15.0, two.<Double>getAs(Columns.MEDIAN), 1e-9);
    assertEquals(2 / 6.0, two.<Double>getAs(Columns.CUSTOMER_SHARE), 1e-6);
    Row recency = byKey.get("2/" + Columns.RECENCY_DAYS);
    assertEquals(2.0, recency.<Double>getAs(Columns.MEAN), 1e-9);
    assertEquals(2.0, recency.<Double>getAs(Columns.MEDIAN), 1e-9);

    // z-scores against the population: contribution mean 140/6, population variance 8383.33/6.
    double std = Math.sqrt((Math.pow(10 - 140 / 6.0, 2) + Math.pow(20 - 140 / 6.0, 2) + Math.pow(30 - 140 / 6.0, 2)
        + Math.pow(100 - 140 / 6.0, 2) + Math.pow(-5 - 140 / 6.0, 2) + Math.pow(-15 - 140 / 6.0, 2)) / 6);
    assertEquals((40 - 140 / 6.0) / std, one.<Double>getAs(Columns.Z_SCORE), 1e-4);
    assertEquals((-10 - 140 / 6.0) / std, two.<Double>getAs(Columns.Z_SCORE), 1e-4);
    // Other features: 1 in segment 1 (4 customers), 2 in segment 2 (2): mean 4/3, std sqrt(2)/3, z = -1/sqrt(2) and sqrt(2).
    assertEquals(-1 / Math.sqrt(2), byKey.get("1/" + Columns.FREQUENCY).<Double>getAs(Columns.Z_SCORE), 1e-4);
    assertEquals(Math.sqrt(2), recency.<Double>getAs(Columns.Z_SCORE), 1e-4);

    // Names by the documented rule: segment 1 z(contribution) 0.45 (mid); every other feature has the
    // same |z|, so the first two clustering features in configuration order: recency, then frequency.
    assertEquals("mid value · recent · occasional", one.getAs(Columns.SEGMENT_NAME));
    assertEquals("loss-making · lapsed · frequent", two.getAs(Columns.SEGMENT_NAME));
    Map<String, Row> renamed = new HashMap<>();
    for (Row row : SegmentProfiles.build(handMade, Fixtures.config().segmentation().features(), Map.of(2, "let go"), java.util.Set.of()).collectAsList()) {
      renamed.put(row.getAs(Columns.SEGMENT_ID) + "/" + row.getAs(Columns.FEATURE), row);
    }
    assertEquals("let go", renamed.get("2/" + Columns.CONTRIBUTION).getAs(Columns.SEGMENT_NAME));
    assertEquals("mid value · recent · occasional", renamed.get("1/" + Columns.CONTRIBUTION).getAs(Columns.SEGMENT_NAME));
  }
}
