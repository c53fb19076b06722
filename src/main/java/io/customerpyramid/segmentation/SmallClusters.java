package io.customerpyramid.segmentation;

import io.customerpyramid.config.JobConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Clusters under {@code segmentation.min_segment_share} of customers: an outlier or two must not
 * own a segment. With {@code small_segments = merge} each joins the large cluster whose centroid is
 * nearest to its own (squared Euclidean distance in the scaled space the clustering used); with
 * {@code outliers} it stays, to be named "outliers". Works from the k per-cluster sums alone.
 */
public final class SmallClusters {

  private SmallClusters() {}

  /**
   * A small cluster and what became of it.
   *
   * @param into the cluster it was merged into, or -1 when it is kept as outliers
   */
  public record Small(int cluster, long customers, double share, int into) {

    public boolean merged() {
      return into >= 0;
    }
  }

  /** The small clusters, by cluster number. Nothing is small when the threshold is 0. */
  public static List<Small> find(List<ClusterMetrics.ClusterSums> clusters, double minShare, JobConfig.SmallSegments policy) {
    long total = clusters.stream().mapToLong(ClusterMetrics.ClusterSums::count).sum();
    List<ClusterMetrics.ClusterSums> large = new ArrayList<>();
    List<ClusterMetrics.ClusterSums> small = new ArrayList<>();
    for (ClusterMetrics.ClusterSums c : clusters) {
      (c.count() < minShare * total ? small : large).add(c);
    }
    List<Small> found = new ArrayList<>();
    if (large.isEmpty()) {
      // Every cluster is under the threshold (k above 1 / min_segment_share): nothing to merge into.
      return found;
    }
    for (ClusterMetrics.ClusterSums c : small) {
      int into = -1;
      if (policy == JobConfig.SmallSegments.MERGE) {
        double nearest = Double.POSITIVE_INFINITY;
        double[] centre = c.centroid();
        for (ClusterMetrics.ClusterSums candidate : large) {
          double distance = squaredDistance(centre, candidate.centroid());
          if (distance < nearest) {
            nearest = distance;
            into = candidate.cluster();
          }
        }
      }
      found.add(new Small(c.cluster(), c.count(), c.count() / (double) total, into));
    }
    return found;
  }

  /** Cluster number to the cluster whose segment it takes: itself, or the one it was merged into. */
  public static int[] groups(int k, List<Small> small) {
    int[] group = new int[k];
    for (int cluster = 0; cluster < k; cluster++) {
      group[cluster] = cluster;
    }
    for (Small s : small) {
      if (s.merged() && s.cluster() < k) {
        group[s.cluster()] = s.into();
      }
    }
    return group;
  }

  private static double squaredDistance(double[] a, double[] b) {
    double sum = 0;
    for (int d = 0; d < a.length; d++) {
      double difference = a[d] - b[d];
      sum += difference * difference;
    }
    return sum;
  }
}
