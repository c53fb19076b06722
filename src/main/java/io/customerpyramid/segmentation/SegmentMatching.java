package io.customerpyramid.segmentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps segment ids meaning the same thing month after month: a refitted snapshot's segments are
 * matched one to one with the previous snapshot's by the distance between their centres (both
 * measured in this fit's scaled feature space), with the assignment of least total distance
 * (Hungarian method). A matched segment takes the previous id; one whose nearest assignment is
 * further than {@code segmentation.match_max_distance}, or that has no partner (more segments than
 * before), gets a new id above every previous one.
 */
public final class SegmentMatching {

  private SegmentMatching() {}

  /** One segment of this fit and what it was matched with. */
  public record Match(int segmentId, Integer previousId, double distance) {

    public boolean matched() {
      return previousId != null;
    }
  }

  /**
   * The new segment id of each segment of this fit.
   *
   * @param centres this fit's segments (their ids by mean contribution) to their centres
   * @param previous the previous snapshot's segment ids to their centres, in the same space
   * @return per segment of this fit: its id from now on and its match
   */
  public static Map<Integer, Match> match(Map<Integer, double[]> centres, Map<Integer, double[]> previous, double maxDistance) {
    List<Integer> ids = new ArrayList<>(centres.keySet());
    List<Integer> previousIds = new ArrayList<>(previous.keySet());
    ids.sort(Comparator.naturalOrder());
    previousIds.sort(Comparator.naturalOrder());
    double[][] distance = new double[ids.size()][previousIds.size()];
    for (int i = 0; i < ids.size(); i++) {
      for (int j = 0; j < previousIds.size(); j++) {
        distance[i][j] = Math.sqrt(squaredDistance(centres.get(ids.get(i)), previous.get(previousIds.get(j))));
      }
    }
    int[] assigned = assign(distance);
    Map<Integer, Match> matches = new TreeMap<>();
    int next = previousIds.stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    // Unmatched segments get new ids in the order of their current ids (mean contribution).
    for (int i = 0; i < ids.size(); i++) {
      int j = assigned[i];
      if (j >= 0 && distance[i][j] <= maxDistance) {
        matches.put(ids.get(i), new Match(previousIds.get(j), previousIds.get(j), distance[i][j]));
      } else {
        matches.put(ids.get(i), new Match(next++, null, j >= 0 ? distance[i][j] : Double.NaN));
      }
    }
    return matches;
  }

  /** The summary's line: which segment took which previous id, and which are new. */
  public static String describe(Map<Integer, Match> matches, String previousSnapshot, double maxDistance) {
    StringBuilder kept = new StringBuilder();
    StringBuilder fresh = new StringBuilder();
    for (Match m : matches.values().stream().sorted(Comparator.comparingInt(Match::segmentId)).toList()) {
      if (m.matched()) {
        kept.append(kept.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%d (%.2f)", m.segmentId(), m.distance()));
      } else {
        fresh.append(fresh.isEmpty() ? "" : ", ").append(m.segmentId())
            .append(Double.isNaN(m.distance()) ? " (no partner left)" : String.format(Locale.ROOT, " (%.2f)", m.distance()));
      }
    }
    String line = "segments matched to " + previousSnapshot + "'s by centre (distance in scaled units): "
        + (kept.isEmpty() ? "none" : kept);
    return fresh.isEmpty()
        ? line
        : line + String.format(Locale.ROOT, "; new: %s (segmentation.match_max_distance %.2f)", fresh, maxDistance);
  }

  /**
   * The assignment of rows to columns of least total cost (Hungarian method, O(n³)); rows beyond
   * the columns get -1. Small here: at most 50 segments a side.
   */
  static int[] assign(double[][] cost) {
    int rows = cost.length;
    int columns = rows == 0 ? 0 : cost[0].length;
    int n = Math.max(rows, columns);
    // Square, padded with zero-cost dummies; potentials u, v and the column's row p (1-based).
    double[] u = new double[n + 1];
    double[] v = new double[n + 1];
    int[] p = new int[n + 1];
    int[] way = new int[n + 1];
    for (int i = 1; i <= n; i++) {
      p[0] = i;
      int j0 = 0;
      double[] minv = new double[n + 1];
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      boolean[] used = new boolean[n + 1];
      do {
        used[j0] = true;
        int i0 = p[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = 0;
        for (int j = 1; j <= n; j++) {
          if (!used[j]) {
            double c = (i0 <= rows && j <= columns ? cost[i0 - 1][j - 1] : 0) - u[i0] - v[j];
            if (c < minv[j]) {
              minv[j] = c;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        for (int j = 0; j <= n; j++) {
          if (used[j]) {
            u[p[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (p[j0] != 0);
      do {
        int j1 = way[j0];
        p[j0] = p[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] assigned = new int[rows];
    Arrays.fill(assigned, -1);
    for (int j = 1; j <= n; j++) {
      if (p[j] >= 1 && p[j] <= rows && j <= columns) {
        assigned[p[j] - 1] = j - 1;
      }
    }
    return assigned;
  }

  private static double squaredDistance(double[] a, double[] b) {
    double sum = 0;
    for (int d = 0; d < Math.min(a.length, b.length); d++) {
      double difference = a[d] - b[d];
      sum += difference * difference;
    }
    return sum;
  }
}
