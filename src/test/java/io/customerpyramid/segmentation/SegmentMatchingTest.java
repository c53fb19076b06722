package io.customerpyramid.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one-to-one matching of segments by centre: the Hungarian method against brute force, and the id rules. */
class SegmentMatchingTest {

  @Test
  void theAssignmentHasTheLeastTotalCostOfAllAssignments() {
    Random random = new Random(5);
    for (int trial = 0; trial < 200; trial++) {
      int rows = 1 + random.nextInt(6);
      int columns = 1 + random.nextInt(6);
      double[][] cost = new double[rows][columns];
      for (double[] row : cost) {
        for (int j = 0; j < columns; j++) {
          // Integer costs make ties, which the method must still solve optimally.
          row[j] = random.nextInt(10);
        }
      }
      int[] assigned = SegmentMatching.assign(cost);
      assertEquals(Math.min(rows, columns), java.util.Arrays.stream(assigned).filter(j -> j >= 0).count(), "as many pairs as possible");
      assertEquals(java.util.Arrays.stream(assigned).filter(j -> j >= 0).distinct().count(),
          java.util.Arrays.stream(assigned).filter(j -> j >= 0).count(), "one to one");
      double total = 0;
      for (int i = 0; i < rows; i++) {
        total += assigned[i] >= 0 ? cost[i][assigned[i]] : 0;
      }
      assertEquals(bruteForce(cost), total, 1e-9, "trial " + trial);
    }
  }

  /** The least total cost over every one-to-one assignment of min(rows, columns) pairs. */
  private static double bruteForce(double[][] cost) {
    int rows = cost.length;
    int columns = cost[0].length;
    if (rows > columns) {
      double[][] transposed = new double[columns][rows];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < columns; j++) {
          transposed[j][i] = cost[i][j];
        }
      }
      return bruteForce(transposed);
    }
    return best(cost, 0, new boolean[columns]);
  }

  private static double best(double[][] cost, int row, boolean[] used) {
    if (row == cost.length) {
      return 0;
    }
    double best = Double.POSITIVE_INFINITY;
    for (int j = 0; j < used.length; j++) {
      if (!used[j]) {
        used[j] = true;
        best = Math.min(best, cost[row][j] + best(cost, row + 1, used));
        used[j] = false;
      }
    }
    return best;
  }

  @Test
  void segmentsTakeThePreviousIdsOfTheirMatchesWhateverTheirContributionOrder() {
    // Now by contribution: 1 = (5, 0), 2 = (0, 0), 3 = (0, 5). Before, the same places had ids 3, 1, 2.
    Map<Integer, double[]> now = Map.of(1, new double[] {5.1, 0}, 2, new double[] {0, 0.1}, 3, new double[] {0.2, 5});
    Map<Integer, double[]> before = Map.of(3, new double[] {5, 0}, 1, new double[] {0, 0}, 2, new double[] {0, 5});
    Map<Integer, SegmentMatching.Match> matches = SegmentMatching.match(now, before, 1.0);
    assertEquals(3, matches.get(1).segmentId());
    assertEquals(1, matches.get(2).segmentId());
    assertEquals(2, matches.get(3).segmentId());
    assertEquals(0.1, matches.get(2).distance(), 1e-9);
    assertTrue(matches.values().stream().allMatch(SegmentMatching.Match::matched));
  }

  @Test
  void aSegmentWithoutAMatchWithinTheDistanceGetsANewIdAboveThePreviousOnes() {
    // Segment 2 sits far from every previous centre; segment 3 has no partner (one more segment than before).
    Map<Integer, double[]> now =
        Map.of(1, new double[] {0, 0}, 2, new double[] {20, 20}, 3, new double[] {5.2, 0}, 4, new double[] {-30, 0});
    Map<Integer, double[]> before = Map.of(1, new double[] {0, 0.3}, 4, new double[] {5, 0}, 6, new double[] {0, 9});
    Map<Integer, SegmentMatching.Match> matches = SegmentMatching.match(now, before, 1.0);
    assertEquals(1, matches.get(1).segmentId());
    assertEquals(4, matches.get(3).segmentId());
    assertFalse(matches.get(2).matched());
    assertFalse(matches.get(4).matched());
    // New ids above the previous ones (max 6), in the order of the current ids.
    assertEquals(7, matches.get(2).segmentId());
    assertEquals(8, matches.get(4).segmentId());
    List<Integer> ids = new ArrayList<>();
    matches.values().forEach(m -> ids.add(m.segmentId()));
    assertEquals(4, ids.stream().distinct().count());
    assertEquals(
        "segments matched to 2026-09-30's by centre (distance in scaled units): 1 (0.30), 4 (0.20); new: 7 (22.83), 8 (no"
            + " partner left) (segmentation.match_max_distance 1.00)",
        SegmentMatching.describe(matches, "2026-09-30", 1.0));
  }
}
