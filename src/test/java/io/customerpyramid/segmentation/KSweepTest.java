package io.customerpyramid.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.tuning.SweepReport;
import io.customerpyramid.testing.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The k sweep on customers with planted, well-separated groups, and its recommendation rule. */
class KSweepTest {

  private static final String PLANTED = "planted";
  private static final int PER_GROUP = 80;
  /** Group centres in (recency_days, frequency, net_revenue): the four corners of a rectangle in two features, two revenues. */
  private static final double[][] CENTRES = {{10, 40, 5000}, {300, 40, 500}, {10, 3, 500}, {300, 3, 5000}};
  private static final double[] NOISE = {15, 2, 250};

  private static Dataset<Row> customers;

  @BeforeAll
  static void plant() {
    SparkTestSession.get();
    Random random = new Random(99);
    StructType schema =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType, false)
            .add(PLANTED, DataTypes.IntegerType, false)
            .add(Columns.RECENCY_DAYS, DataTypes.DoubleType, false)
            .add(Columns.FREQUENCY, DataTypes.DoubleType, false)
            .add(Columns.NET_REVENUE, DataTypes.DoubleType, false);
    List<Object[]> rows = new ArrayList<>();
    for (int g = 0; g < CENTRES.length; g++) {
      for (int i = 0; i < PER_GROUP; i++) {
        rows.add(
            new Object[] {
              String.format("c%d-%03d", g, i), g,
              CENTRES[g][0] + NOISE[0] * random.nextGaussian(),
              CENTRES[g][1] + NOISE[1] * random.nextGaussian(),
              CENTRES[g][2] + NOISE[2] * random.nextGaussian()
            });
      }
    }
    customers = Fixtures.frame(schema, rows.toArray(Object[][]::new)).cache();
  }

  private static JobConfig config() {
    return Fixtures.config(
        "segmentation.features=[recency_days, frequency, net_revenue]",
        "segmentation.log_features=[]",
        "segmentation.seed=11",
        "segmentation.max_iterations=10");
  }

  @Test
  void kAutoFitsTheKTheSweepRecommends() {
    JobConfig auto =
        Fixtures.config(
            "segmentation.features=[recency_days, frequency, net_revenue]", "segmentation.log_features=[]",
            "segmentation.seed=11", "segmentation.max_iterations=10", "segmentation.k=auto", "segmentation.auto_k_range=[3, 5]");
    assertTrue(auto.segmentation().autoK().isPresent());
    List<String> notes = new ArrayList<>();
    JobConfig.Segmentation chosen = KSweep.chooseK(customers, auto.segmentation(), auto.tuning(), 2, notes::add);
    assertEquals(4, chosen.k());
    assertTrue(chosen.autoK().isEmpty(), "k is fixed once chosen");
    assertEquals(1, notes.size());
    assertTrue(notes.get(0).startsWith("k = 4 chosen by tune-k's rule over k = 3..5 with 2 seed(s): silhouette "), notes.get(0));
    // A fixed k is left as it is, with no sweep and no note.
    JobConfig fixed = config();
    assertEquals(fixed.segmentation(), KSweep.chooseK(customers, fixed.segmentation(), fixed.tuning(), 2, notes::add));
    assertEquals(1, notes.size());
  }

  @Test
  void sweepRecommendsThePlantedKAndItsClustersMatchThePlantedLabels() throws java.io.IOException {
    JobConfig config = config();
    List<String> progress = new ArrayList<>();
    // The previous snapshot had the planted groups as its segments.
    KMeansSegmentation.Previous previous =
        new KMeansSegmentation.Previous(
            "2026-10-01", customers.withColumn(Columns.SEGMENT_ID, customers.col(PLANTED).plus(1)));
    KSweep.Result result =
        KSweep.run(customers, config.segmentation(), config.tuning(), List.of(3, 4, 5), 2, 2, Optional.of(previous), progress::add);

    assertEquals(4, result.recommendedK(), SweepReport.consoleTable(result));
    // As read back from its directory: the table's columns, then the partition column.
    io.customerpyramid.testing.DocumentedSchemas.assertDocumented(
        io.customerpyramid.schema.Tables.K_SWEEP,
        result.table(customers.sparkSession()).schema().add(io.customerpyramid.schema.Columns.SNAPSHOT_DATE, org.apache.spark.sql.types.DataTypes.DateType));
    assertFalse(result.fallback());
    assertEquals(3, progress.size(), "one progress line per k");
    assertEquals(6, result.trials().size(), "one trial per k and seed");
    KSweep.KSummary four = result.byK().get(1);
    assertEquals(4, four.k());
    assertEquals(1.0, four.stability().orElseThrow(), 1e-9, "both seeds find the same four groups");
    assertEquals(0.25, four.smallestClusterShare(), 1e-9);
    // Four clusters on the four planted groups: every one matches a previous segment. Five: one of
    // the five has no partner (the matching is one to one).
    assertEquals(1.0, four.previousMatch().orElseThrow(), 1e-9);
    assertEquals(0.8, result.byK().get(2).previousMatch().orElseThrow(), 1e-9);
    assertTrue(progress.get(1).endsWith(", 100% of segments match the previous snapshot's"), progress.get(1));
    for (KSweep.KSummary s : result.byK()) {
      if (s.k() != 4) {
        assertTrue(four.silhouette() > s.silhouette(), "silhouette at k=4 above k=" + s.k());
        assertTrue(four.daviesBouldin() < s.daviesBouldin(), "Davies-Bouldin at k=4 below k=" + s.k());
      }
    }
    // WSSSE only falls with k (the elbow).
    for (int i = 1; i < result.byK().size(); i++) {
      assertTrue(result.byK().get(i).wssse() < result.byK().get(i - 1).wssse());
    }

    // The clusters of the recommended k are the planted groups.
    KMeansSegmentation.Result fit =
        KMeansSegmentation.fit(
            customers.withColumn(Columns.CONTRIBUTION, customers.col(Columns.NET_REVENUE)),
            config.segmentation().withKAndSeed(result.recommendedK(), 11), 2);
    // The sweep measures the fit a run would make with that k and seed (same partitions): same cost.
    KSweep.Trial sweptFour = result.trials().stream().filter(t -> t.k() == 4 && t.seed() == 11).findFirst().orElseThrow();
    assertEquals(fit.trainingCost(), sweptFour.wssse(), 1e-9 * fit.trainingCost());
    Dataset<Row> both = customers.join(fit.assignments(), Columns.CUSTOMER_ID);
    double ari = ClusterMetrics.adjustedRandIndex(both, PLANTED, Columns.SEGMENT_ID);
    assertTrue(ari >= 0.9, "adjusted Rand index against the planted groups: " + ari);

    // The k_sweep table: one row per k and seed, only k=4 recommended; the chart is a PNG embedded in the page.
    List<Row> table = result.table(SparkTestSession.get()).collectAsList();
    assertEquals(6, table.size());
    for (Row row : table) {
      assertEquals(row.<Integer>getAs(Columns.K) == 4, row.<Boolean>getAs(Columns.RECOMMENDED));
    }
    byte[] png = SweepReport.chartPng(result);
    assertEquals((byte) 0x89, png[0]);
    assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
    String html = SweepReport.html(result, "2026-11-01", png);
    assertTrue(html.contains("Recommended k = 4"));
    assertTrue(html.contains("data:image/png;base64,iVBORw0KGgo"));
  }

  private static KSweep.Trial trial(int k, double silhouette, double smallest) {
    return new KSweep.Trial(k, 1, 100.0 / k, silhouette, 10, 1, smallest, k, Double.NaN);
  }

  @Test
  void ruleSkipsUnstableAndTinyClustersAndFallsBackToBestSilhouette() {
    JobConfig.Tuning tuning = config().tuning();
    List<KSweep.Trial> trials = List.of(trial(2, 0.5, 0.4), trial(3, 0.7, 0.2), trial(4, 0.9, 0.005), trial(5, 0.8, 0.1));
    List<KSweep.KSummary> summaries =
        List.of(
            KSweep.summarise(2, List.of(trials.get(0)), Optional.of(0.95), tuning),
            KSweep.summarise(3, List.of(trials.get(1)), Optional.of(0.85), tuning),
            // best silhouette, but a cluster of 0.5 % of customers
            KSweep.summarise(4, List.of(trials.get(2)), Optional.of(1.0), tuning),
            // second best, but the seeds disagree
            KSweep.summarise(5, List.of(trials.get(3)), Optional.of(0.6), tuning));
    KSweep.Result result = KSweep.recommend(trials, summaries, tuning);
    assertEquals(3, result.recommendedK());
    assertFalse(result.fallback());
    assertTrue(result.rule().contains("stability >= 0.80"), result.rule());
    assertTrue(result.rule().contains(">= 1.0% of customers"), result.rule());

    KSweep.Result fallback = KSweep.recommend(trials, List.of(summaries.get(2), summaries.get(3)), tuning);
    assertEquals(4, fallback.recommendedK());
    assertTrue(fallback.fallback());
    assertTrue(fallback.rule().contains("fallback"), fallback.rule());
  }
}
