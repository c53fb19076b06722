package io.customerpyramid.clv;

import java.util.Locale;

/** Argument checks shared by the formulas and the fitters, with messages that name the bad value. */
final class Checks {

  private Checks() {}

  static void requirePositive(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be positive and finite, got " + value);
    }
  }

  /** x repeat purchases (a whole number), the last at t_x, in an observation of length T. */
  static void requireHistory(double x, double tx, double T) {
    if (!(x >= 0) || x != Math.rint(x) || Double.isInfinite(x)) {
      throw new IllegalArgumentException("x (repeat purchases) must be a whole number >= 0, got " + x);
    }
    if (!(T >= 0) || Double.isInfinite(T)) {
      throw new IllegalArgumentException("T (customer age) must be >= 0 and finite, got " + T);
    }
    if (!(tx >= 0 && tx <= T)) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "t_x (time of last purchase) must be in [0, T = %s], got %s", T, tx));
    }
  }

  /** x repeat purchases (a whole number >= 1) with mean value m > 0. */
  static void requireSpend(double x, double m) {
    if (!(x >= 1) || x != Math.rint(x) || Double.isInfinite(x)) {
      throw new IllegalArgumentException("x (repeat purchases) must be a whole number >= 1, got " + x);
    }
    requirePositive("m (mean repeat purchase value)", m);
  }
}
