package io.customerpyramid.segmentation;

import io.customerpyramid.config.JobConfig;
import org.apache.spark.ml.PipelineModel;
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

  /**
   * Sum of squared distances to the cluster centroids in scaled space (WSSSE): the k-means models'
   * own training cost; for a Gaussian mixture computed from the assignments (one aggregation).
   */
  public static double trainingCost(PipelineModel model, Dataset<Row> predicted) {
    return trainingCost(model.stages()[model.stages().length - 1], predicted);
  }

  /** The same for a fitted clustering stage alone. */
  public static double trainingCost(Transformer last, Dataset<Row> predicted) {
    // A k-means model started from given centres has no training summary: computed like the mixture's.
    if (last instanceof KMeansModel kmeans && kmeans.hasSummary()) {
      return kmeans.summary().trainingCost();
    }
    if (last instanceof BisectingKMeansModel bisecting && bisecting.hasSummary()) {
      return bisecting.summary().trainingCost();
    }
    return ClusterMetrics.withinSquares(
        ClusterMetrics.clusterSums(predicted, KMeansSegmentation.SCALED, KMeansSegmentation.CLUSTER));
  }
}
