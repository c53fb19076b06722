package io.customerpyramid.clv;

import static org.apache.commons.math3.special.Gamma.digamma;
import static org.apache.commons.math3.special.Gamma.logGamma;

import java.util.List;

/**
 * The Gamma-Gamma log-likelihood (see {@link GammaGamma#logLikelihood}) summed over weighted (x, m) rows,
 * with its analytic gradient in (ln p, ln q, ln v); the log-gamma and digamma terms are computed once per
 * distinct x and ln m once per row, so an evaluation costs one log per row.
 */
final class GammaGammaLikelihood extends WeightedLikelihood {

  static final String MODEL = "gamma_gamma";
  static final List<String> PARAMETERS = List.of("p", "q", "v");

  private final double[] x;
  private final double[] m;
  private final double[] logM;
  private final DistinctValues repeats;

  GammaGammaLikelihood(double[] x, double[] m, double[] weight) {
    super(MODEL, PARAMETERS, weight);
    Rows.requireSameLength("x", x, "m", m, "weight", weight);
    for (int row = 0; row < x.length; row++) {
      try {
        Checks.requireSpend(x[row], m[row]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "row " + row + ": " + e.getMessage() + " (the Gamma-Gamma model takes repeat buyers only: x >= 1, m > 0)", e);
      }
    }
    this.x = x.clone();
    this.m = m.clone();
    this.logM = new double[m.length];
    for (int row = 0; row < m.length; row++) {
      logM[row] = Math.log(m[row]);
    }
    this.repeats = DistinctValues.of(x);
  }

  /** Weighted mean of m: v is in m's money unit, so this is where its start value belongs. */
  double meanValue() {
    return weightedMean(m);
  }

  @Override
  public LikelihoodEvaluation evaluate(double[] logParameters, boolean withDerivatives) {
    double p = Math.exp(logParameters[0]);
    double q = Math.exp(logParameters[1]);
    double v = Math.exp(logParameters[2]);
    double logV = Math.log(v);
    int groups = repeats.size();
    // Per distinct x: lnG(px + q) - lnG(px) - lnG(q) + px ln x, and the digamma parts of d/dp and d/dq.
    double[] constant = new double[groups];
    double[] dP = new double[groups];
    double[] dQ = new double[groups];
    double lgQ = logGamma(q);
    double psiQ = withDerivatives ? digamma(q) : 0;
    for (int g = 0; g < groups; g++) {
      double xg = repeats.values()[g];
      double px = p * xg;
      constant[g] = logGamma(px + q) - logGamma(px) - lgQ + px * Math.log(xg);
      if (withDerivatives) {
        double psiPXQ = digamma(px + q);
        dP[g] = xg * (psiPXQ - digamma(px) + Math.log(xg));
        dQ[g] = psiPXQ - psiQ;
      }
    }
    int[] groupOfRow = repeats.indexOfRow();
    return RowSums.sum(
        x.length,
        PARAMETERS.size(),
        withDerivatives,
        (from, to, sums) -> {
          double[] gradient = new double[3];
          for (int row = from; row < to; row++) {
            int g = groupOfRow[row];
            double xr = x[row];
            double px = p * xr;
            double total = xr * m[row] + v;
            double logTotal = Math.log(total);
            double w = weight[row];
            sums.addValue(w, constant[g] + q * logV + (px - 1) * logM[row] - (px + q) * logTotal);
            if (withDerivatives) {
              gradient[0] = p * (dP[g] + xr * logM[row] - xr * logTotal);
              gradient[1] = q * (dQ[g] + logV - logTotal);
              gradient[2] = q - (px + q) * v / total;
              sums.addGradient(w, gradient);
            }
          }
        });
  }
}
