package io.customerpyramid.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Gaussian mixture behind {@code segmentation.algorithm = gaussian-mixture}: its arithmetic by hand,
 * and fits run to convergence on the data that made MLlib's mixture collapse a component.
 */
class BoundedGaussianMixtureTest {

  private static final String PLANTED = "planted";
  private static final double[][] CENTRES = {{10, 40, 5000}, {300, 40, 500}, {10, 3, 500}, {300, 3, 5000}};
  private static final double[] NOISE = {15, 2, 250};
  private static final int PER_GROUP = 50;
  private static final int DIMENSIONS = 3;

  @BeforeAll
  static void session() {
    SparkTestSession.get();
  }

  // ---- arithmetic

  @Test
  void logDensityMatchesTheFormulaWorkedByHand() {
    // weight 0.5, mean (1, 2), covariance [[4, 2], [2, 3]] at x = (2, 0): δ = (1, −2), det = 8,
    // Σ⁻¹ = [[3, −2], [−2, 4]] / 8, δᵀΣ⁻¹δ = (3 + 8 + 16) / 8 = 3.375.
    MixtureComponents mixture =
        new MixtureComponents(new double[] {0.5, 0.5}, new double[][] {{1, 2}, {0, 0}},
            new double[][][] {{{4, 2}, {2, 3}}, {{1, 0}, {0, 1}}});
    double[] out = new double[2];
    mixture.weightedLogDensities(new double[] {2, 0}, out);
    assertEquals(Math.log(0.5) - 0.5 * (2 * Math.log(2 * Math.PI) + Math.log(8)) - 0.5 * 3.375, out[0], 1e-12);
    // Identity covariance at distance² 4: log 0.5 − log 2π − 2.
    assertEquals(Math.log(0.5) - Math.log(2 * Math.PI) - 2, out[1], 1e-12);

    double logLikelihood = MixtureComponents.toResponsibilities(out);
    double a = Math.exp(Math.log(0.5) - 0.5 * (2 * Math.log(2 * Math.PI) + Math.log(8)) - 0.5 * 3.375);
    double b = Math.exp(Math.log(0.5) - Math.log(2 * Math.PI) - 2);
    assertEquals(Math.log(a + b), logLikelihood, 1e-12);
    assertEquals(a / (a + b), out[0], 1e-12);
    assertEquals(b / (a + b), out[1], 1e-12);
  }

  @Test
  void aCustomerFarFromEveryComponentGoesToTheNearestNotToTheFirst() {
    // At x = 1000 every density underflows to 0 in linear space; in log space component 1 is nearer.
    MixtureComponents mixture =
        new MixtureComponents(new double[] {0.5, 0.5}, new double[][] {{0}, {10}}, new double[][][] {{{1}}, {{1}}});
    assertEquals(1, mixture.mostLikely(new double[] {1000}));
    assertEquals(0, mixture.mostLikely(new double[] {-1000}));
  }

  @Test
  void theMStepReestimatesWeightsMeansAndCovariancesAndDropsCollapsedComponents() {
    // Component 0 holds the square (0,0), (2,0), (0,2), (2,2): mean (1, 1), covariance I (population);
    // component 1 holds one customer at (5, 5): fewer than d + 1 = 3 customers, dropped.
    double[][] references = {{0, 0}, {5, 5}};
    MixtureComponents.Sums sums = new MixtureComponents.Sums(2, 2);
    for (double[] x : new double[][] {{0, 0}, {2, 0}, {0, 2}, {2, 2}}) {
      sums.add(x, new double[] {1, 0}, references);
    }
    sums.add(new double[] {5, 5}, new double[] {0, 1}, references);
    MixtureComponents.Update update = MixtureComponents.reestimate(sums, references, 3);
    assertEquals(List.of("component 1 (1.0 customers)"), update.dropped());
    MixtureComponents kept = update.components();
    assertEquals(1, kept.size());
    assertEquals(1.0, kept.weight(0), 1e-15);
    assertArrayEquals(new double[] {1, 1}, kept.mean(0), 1e-15);
    double floor = MixtureComponents.COVARIANCE_FLOOR;
    assertArrayEquals(new double[] {1 + floor, 0}, kept.covariance(0)[0], 1e-15);
    assertArrayEquals(new double[] {0, 1 + floor}, kept.covariance(0)[1], 1e-15);

    // Identical customers: variance 0, kept positive definite by the floor alone.
    MixtureComponents.Sums same = new MixtureComponents.Sums(1, 2);
    for (int i = 0; i < 5; i++) {
      same.add(new double[] {3, 3}, new double[] {1}, new double[][] {{0, 0}});
    }
    MixtureComponents.Update identical = MixtureComponents.reestimate(same, new double[][] {{0, 0}}, 3);
    assertArrayEquals(new double[] {floor, 0}, identical.components().covariance(0)[0], 1e-18);
    assertArrayEquals(new double[] {3, 3}, identical.components().mean(0), 1e-15);

    assertNull(MixtureComponents.reestimate(sums, references, 10).components(), "every component below the minimum");
  }

