package io.customerpyramid.clv;

import java.util.Locale;

/** The Gauss hypergeometric function 2F1 by its power series, for the |z| < 1 that the BG/NBD needs. */
public final class Hypergeometric {

  /** Enough for z = 0.999 with moderate parameters; beyond it the series is too slow to be worth waiting for. */
  static final int MAX_TERMS = 200_000;

  private static final double RELATIVE_TOLERANCE = 1e-16;

  private Hypergeometric() {}

  /**
   * 2F1(a, b; c; z) = sum over k of (a)_k (b)_k / ((c)_k k!) z^k, for finite a, b, c and -1 < z < 1.
   *
   * @throws IllegalArgumentException naming the arguments when they are outside that domain, c is a
   *     non-positive integer, or the series does not converge within {@value #MAX_TERMS} terms
   */
  public static double hyp2f1(double a, double b, double c, double z) {
    if (!Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c) || !(Math.abs(z) < 1)) {
      throw new IllegalArgumentException(describe(a, b, c, z) + " is defined here only for finite a, b, c and -1 < z < 1");
    }
    if (c <= 0 && c == Math.rint(c)) {
      throw new IllegalArgumentException(describe(a, b, c, z) + " has a pole: c is a non-positive integer");
    }
    double term = 1;
    double sum = 1;
    for (int k = 0; k < MAX_TERMS; k++) {
      double ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
      term *= ratio;
      sum += term;
      if (!Double.isFinite(sum)) {
        throw new IllegalArgumentException(describe(a, b, c, z) + " overflowed after " + (k + 1) + " terms");
      }
      if (term == 0) {
        return sum; // a or b a non-positive integer: the series is a polynomial
      }
      // The term ratios tend to z, so once they are below 1 the rest of the series is at most a
      // geometric tail with the larger of the current ratio and |z|.
      double bound = Math.max(Math.abs(ratio), Math.abs(z));
      if (Math.abs(ratio) < 1 && Math.abs(term) * bound / (1 - bound) <= RELATIVE_TOLERANCE * Math.abs(sum)) {
        return sum;
      }
    }
    throw new IllegalArgumentException(
        describe(a, b, c, z) + " did not converge within " + MAX_TERMS + " terms (z too close to 1 for the series)");
  }

  private static String describe(double a, double b, double c, double z) {
    return String.format(Locale.ROOT, "2F1(a = %s, b = %s; c = %s; z = %s)", a, b, c, z);
  }
}
