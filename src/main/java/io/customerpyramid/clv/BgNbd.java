package io.customerpyramid.clv;

import static org.apache.commons.math3.special.Gamma.logGamma;

/**
 * The BG/NBD formulas of Fader, Hardie and Lee (2005), "Counting your customers the easy way", for one
 * customer with x repeat purchases, the last at t_x, observed for T since the first purchase (any time unit,
 * the one alpha is in). Stateless and thread-safe, so usable inside a Spark UDF.
 */
public final class BgNbd {

  /** Within this of its singular value, eq. (10) is evaluated either side of a = 1 (or a + b + x = 1) and averaged. */
  private static final double SINGULAR_WIDTH = 1e-6;

  private BgNbd() {}

  /**
   * log L(r, alpha, a, b | x, t_x, T), eq. (6) of the paper in logs: A1 + A2 + log(exp(A3) + [x > 0] exp(A4))
   * with A1 = lnG(r + x) - lnG(r) + r ln alpha, A2 = lnB(a, b + x) - lnB(a, b), A3 = -(r + x) ln(alpha + T)
   * and A4 = ln a - ln(b + x - 1) - (r + x) ln(alpha + t_x).
   */
  public static double logLikelihood(BgNbdParameters p, double x, double tx, double T) {
    Checks.requireHistory(x, tx, T);
    double r = p.r();
    double alpha = p.alpha();
    double a = p.a();
    double b = p.b();
    double a1 = logGamma(r + x) - logGamma(r) + r * Math.log(alpha);
    double a2 = logGamma(a + b) + logGamma(b + x) - logGamma(b) - logGamma(a + b + x);
    double a3 = -(r + x) * Math.log(alpha + T);
    if (x == 0) {
      return a1 + a2 + a3;
    }
    double a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
    return a1 + a2 + logSumExp(a3, a4);
  }

  /**
   * P(alive | x, t_x, T) = 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)), eq. (13);
   * exactly 1 for x = 0, since the model lets a customer drop out only after a repeat purchase.
   */
  public static double probabilityAlive(BgNbdParameters p, double x, double tx, double T) {
    Checks.requireHistory(x, tx, T);
    if (x == 0) {
      return 1.0;
    }
    return 1 / (1 + Math.exp(logOddsDead(p.r(), p.alpha(), p.a(), p.b(), x, tx, T)));
  }

  /**
   * E[Y(t) | x, t_x, T], the expected purchases in the next t, eq. (10):
   * (a + b + x - 1) / (a - 1) [1 - ((alpha + T) / (alpha + T + t))^(r + x) 2F1(r + x, b + x; a + b + x - 1; t / (alpha + T + t))]
   * divided by 1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x). With 1 - z = (alpha + T) /
   * (alpha + T + t), Euler's transformation turns the product in brackets into
   * (1 - z)^(a - 1) 2F1(a + b - 1 - r, a - 1; a + b + x - 1; z), which is how it is computed: the 2F1 of eq. (10)
   * grows like (1 - z)^-(r + x) and overflows for a customer with a thousand purchases, this one stays near 1.
   *
   * @throws IllegalArgumentException for a t so long against alpha + T (thousands of times) that the 2F1 series
   *     does not converge
   */
  public static double expectedPurchases(BgNbdParameters p, double x, double tx, double T, double t) {
    Checks.requireHistory(x, tx, T);
    if (!(t >= 0) || Double.isInfinite(t)) {
      throw new IllegalArgumentException("t (prediction horizon) must be >= 0 and finite, got " + t);
    }
    if (t == 0) {
      return 0.0;
    }
    double a = p.a();
    // a = 1 and a + b + x = 1 are removable singularities of eq. (10) (0/0 and 0 * pole); the formula is
    // smooth in a, so the mean of its values just either side is its value there to O(width^2).
    boolean nearSingular = Math.abs(a - 1) < SINGULAR_WIDTH || Math.abs(a + p.b() + x - 1) < SINGULAR_WIDTH;
    if (nearSingular && a > 2 * SINGULAR_WIDTH) {
      double below = conditionalExpectation(p.r(), p.alpha(), a - SINGULAR_WIDTH, p.b(), x, tx, T, t);
      double above = conditionalExpectation(p.r(), p.alpha(), a + SINGULAR_WIDTH, p.b(), x, tx, T, t);
      return (below + above) / 2;
    }
    return conditionalExpectation(p.r(), p.alpha(), a, p.b(), x, tx, T, t);
  }

  /**
   * E[X(t)] for a customer just acquired, eq. (7):
   * (a + b - 1) / (a - 1) [1 - (alpha / (alpha + t))^r 2F1(r, b; a + b - 1; t / (alpha + t))],
   * which is eq. (10) with x = t_x = T = 0.
   */
  public static double expectedPurchasesNewCustomer(BgNbdParameters p, double t) {
    return expectedPurchases(p, 0, 0, 0, t);
  }

  private static double conditionalExpectation(
      double r, double alpha, double a, double b, double x, double tx, double T, double t) {
    double logRemaining = Math.log(alpha + T) - Math.log(alpha + T + t); // ln(1 - z)
    double z = t / (alpha + T + t);
    double series = Hypergeometric.hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z);
    double numerator = (a + b + x - 1) / (a - 1) * (1 - Math.exp((a - 1) * logRemaining) * series);
    if (x == 0) {
      return numerator;
    }
    return numerator / (1 + Math.exp(logOddsDead(r, alpha, a, b, x, tx, T)));
  }

  /** log of a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x), for x > 0. */
  private static double logOddsDead(double r, double alpha, double a, double b, double x, double tx, double T) {
    return Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  }

  /** log(exp(u) + exp(v)) without overflow. */
  static double logSumExp(double u, double v) {
    double max = Math.max(u, v);
    return max + Math.log1p(Math.exp(Math.min(u, v) - max));
  }
}
