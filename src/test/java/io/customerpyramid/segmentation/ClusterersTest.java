package io.customerpyramid.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.feature.RobustScaler;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The algorithms, transforms and correlation warning selected by config. */
class ClusterersTest {

  private static final String PLANTED = "planted";
  private static final double[][] CENTRES = {{10, 40, 5000}, {300, 40, 500}, {10, 3, 500}, {300, 3, 5000}};
  private static final double[] NOISE = {15, 2, 250};
  private static final int PER_GROUP = 50;

  private static Dataset<Row> planted;

  @BeforeAll
  static void plant() {
    SparkTestSession.get();
    Random random = new Random(5);
    List<Object[]> rows = new ArrayList<>();
    for (int g = 0; g < CENTRES.length; g++) {
      for (int i = 0; i < PER_GROUP; i++) {
        double revenue = CENTRES[g][2] + NOISE[2] * random.nextGaussian();
        rows.add(new Object[] {
          String.format("p%d-%03d", g, i), g, CENTRES[g][0] + NOISE[0] * random.nextGaussian(),
          CENTRES[g][1] + NOISE[1] * random.nextGaussian(), revenue, revenue});
      }
    }
    planted = Fixtures.frame(schema(true), rows.toArray(Object[][]::new)).cache();
  }

  private static StructType schema(boolean withPlanted) {
    StructType schema = new StructType().add(Columns.CUSTOMER_ID, DataTypes.StringType);
    if (withPlanted) {
      schema = schema.add(PLANTED, DataTypes.IntegerType);
    }
    return schema
        .add(Columns.RECENCY_DAYS, DataTypes.DoubleType)
        .add(Columns.FREQUENCY, DataTypes.DoubleType)
        .add(Columns.NET_REVENUE, DataTypes.DoubleType)
        .add(Columns.CONTRIBUTION, DataTypes.DoubleType);
  }

  private static JobConfig.Segmentation config(String... more) {
    List<String> overrides = new ArrayList<>(List.of(
        "segmentation.features=[recency_days, frequency, net_revenue]", "segmentation.log_features=[]",
        "segmentation.k=4", "segmentation.seed=3", "segmentation.max_iterations=20"));
    overrides.addAll(List.of(more));
    return Fixtures.config(overrides.toArray(String[]::new)).segmentation();
  }

  private static double plantedAgreement(JobConfig.Segmentation config) {
    KMeansSegmentation.Result result = KMeansSegmentation.fit(planted, config, 2);
    assertTrue(result.trainingCost() > 0);
    return ClusterMetrics.adjustedRandIndex(planted.join(result.assignments(), Columns.CUSTOMER_ID), PLANTED, Columns.SEGMENT_ID);
  }

  @Test
  void everyAlgorithmFindsThePlantedGroups() {
    double bisecting = plantedAgreement(config("segmentation.algorithm=bisecting-kmeans"));
    assertEquals(1.0, bisecting, 0.1);
    assertEquals(1.0, plantedAgreement(config("segmentation.algorithm=kmeans", "segmentation.scaling=robust",
        "segmentation.winsorize_percentile=0.02")), 0.1);
  }

  @Test
  void aSavedModelScoresTheSameSegmentsWithoutRefitting(@TempDir Path dir) throws Exception {
    KMeansSegmentation.Result fitted = KMeansSegmentation.fit(planted, config("segmentation.winsorize_percentile=0.02"), 2);
    String path = dir.resolve("_models/snapshot_date=2026-11-01").toString();
    fitted.model().write().overwrite().save(path);

    // Other partitioning and row order than the fit, and the model loaded from disk.
    KMeansSegmentation.Result scored = KMeansSegmentation.score(PipelineModel.load(path), planted.repartition(3));
    Map<String, Integer> before = new HashMap<>();
    for (Row row : fitted.assignments().collectAsList()) {
      before.put(row.getString(0), row.getInt(1));
    }
    Map<String, Integer> after = new HashMap<>();
    for (Row row : scored.assignments().collectAsList()) {
      after.put(row.getString(0), row.getInt(1));
    }
    assertEquals(4 * PER_GROUP, before.size());
    assertEquals(before, after);
    assertEquals(fitted.trainingCost(), scored.trainingCost(), 1e-6 * fitted.trainingCost());
    assertEquals(List.of(1, 2, 3, 4), Arrays.stream(scored.clusterToSegment()).sorted().boxed().toList());
  }

  @Test
  void scalingIsStandardOrRobust() {
    assertInstanceOf(StandardScaler.class, KMeansSegmentation.pipeline(config(), planted).getStages()[2]);
    assertInstanceOf(RobustScaler.class, KMeansSegmentation.pipeline(config("segmentation.scaling=robust"), planted).getStages()[2]);
  }

  /** frequency = 1..100 with an outlier-free range; net_revenue = 2 x frequency + 1; recency alternates 1, -1. */
  private static Dataset<Row> line(int n) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      rows.add(new Object[] {"l" + i, i % 2 == 1 ? 1.0 : -1.0, (double) i, 2.0 * i + 1, 0.0});
    }
    return Fixtures.frame(schema(false), rows.toArray(Object[][]::new));
  }

  @Test
  void winsorisingClipsAtThePercentilesOfTheTrainingRows() {
    Dataset<Row> assembled =
        KMeansSegmentation.assembledFeatures(config("segmentation.winsorize_percentile=0.05"), line(100));
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (Row row : assembled.select(KMeansSegmentation.ASSEMBLED).collectAsList()) {
      double frequency = row.<Vector>getAs(0).apply(1);
      min = Math.min(min, frequency);
      max = Math.max(max, frequency);
    }
    // The 5th and 95th percentiles of 1..100 are 5 and 95.
    assertEquals(5.0, min, 1e-9);
    assertEquals(95.0, max, 1e-9);
  }

  @Test
  void correlatedPairsAboveTheWarningAreReported() {
    // On 1..6: recency (1,-1,...) against frequency: sum of deviations x signs = -3, sqrt(17.5 x 6) = sqrt(105): r = -0.293.
    List<FeatureCorrelations.Pair> pairs = FeatureCorrelations.aboveWarning(line(6), config());
    assertEquals(1, pairs.size(), pairs.toString());
    assertEquals(Columns.FREQUENCY, pairs.get(0).first());
    assertEquals(Columns.NET_REVENUE, pairs.get(0).second());
    assertEquals(1.0, pairs.get(0).correlation(), 1e-9);
    List<FeatureCorrelations.Pair> lower = FeatureCorrelations.aboveWarning(line(6), config("segmentation.correlation_warning=0.29"));
    assertEquals(3, lower.size(), lower.toString());
    assertEquals(-3 / Math.sqrt(105), lower.get(0).correlation(), 1e-9);
  }
}