  @Test
  void aCovarianceThatIsNotPositiveDefiniteOrNotFiniteIsRefused() {
    assertNull(MixtureComponents.cholesky(new double[][] {{1, 2}, {2, 1}}));
    assertNull(MixtureComponents.cholesky(new double[][] {{Double.NaN, 0}, {0, 1}}));
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> new MixtureComponents(new double[] {1}, new double[][] {{Double.NaN}}, new double[][][] {{{1}}}));
    assertTrue(nan.getMessage().contains("mean of component 0 is not finite"), nan.getMessage());
  }

  // ---- fits on Spark, run to convergence

  private static StructType schema() {
    return new StructType()
        .add(Columns.CUSTOMER_ID, DataTypes.StringType)
        .add(PLANTED, DataTypes.IntegerType)
        .add(Columns.RECENCY_DAYS, DataTypes.DoubleType)
        .add(Columns.FREQUENCY, DataTypes.DoubleType)
        .add(Columns.NET_REVENUE, DataTypes.DoubleType)
        .add(Columns.CONTRIBUTION, DataTypes.DoubleType);
  }

  /** The planted groups ClusterersTest uses for the other algorithms (on which MLlib's mixture collapsed components and hung CI), plus extra rows. */
  private static Dataset<Row> planted(List<Object[]> extra) {
    Random random = new Random(5);
    List<Object[]> rows = new ArrayList<>();
    for (int g = 0; g < CENTRES.length; g++) {
      for (int i = 0; i < PER_GROUP; i++) {
        double revenue = CENTRES[g][2] + NOISE[2] * random.nextGaussian();
        rows.add(new Object[] {String.format("p%d-%03d", g, i), g, CENTRES[g][0] + NOISE[0] * random.nextGaussian(),
            CENTRES[g][1] + NOISE[1] * random.nextGaussian(), revenue, revenue});
      }
    }
    rows.addAll(extra);
    return Fixtures.frame(schema(), rows.toArray(Object[][]::new));
  }

  /** Winsorising and small-segment merging off: these tests are about the mixture's own guards. */
  private static JobConfig.Segmentation mixture(int k) {
    return Fixtures.config(
            "segmentation.features=[recency_days, frequency, net_revenue]", "segmentation.log_features=[]",
            "segmentation.algorithm=gaussian-mixture", "segmentation.k=" + k, "segmentation.seed=3",
            "segmentation.max_iterations=200", "segmentation.winsorize_percentile=0", "segmentation.min_segment_share=0")
        .segmentation();
  }

  private static BoundedGaussianMixtureModel mixtureModel(PipelineModel model) {
    // The segment numbering wraps the fitted clustering pipeline, whose last stage is the mixture.
    PipelineModel clustering = (PipelineModel) model.stages()[0];
    Transformer last = clustering.stages()[clustering.stages().length - 1];
    return assertInstanceOf(BoundedGaussianMixtureModel.class, last);
  }

  private static Map<Integer, Long> segmentSizes(KMeansSegmentation.Result result) {
    Map<Integer, Long> sizes = new HashMap<>();
    for (Row row : result.assignments().groupBy(Columns.SEGMENT_ID).count().collectAsList()) {
      sizes.put(row.getInt(0), row.getLong(1));
    }
    return sizes;
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void theMixtureFindsThePlantedGroupsAndConverges() {
    Dataset<Row> customers = planted(List.of());
    KMeansSegmentation.Result result = KMeansSegmentation.fit(customers, mixture(4), 2);
    BoundedGaussianMixtureModel model = mixtureModel(result.model());
    assertTrue(model.converged(), "converged within 200 iterations, took " + model.iterations());
    assertEquals(4, model.components().size());
    assertEquals(customers.count(), result.assignments().count());
    assertTrue(result.trainingCost() > 0);
    assertEquals(1.0, ClusterMetrics.adjustedRandIndex(customers.join(result.assignments(), Columns.CUSTOMER_ID), PLANTED, Columns.SEGMENT_ID), 1e-9);
    for (int j = 0; j < 4; j++) {
      assertEquals(0.25, model.components().weight(j), 1e-6);
    }
  }

  /**
   * k = 6 on four planted groups, one customer far from all of them and ten identical customers: the
   * k-means start gives the lone customer a component of its own, which collapses (one customer cannot
   * have a covariance) and is dropped; the identical customers keep theirs (floor on the covariance).
   */
  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aCollapsingComponentIsDroppedAndTheFitRunsToConvergence(@TempDir Path dir) {
    List<Object[]> extra = new ArrayList<>();
    extra.add(new Object[] {"lone", 4, 2000.0, 400.0, 90000.0, 90000.0});
    for (int i = 0; i < 10; i++) {
      extra.add(new Object[] {String.format("same-%02d", i), 5, 150.0, 20.0, 2500.0, 2500.0});
    }
    Dataset<Row> customers = planted(extra);
    KMeansSegmentation.Result result = KMeansSegmentation.fit(customers, mixture(6), 2);
    BoundedGaussianMixtureModel model = mixtureModel(result.model());
    assertTrue(model.converged(), "converged within 200 iterations, took " + model.iterations());
    assertEquals(5, model.components().size(), "the lone customer's component was dropped");
    assertEquals(customers.count(), result.assignments().count());

    Map<Integer, Long> sizes = segmentSizes(result);
    assertEquals(5, sizes.size(), sizes.toString());
    assertTrue(sizes.values().stream().allMatch(size -> size >= DIMENSIONS + 1), "no segment too small for a covariance: " + sizes);
    // The identical customers form a segment of exactly their own.
    Map<String, Row> byId = Fixtures.byKey(result.assignments(), Columns.CUSTOMER_ID);
    int identical = byId.get("same-00").getInt(1);
    assertEquals(10L, sizes.get(identical));
    // The four planted groups are still found.
    Dataset<Row> plantedOnly = customers.filter(customers.col(PLANTED).lt(4)).join(result.assignments(), Columns.CUSTOMER_ID);
    assertEquals(1.0, ClusterMetrics.adjustedRandIndex(plantedOnly, PLANTED, Columns.SEGMENT_ID), 1e-9);

    // Saved and loaded with the pipeline, the mixture scores the same segments without refitting.
    String path = dir.resolve("model").toString();
    try {
      result.model().write().overwrite().save(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    KMeansSegmentation.Result scored = KMeansSegmentation.score(PipelineModel.load(path), customers.repartition(3));
    Map<String, Row> scoredById = Fixtures.byKey(scored.assignments(), Columns.CUSTOMER_ID);
    for (Map.Entry<String, Row> entry : byId.entrySet()) {
      assertEquals(entry.getValue().getInt(1), scoredById.get(entry.getKey()).getInt(1), entry.getKey());
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void customersThatDoNotFormKGroupsFailWithAMessageNamingTheCause() {
    // Nineteen identical customers and one other: k-means finds two centres, and the one customer's
    // component cannot hold a covariance, so one component is left of k = 3.
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      double revenue = i == 0 ? 900.0 : 100.0;
      rows.add(new Object[] {"c" + i, 0, i == 0 ? 300.0 : 10.0, 5.0, revenue, revenue});
    }
    // Every feature kept (frequency is constant and the other two move together: the default would
    // cluster on recency alone), so that a covariance needs d + 1 = 4 customers.
    JobConfig.Segmentation everyFeature =
        Fixtures.config(
                "segmentation.features=[recency_days, frequency, net_revenue]", "segmentation.log_features=[]",
                "segmentation.algorithm=gaussian-mixture", "segmentation.k=3", "segmentation.seed=3",
                "segmentation.max_iterations=200", "segmentation.drop_redundant_features=false",
                "segmentation.winsorize_percentile=0", "segmentation.min_segment_share=0")
            .segmentation();
    ClusteringError error = assertThrows(ClusteringError.class,
        () -> KMeansSegmentation.fit(Fixtures.frame(schema(), rows.toArray(Object[][]::new)), everyFeature, 2));
    assertTrue(error.getMessage().startsWith("Gaussian mixture: only 1 of k = 3 components kept at least 4 customers"), error.getMessage());
    assertTrue(error.getMessage().contains("the customers do not form 3 distinct groups"), error.getMessage());
    assertTrue(error.getMessage().contains("lower segmentation.k"), error.getMessage());
  }
}
