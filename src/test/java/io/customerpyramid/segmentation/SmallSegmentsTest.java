package io.customerpyramid.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Outliers do not own segments: three planted groups of customers and one customer far from all of
 * them (returns nearly everything, costs a fortune to serve). With k = 4 and no protection the
 * extreme customer takes a cluster of its own; the defaults (winsorising, and segments under 1 %
 * merged into the nearest larger one) never publish it alone.
 */
class SmallSegmentsTest {

  private static final List<String> FEATURES =
      List.of(Columns.RECENCY_DAYS, Columns.FREQUENCY, Columns.NET_REVENUE, Columns.RETURN_RATE, Columns.SERVICE_COST,
          Columns.CONTRIBUTION);
  private static final String EXTREME = "extreme";
  private static final int PER_GROUP = 100;
  /** Centres of the groups, in FEATURES order. */
  private static final double[][] CENTRES = {
    {10, 30, 6000, 0.03, 40, 2500}, {90, 8, 900, 0.08, 20, 300}, {300, 2, 150, 0.15, 15, 20},
  };
  private static final double[] EXTREME_VALUES = {200, 3, 40, 0.98, 40_000, -39_000};

  private static Dataset<Row> customers;

  @BeforeAll
  static void customers() {
    SparkTestSession.get();
    StructType schema = new StructType().add(Columns.CUSTOMER_ID, DataTypes.StringType, false);
    for (String feature : FEATURES) {
      schema = schema.add(feature, DataTypes.DoubleType, false);
    }
    Random random = new Random(11);
    List<Object[]> rows = new ArrayList<>();
    for (int g = 0; g < CENTRES.length; g++) {
      for (int i = 0; i < PER_GROUP; i++) {
        Object[] row = new Object[FEATURES.size() + 1];
        row[0] = "g" + g + "-" + i;
        for (int f = 0; f < FEATURES.size(); f++) {
          row[f + 1] = CENTRES[g][f] * (0.85 + 0.3 * random.nextDouble());
        }
        rows.add(row);
      }
    }
    Object[] extreme = new Object[FEATURES.size() + 1];
    extreme[0] = EXTREME;
    for (int f = 0; f < FEATURES.size(); f++) {
      extreme[f + 1] = EXTREME_VALUES[f];
    }
    rows.add(extreme);
    customers = Fixtures.frame(schema, rows.toArray(Object[][]::new)).cache();
  }

  private static JobConfig.Segmentation config(String... settings) {
    List<String> all = new ArrayList<>(List.of("segmentation.k=4", "segmentation.seed=3",
        "segmentation.features=[" + String.join(",", FEATURES) + "]",
        "segmentation.log_features=[net_revenue,service_cost,contribution]"));
    all.addAll(List.of(settings));
    return Fixtures.config(all.toArray(String[]::new)).segmentation();
  }

  /** Segment id to its customers. */
  private static Map<Integer, List<String>> members(KMeansSegmentation.Result result) {
    Map<Integer, List<String>> members = new HashMap<>();
    for (Row row : result.assignments().collectAsList()) {
      members.computeIfAbsent(row.getInt(1), s -> new ArrayList<>()).add(row.getString(0));
    }
    return members;
  }

  private static int segmentOf(KMeansSegmentation.Result result, String customer) {
    return result.assignments().filter(functions.col(Columns.CUSTOMER_ID).equalTo(customer)).first().getInt(1);
  }

  @Test
  void withoutProtectionTheExtremeCustomerOwnsACluster() {
    KMeansSegmentation.Result result =
        KMeansSegmentation.fit(
            customers, config("segmentation.winsorize_percentile=0", "segmentation.min_segment_share=0"), 2);
    assertEquals(List.of(EXTREME), members(result).get(segmentOf(result, EXTREME)));
    assertEquals(List.of(), result.smallSegments());
  }

  @Test
  void withTheDefaultsNoSegmentIsUnderOnePercent() {
    JobConfig.Segmentation defaults = config();
    assertEquals(0.01, defaults.minSegmentShare());
    assertEquals(JobConfig.SmallSegments.MERGE, defaults.smallSegments());
    KMeansSegmentation.Result result = KMeansSegmentation.fit(customers, defaults, 2);
    Map<Integer, List<String>> members = members(result);
    for (Map.Entry<Integer, List<String>> segment : members.entrySet()) {
      assertTrue(segment.getValue().size() >= 0.01 * (3 * PER_GROUP + 1), "segment " + segment.getKey() + ": " + segment.getValue().size());
    }
    assertTrue(members.get(segmentOf(result, EXTREME)).size() > 1);
  }

