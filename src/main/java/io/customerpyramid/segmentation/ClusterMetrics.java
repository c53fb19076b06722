package io.customerpyramid.segmentation;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Cluster-quality metrics computed without bringing customers to the driver: Calinski–Harabasz and
 * Davies–Bouldin from per-cluster sums (one aggregation, k rows), silhouette on a uniform sample, and
 * the adjusted Rand index of two labelings from their contingency table.
 */
public final class ClusterMetrics {

  private ClusterMetrics() {}

  /** One cluster's sufficient statistics: its size, the sum of its vectors and the sum of their squared norms. */
  public record ClusterSums(int cluster, long count, double[] sum, double sumSquaredNorms) {

    double[] centroid() {
      double[] centre = new double[sum.length];
      for (int d = 0; d < sum.length; d++) {
        centre[d] = sum[d] / count;
      }
      return centre;
    }

    /** Sum of squared distances of the cluster's points to its centroid: Σ‖x‖² − ‖Σx‖²/n. */
    double withinSquares() {
      return Math.max(0.0, sumSquaredNorms - squaredNorm(sum) / count);
    }
  }

  /**
   * The per-cluster sums in one aggregation (k rows to the driver).
   *
   * @param predicted rows with a vector column and an integer cluster column
   */
  public static List<ClusterSums> clusterSums(Dataset<Row> predicted, String featuresCol, String clusterCol) {
    Column squaredNorm =
        aggregate(
            org.apache.spark.ml.functions.vector_to_array(col(featuresCol), "float64"),
            lit(0.0),
            (acc, x) -> acc.plus(x.multiply(x)));
    List<ClusterSums> sums = new ArrayList<>();
    for (Row row :
        predicted
            .groupBy(col(clusterCol))
            .agg(count(lit(1)), Summarizer.sum(col(featuresCol)), sum(squaredNorm))
            .collectAsList()) {
      Vector vector = row.getAs(2);
      sums.add(new ClusterSums(((Number) row.get(0)).intValue(), row.getLong(1), vector.toArray(), row.getDouble(3)));
    }
    sums.sort((a, b) -> Integer.compare(a.cluster(), b.cluster()));
    return sums;
  }

  /** Sum of squared distances of all points to their cluster centroid (what k-means minimises). */
  public static double withinSquares(List<ClusterSums> clusters) {
    return clusters.stream().mapToDouble(ClusterSums::withinSquares).sum();
  }

  /**
   * Calinski–Harabasz index: (B / (k − 1)) / (W / (n − k)), B the between-cluster and W the
   * within-cluster sum of squares; higher is better. NaN for fewer than 2 clusters or n ≤ k.
   */
  public static double calinskiHarabasz(List<ClusterSums> clusters) {
    int k = clusters.size();
    long n = clusters.stream().mapToLong(ClusterSums::count).sum();
    if (k < 2 || n <= k) {
      return Double.NaN;
    }
    int dims = clusters.get(0).sum().length;
    double[] mean = new double[dims];
    for (ClusterSums c : clusters) {
      for (int d = 0; d < dims; d++) {
        mean[d] += c.sum()[d] / n;
      }
    }
    double between = 0;
    for (ClusterSums c : clusters) {
      between += c.count() * squaredDistance(c.centroid(), mean);
    }
    double within = withinSquares(clusters);
    return within == 0 ? Double.POSITIVE_INFINITY : (between / (k - 1)) / (within / (n - k));
  }

  /**
   * Davies–Bouldin index with q = 2 and p = 2 of the original definition: S_i is the root mean squared
   * distance of cluster i's points to its centroid (sums suffice; scikit-learn uses the plain mean
   * distance, q = 1, so its values are somewhat lower), and DB is the mean over clusters of
   * max_{j≠i} (S_i + S_j) / ‖c_i − c_j‖; lower is better. NaN for fewer than 2 clusters.
   */
  public static double daviesBouldin(List<ClusterSums> clusters) {
    int k = clusters.size();
    if (k < 2) {
      return Double.NaN;
    }
    double[] scatter = new double[k];
    double[][] centroids = new double[k][];
    for (int i = 0; i < k; i++) {
      scatter[i] = Math.sqrt(clusters.get(i).withinSquares() / clusters.get(i).count());
      centroids[i] = clusters.get(i).centroid();
    }
    double total = 0;
    for (int i = 0; i < k; i++) {
      double worst = 0;
      for (int j = 0; j < k; j++) {
        if (j != i) {
          double separation = Math.sqrt(squaredDistance(centroids[i], centroids[j]));
          worst = Math.max(worst, separation == 0 ? Double.POSITIVE_INFINITY : (scatter[i] + scatter[j]) / separation);
        }
      }
      total += worst;
    }
    return total / k;
  }

  /** Share of all points in the smallest cluster. */
  public static double smallestClusterShare(List<ClusterSums> clusters) {
    long n = clusters.stream().mapToLong(ClusterSums::count).sum();
    return n == 0 ? Double.NaN : clusters.stream().mapToLong(ClusterSums::count).min().orElse(0) / (double) n;
  }

  /**
   * Mean silhouette (squared Euclidean, Spark's ClusteringEvaluator) on a uniform sample of about
   * {@code sampleSize} rows when there are more; the exact silhouette costs a pass per cluster.
   */
  public static double silhouette(Dataset<Row> predicted, String featuresCol, String clusterCol, long rows, int sampleSize, long seed) {
    Dataset<Row> sample = rows > sampleSize ? predicted.sample(false, sampleSize / (double) rows, seed) : predicted;
    return new ClusteringEvaluator()
        .setFeaturesCol(featuresCol)
        .setPredictionCol(clusterCol)
        .setMetricName("silhouette")
        .setDistanceMeasure("squaredEuclidean")
        .evaluate(sample);
  }

  /**
   * Adjusted Rand index (Hubert and Arabie) of two labelings of the same rows: 1 for identical
   * partitions, about 0 for independent ones. The contingency table (at most k_a × k_b rows) comes to the driver.
   */
  public static double adjustedRandIndex(Dataset<Row> labelled, String labelA, String labelB) {
    Map<Object, Long> rowsA = new HashMap<>();
    Map<Object, Long> rowsB = new HashMap<>();
    double cells = 0;
    long n = 0;
    for (Row row : labelled.groupBy(col(labelA), col(labelB)).count().collectAsList()) {
      long c = row.getLong(2);
      cells += pairs(c);
      rowsA.merge(row.get(0), c, Long::sum);
      rowsB.merge(row.get(1), c, Long::sum);
      n += c;
    }
    double sumA = rowsA.values().stream().mapToDouble(ClusterMetrics::pairs).sum();
    double sumB = rowsB.values().stream().mapToDouble(ClusterMetrics::pairs).sum();
    double expected = n < 2 ? 0 : sumA * sumB / pairs(n);
    double max = (sumA + sumB) / 2;
    // Both labelings put everything in one cluster (or each row alone): they agree completely.
    return max == expected ? 1.0 : (cells - expected) / (max - expected);
  }

  private static double pairs(long n) {
    return n * (n - 1) / 2.0;
  }

  private static double squaredNorm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return s;
  }

  private static double squaredDistance(double[] a, double[] b) {
    double s = 0;
    for (int d = 0; d < a.length; d++) {
      s += (a[d] - b[d]) * (a[d] - b[d]);
    }
    return s;
  }
}
