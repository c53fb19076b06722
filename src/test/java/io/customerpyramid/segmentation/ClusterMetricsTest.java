package io.customerpyramid.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.customerpyramid.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cluster-quality metrics against values worked out by hand on tiny fixtures. */
class ClusterMetricsTest {

  /** Two triangles: A = (0,0),(2,0),(1,3) with centroid (1,1); B = A shifted by (10,0), centroid (11,1). */
  private static final double[][] POINTS = {{0, 0}, {2, 0}, {1, 3}, {10, 0}, {12, 0}, {11, 3}};
  private static final int[] CLUSTERS = {0, 0, 0, 1, 1, 1};

  @BeforeAll
  static void session() {
    SparkTestSession.get();
  }

  private static Dataset<Row> points(int[] clusters) {
    StructType schema =
        new StructType().add("features", SQLDataTypes.VectorType()).add("cluster", DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < POINTS.length; i++) {
      rows.add(RowFactory.create(Vectors.dense(POINTS[i]), clusters[i]));
    }
    return SparkTestSession.get().createDataFrame(rows, schema);
  }

  @Test
  void clusterSumsHoldCountSumAndSquaredNorms() {
    List<ClusterMetrics.ClusterSums> sums = ClusterMetrics.clusterSums(points(CLUSTERS), "features", "cluster");
    assertEquals(2, sums.size());
    ClusterMetrics.ClusterSums a = sums.get(0);
    assertEquals(3, a.count());
    assertEquals(3.0, a.sum()[0], 1e-12);
    assertEquals(3.0, a.sum()[1], 1e-12);
    // 0 + 4 + (1 + 9)
    assertEquals(14.0, a.sumSquaredNorms(), 1e-12);
    // 100 + 144 + (121 + 9)
    assertEquals(374.0, sums.get(1).sumSquaredNorms(), 1e-12);
  }

  @Test
  void calinskiHarabaszDaviesBouldinAndWithinSquaresMatchHandValues() {
    List<ClusterMetrics.ClusterSums> sums = ClusterMetrics.clusterSums(points(CLUSTERS), "features", "cluster");
    // Within each triangle: (1+1) + (1+1) + (0+4) = 8, so W = 16.
    assertEquals(16.0, ClusterMetrics.withinSquares(sums), 1e-9);
    // Overall mean (6,1); each centroid is 5 away: B = 3*25 + 3*25 = 150. CH = (150/1) / (16/4) = 37.5.
    assertEquals(37.5, ClusterMetrics.calinskiHarabasz(sums), 1e-9);
    // S_A = S_B = sqrt(8/3) (RMS distance to the centroid); centroids 10 apart: DB = 2 sqrt(8/3) / 10.
    assertEquals(2 * Math.sqrt(8.0 / 3) / 10, ClusterMetrics.daviesBouldin(sums), 1e-9);
    assertEquals(0.5, ClusterMetrics.smallestClusterShare(sums), 1e-12);
  }

  @Test
  void unevenClustersGiveTheHandComputedIndices() {
    // Moving (1,3) into B: A = (0,0),(2,0), centroid (1,0), W_A = 2; B = (1,3),(10,0),(12,0),(11,3), centroid (8.5,1.5),
    // W_B = (56.25+2.25) + (2.25+2.25) + (12.25+2.25) + (6.25+2.25) = 86; W = 88. Mean (6,1): B = 2*26 + 4*6.5 = 78.
    List<ClusterMetrics.ClusterSums> sums =
        ClusterMetrics.clusterSums(points(new int[] {0, 0, 1, 1, 1, 1}), "features", "cluster");
    assertEquals(88.0, ClusterMetrics.withinSquares(sums), 1e-9);
    assertEquals((78.0 / 1) / (88.0 / 4), ClusterMetrics.calinskiHarabasz(sums), 1e-9);
    // S_A = 1, S_B = sqrt(86/4); centroid distance sqrt(7.5^2 + 1.5^2) = sqrt(58.5).
    assertEquals((1 + Math.sqrt(21.5)) / Math.sqrt(58.5), ClusterMetrics.daviesBouldin(sums), 1e-9);
    assertEquals(2 / 6.0, ClusterMetrics.smallestClusterShare(sums), 1e-12);
  }

  @Test
  void withinSquaresIsTheKMeansTrainingCost() {
    Dataset<Row> points = points(CLUSTERS);
    KMeansModel model = new KMeans().setK(2).setSeed(1).setPredictionCol("found").fit(points);
    assertEquals(16.0, model.summary().trainingCost(), 1e-9);
    List<ClusterMetrics.ClusterSums> sums = ClusterMetrics.clusterSums(model.transform(points), "features", "found");
    assertEquals(model.summary().trainingCost(), ClusterMetrics.withinSquares(sums), 1e-9);
  }

  @Test
  void silhouetteMatchesBruteForceOnSquaredDistances() {
    double expected = 0;
    for (int i = 0; i < POINTS.length; i++) {
      double own = 0;
      double other = 0;
      for (int j = 0; j < POINTS.length; j++) {
        double d = Math.pow(POINTS[i][0] - POINTS[j][0], 2) + Math.pow(POINTS[i][1] - POINTS[j][1], 2);
        if (CLUSTERS[j] == CLUSTERS[i]) {
          own += d / 2;
        } else {
          other += d / 3;
        }
      }
      expected += (other - own) / Math.max(own, other) / POINTS.length;
    }
    assertEquals(expected, ClusterMetrics.silhouette(points(CLUSTERS), "features", "cluster", 6, 1000, 1), 1e-9);
  }

  private static Dataset<Row> labelings(int[] a, int[] b) {
    StructType schema = new StructType().add("a", DataTypes.IntegerType).add("b", DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < a.length; i++) {
      rows.add(RowFactory.create(a[i], b[i]));
    }
    return SparkTestSession.get().createDataFrame(rows, schema);
  }

  @Test
  void adjustedRandIndexOfIdenticalAndKnownLabelings() {
    // Same partition under other names: 1.
    assertEquals(1.0, ClusterMetrics.adjustedRandIndex(labelings(new int[] {1, 1, 2, 2, 3, 3}, new int[] {7, 7, 5, 5, 9, 9}), "a", "b"), 1e-12);
    // Cells (1,1)=2, (2,2)=2, (3,2)=2: index 3; row pairs 3, column pairs 1 + 6 = 7; C(6,2) = 15.
    // Expected 3*7/15 = 1.4, max (3+7)/2 = 5: ARI = (3 - 1.4) / (5 - 1.4) = 4/9.
    assertEquals(4.0 / 9, ClusterMetrics.adjustedRandIndex(labelings(new int[] {1, 1, 2, 2, 3, 3}, new int[] {1, 1, 2, 2, 2, 2}), "a", "b"), 1e-12);
    // Cells all 1 (index 0); row pairs 3, column pairs 3+3 = 6: expected 3*6/15 = 1.2, max 4.5: ARI = -1.2/3.3.
    assertEquals(-1.2 / 3.3, ClusterMetrics.adjustedRandIndex(labelings(new int[] {1, 1, 2, 2, 3, 3}, new int[] {1, 2, 1, 2, 1, 2}), "a", "b"), 1e-12);
  }
}
