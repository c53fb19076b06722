package io.customerpyramid.clv;

import java.io.Serializable;

/**
 * The four parameters of the BG/NBD model: purchase rates are Gamma(r, alpha) across customers (alpha a
 * rate, in the data's time unit), drop-out probabilities Beta(a, b).
 */
public record BgNbdParameters(double r, double alpha, double a, double b) implements Serializable {

  public BgNbdParameters {
    Checks.requirePositive("r", r);
    Checks.requirePositive("alpha", alpha);
    Checks.requirePositive("a", a);
    Checks.requirePositive("b", b);
  }
}
