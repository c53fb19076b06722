package io.customerpyramid.clv;

import static org.apache.commons.math3.special.Gamma.logGamma;

/**
 * The Gamma-Gamma spend formulas of Fader, Hardie and Lee (2005), "RFM and CLV" (as in the lifetimes
 * package's GammaGammaFitter), for a customer whose x repeat purchases had mean value m. Stateless and
 * thread-safe, so usable inside a Spark UDF.
 */
public final class GammaGamma {

  private GammaGamma() {}

  /**
   * log f(m | p, q, v, x) = lnG(p x + q) - lnG(p x) - lnG(q) + q ln v + (p x - 1) ln m + p x ln x - (p x + q) ln(x m + v),
   * the density of the mean of x spends, each Gamma(p, nu), with nu ~ Gamma(q, v); x >= 1 and m > 0.
   */
  public static double logLikelihood(GammaGammaParameters g, double x, double m) {
    Checks.requireSpend(x, m);
    double px = g.p() * x;
    double q = g.q();
    return logGamma(px + q)
        - logGamma(px)
        - logGamma(q)
        + q * Math.log(g.v())
        + (px - 1) * Math.log(m)
        + px * Math.log(x)
        - (px + q) * Math.log(x * m + g.v());
  }

  /**
   * E[M | x, m] = p (v + x m) / (p x + q - 1): a weighted mean of the population mean p v / (q - 1) and the
   * customer's own m, the weight on m growing with x. For x = 0 (m is then ignored) it is the population mean.
   *
   * @throws IllegalArgumentException when p x + q <= 1, where the expectation is infinite (for x = 0: q <= 1)
   */
  public static double expectedOrderValue(GammaGammaParameters g, double x, double m) {
    if (x != 0) {
      Checks.requireSpend(x, m);
    }
    double denominator = g.p() * x + g.q() - 1;
    if (!(denominator > 0)) {
      throw new IllegalArgumentException(
          "the expected order value is infinite when p x + q <= 1 (p = " + g.p() + ", q = " + g.q() + ", x = " + x + ")");
    }
    double ownWeight = x == 0 ? 0 : x * m;
    return g.p() * (g.v() + ownWeight) / denominator;
  }
}