  @Test
  void theDefaultWinsorisingAloneKeepsTheExtremeCustomerOutOfAClusterOfItsOwn() {
    // No merging: only the preprocessing (1st/99th percentile clipping) at work.
    KMeansSegmentation.Result result = KMeansSegmentation.fit(customers, config("segmentation.min_segment_share=0"), 2);
    assertEquals(0.01, config().winsorizePercentile());
    assertTrue(members(result).get(segmentOf(result, EXTREME)).size() > 1, "the extreme customer's segment: " + members(result).get(segmentOf(result, EXTREME)));
    assertEquals(4, members(result).size());
  }

  @Test
  void aSegmentUnderTheMinimumShareJoinsTheLargerSegmentWithTheNearestCentre() {
    // Winsorising off, so that the extreme customer's cluster forms and the merge is what removes it.
    KMeansSegmentation.Result result = KMeansSegmentation.fit(customers, config("segmentation.winsorize_percentile=0"), 2);
    Map<Integer, List<String>> members = members(result);
    assertEquals(3, members.size(), "three segments published: " + members.keySet());
    assertEquals(Set.of(1, 2, 3), members.keySet(), "ids stay 1..3, by mean contribution");
    assertEquals(1, result.smallSegments().size());
    KMeansSegmentation.SmallSegment small = result.smallSegments().get(0);
    assertEquals(1, small.customers());
    assertTrue(small.merged());
    int into = segmentOf(result, EXTREME);
    assertEquals(into, small.segmentId());
    // The nearest centre in the scaled space: the extreme customer has group 2's low frequency and
    // high recency (lapsed, occasional), whose members it joins.
    assertTrue(members.get(into).contains("g2-0"), "joined the lapsed group: " + members.get(into).subList(0, 3));
    assertEquals(
        "a cluster of 1 customer (0.33%) is under segmentation.min_segment_share 1.00%: merged into segment " + into
            + " (nearest centre)",
        small.describe(0.01));
  }

  @Test
  void withSmallSegmentsKeptAsOutliersTheSegmentIsPublishedAndNamedOutliers() {
    KMeansSegmentation.Result result =
        KMeansSegmentation.fit(customers, config("segmentation.winsorize_percentile=0", "segmentation.small_segments=outliers"), 2);
    int outlier = segmentOf(result, EXTREME);
    assertEquals(List.of(EXTREME), members(result).get(outlier));
    assertEquals(Set.of(outlier), result.outlierSegments());
    Dataset<Row> segmented = customers.join(result.assignments(), Columns.CUSTOMER_ID);
    for (String feature : Columns.NUMERIC_FEATURES) {
      if (!FEATURES.contains(feature)) {
        segmented = segmented.withColumn(feature, functions.lit(0.0));
      }
    }
    Map<Integer, String> names = new HashMap<>();
    for (Row row : SegmentProfiles.build(segmented, result.features(), Map.of(), result.outlierSegments()).collectAsList()) {
      names.put(row.getAs(Columns.SEGMENT_ID), row.getAs(Columns.SEGMENT_NAME));
    }
    assertEquals("outliers", names.get(outlier));
    assertEquals(4, Set.copyOf(names.values()).size(), "unique names: " + names);
  }

  @Test
  void constantAndNearDuplicateFeaturesAreLeftOutOfTheClustering() {
    // revenue is net revenue plus 10 % (r = 1 after the log); a constant discount rate says nothing.
    Dataset<Row> customersWithTwins =
        customers
            .withColumn(Columns.DISCOUNT_RATE, functions.lit(0.1))
            .withColumn(Columns.REVENUE, functions.col(Columns.NET_REVENUE).multiply(1.1));
    String features = "segmentation.features=[net_revenue,discount_rate,revenue]";
    String logged = "segmentation.log_features=[net_revenue,revenue]";
    JobConfig.Segmentation config = Fixtures.config("segmentation.k=3", features, logged).segmentation();
    FeatureCorrelations.Selection selection = FeatureCorrelations.select(customersWithTwins, config);
    assertEquals(
        List.of(
            "discount_rate left out of the clustering: the same value for every customer",
            "revenue left out of the clustering: it moves with net_revenue (r = 1.000, |r| above segmentation.correlation_warning 0.90)"),
        selection.notes());
    assertEquals(List.of(Columns.NET_REVENUE), selection.config().features());
    assertEquals(List.of(Columns.NET_REVENUE), selection.config().logFeatures());
    KMeansSegmentation.Result result = KMeansSegmentation.fit(customersWithTwins, config, 2);
    assertEquals(List.of(Columns.NET_REVENUE), result.features());
    assertEquals(selection.notes(), result.notes());
    JobConfig.Segmentation off =
        Fixtures.config("segmentation.k=3", features, logged, "segmentation.drop_redundant_features=false").segmentation();
    assertEquals(off.features(), FeatureCorrelations.select(customersWithTwins, off).config().features());
  }
}
