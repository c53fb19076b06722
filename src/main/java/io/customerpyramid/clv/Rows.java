package io.customerpyramid.clv;

/** Checks on the columns given to a fit. */
final class Rows {

  private Rows() {}

  static void requireSameLength(Object... namesAndColumns) {
    double[] first = (double[]) namesAndColumns[1];
    if (first == null) {
      throw new IllegalArgumentException(namesAndColumns[0] + " is null");
    }
    int expected = first.length;
    for (int i = 2; i < namesAndColumns.length; i += 2) {
      double[] column = (double[]) namesAndColumns[i + 1];
      if (column == null || column.length != expected) {
        throw new IllegalArgumentException(
            "the columns must have one length: " + namesAndColumns[0] + " has " + expected + " rows, "
                + namesAndColumns[i] + " has " + (column == null ? "none (null)" : column.length));
      }
    }
    if (expected == 0) {
      throw new IllegalArgumentException("no rows to fit");
    }
  }

  /** Every weight positive and finite; returns their sum. */
  static double requireWeights(double[] weight) {
    double sum = 0;
    for (int row = 0; row < weight.length; row++) {
      if (!(weight[row] > 0) || Double.isInfinite(weight[row])) {
        throw new IllegalArgumentException("row " + row + ": weight must be positive and finite, got " + weight[row]);
      }
      sum += weight[row];
    }
    return sum;
  }
}
