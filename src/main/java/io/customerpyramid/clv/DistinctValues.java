package io.customerpyramid.clv;

import java.util.Arrays;

/**
 * The distinct values of a column and, for each row, the index of its value: what lets a likelihood compute
 * the terms that depend on x alone (log-gammas, digammas) once per distinct x instead of once per row.
 */
record DistinctValues(double[] values, int[] indexOfRow) {

  static DistinctValues of(double[] column) {
    double[] values = Arrays.stream(column).sorted().distinct().toArray();
    int[] index = new int[column.length];
    for (int row = 0; row < column.length; row++) {
      index[row] = Arrays.binarySearch(values, column[row]);
    }
    return new DistinctValues(values, index);
  }

  int size() {
    return values.length;
  }
}
