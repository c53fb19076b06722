package io.customerpyramid.segmentation;

import io.customerpyramid.config.JobConfig;
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.clustering.BisectingKMeans;
import org.apache.spark.ml.clustering.BisectingKMeansModel;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The clustering algorithms behind one interface: each reads the scaled features and writes an
 * integer cluster column, so segment numbering, profiles and tune-k work the same for all of them.
 */
public final class Clusterers {

  private Clusterers() {}

  /** The configured algorithm's estimator, reading {@link KMeansSegmentation#SCALED}, writing {@link KMeansSegmentation#CLUSTER}. */
  public static PipelineStage estimator(JobConfig.Segmentation config) {
    return switch (config.algorithm()) {
      case KMEANS -> new KMeans()
          .setK(config.k())
          .setSeed(config.seed())
          .setMaxIter(config.maxIterations())
          .setFeaturesCol(KMeansSegmentation.SCALED)
          .setPredictionCol(KMeansSegmentation.CLUSTER);
      case BISECTING_KMEANS -> new BisectingKMeans()
          .setK(config.k())
          .setSeed(config.seed())
          .setMaxIter(config.maxIterations())
          .setFeaturesCol(KMeansSegmentation.SCALED)
          .setPredictionCol(KMeansSegmentation.CLUSTER);
      case GAUSSIAN_MIXTURE -> new BoundedGaussianMixture(
          config.k(), config.seed(), config.maxIterations(), KMeansSegmentation.SCALED, KMeansSegmentation.CLUSTER);
    };
  }

  /** The configured algorithm fitted on scaled vectors ({@link KMeansSegmentation#SCALED}). */
  public static Model<?> fit(JobConfig.Segmentation config, Dataset<Row> scaled) {
    return (Model<?>) ((Estimator<?>) estimator(config)).fit(scaled);
  }

  /**
   * Sum of squared distances to the cluster centres in scaled space (WSSSE): the k-means models'
   * own training cost; otherwise (a Gaussian mixture, k-means started from given centres, which has
   * no training summary) from the per-cluster sums already computed.
   */
  public static double trainingCost(Transformer clusterer, List<ClusterMetrics.ClusterSums> sums) {
    if (clusterer instanceof KMeansModel kmeans && kmeans.hasSummary()) {
      return kmeans.summary().trainingCost();
    }
    if (clusterer instanceof BisectingKMeansModel bisecting && bisecting.hasSummary()) {
      return bisecting.summary().trainingCost();
    }
    return ClusterMetrics.withinSquares(sums);
  }
}
