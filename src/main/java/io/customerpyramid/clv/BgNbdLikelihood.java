package io.customerpyramid.clv;

import static org.apache.commons.math3.special.Gamma.digamma;
import static org.apache.commons.math3.special.Gamma.logGamma;

import java.util.List;

/**
 * The BG/NBD log-likelihood (see {@link BgNbd#logLikelihood}) summed over weighted (x, t_x, T) rows, with its
 * analytic gradient in (ln r, ln alpha, ln a, ln b). The log-gamma and digamma terms depend on x only and are
 * computed once per distinct x, so a row costs two logs, an exp and a log1p.
 */
final class BgNbdLikelihood extends WeightedLikelihood {

  static final String MODEL = "bg_nbd";
  static final List<String> PARAMETERS = List.of("r", "alpha", "a", "b");

  private final double[] x;
  private final double[] tx;
  private final double[] age;
  private final DistinctValues repeats;

  BgNbdLikelihood(double[] x, double[] tx, double[] T, double[] weight) {
    super(MODEL, PARAMETERS, weight);
    Rows.requireSameLength("x", x, "tx", tx, "T", T, "weight", weight);
    for (int row = 0; row < x.length; row++) {
      try {
        Checks.requireHistory(x[row], tx[row], T[row]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("row " + row + ": " + e.getMessage(), e);
      }
    }
    this.x = x.clone();
    this.tx = tx.clone();
    this.age = T.clone();
    this.repeats = DistinctValues.of(x);
    if (repeats.values()[repeats.size() - 1] == 0) {
      // Without a repeat purchase the likelihood only grows as r goes to 0, and a, b have no information.
      throw new IllegalArgumentException("no row has a repeat purchase (x > 0): the BG/NBD model cannot be fitted");
    }
  }

  /** Weighted mean of T: alpha is a rate in T's unit, so this is where its start value belongs. */
  double meanAge() {
    return weightedMean(age);
  }

  @Override
  public LikelihoodEvaluation evaluate(double[] logParameters, boolean withDerivatives) {
    double r = Math.exp(logParameters[0]);
    double alpha = Math.exp(logParameters[1]);
    double a = Math.exp(logParameters[2]);
    double b = Math.exp(logParameters[3]);
    double logAlpha = Math.log(alpha);
    double logA = Math.log(a);
    int groups = repeats.size();
    // Per distinct x: A1 + A2 without r ln alpha, ln a - ln(b + x - 1) of A4, and the digamma parts of the
    // derivatives with respect to r, a and b.
    double[] constant = new double[groups];
    double[] logA4 = new double[groups];
    double[] dR = new double[groups];
    double[] dA = new double[groups];
    double[] dB = new double[groups];
    double[] inverseB = new double[groups];
    double lgR = logGamma(r);
    double lgB = logGamma(b);
    double lgAB = logGamma(a + b);
    double psiR = withDerivatives ? digamma(r) : 0;
    double psiB = withDerivatives ? digamma(b) : 0;
    double psiAB = withDerivatives ? digamma(a + b) : 0;
    for (int g = 0; g < groups; g++) {
      double xg = repeats.values()[g];
      constant[g] = logGamma(r + xg) - lgR + lgAB + logGamma(b + xg) - lgB - logGamma(a + b + xg);
      logA4[g] = xg > 0 ? logA - Math.log(b + xg - 1) : Double.NaN;
      if (withDerivatives) {
        double psiABX = digamma(a + b + xg);
        dR[g] = digamma(r + xg) - psiR;
        dA[g] = psiAB - psiABX;
        dB[g] = psiAB + digamma(b + xg) - psiB - psiABX;
        inverseB[g] = xg > 0 ? 1 / (b + xg - 1) : 0;
      }
    }
    int[] groupOfRow = repeats.indexOfRow();
    return RowSums.sum(
        x.length,
        PARAMETERS.size(),
        withDerivatives,
        (from, to, sums) -> {
          double[] gradient = new double[4];
          for (int row = from; row < to; row++) {
            int g = groupOfRow[row];
            double xr = x[row];
            double rx = r + xr;
            double logAge = Math.log(alpha + age[row]);
            double a3 = -rx * logAge;
            double logSum;
            double logLast = 0;
            double aliveShare = 1; // the share of exp(A3) in exp(A3) + exp(A4): P(alive)
            if (xr == 0) {
              logSum = a3;
            } else {
              logLast = Math.log(alpha + tx[row]);
              double a4 = logA4[g] - rx * logLast;
              if (a3 >= a4) {
                double e = Math.exp(a4 - a3);
                logSum = a3 + Math.log1p(e);
                aliveShare = 1 / (1 + e);
              } else {
                double e = Math.exp(a3 - a4);
                logSum = a4 + Math.log1p(e);
                aliveShare = e / (1 + e);
              }
            }
            double w = weight[row];
            sums.addValue(w, constant[g] + r * logAlpha + logSum);
            if (withDerivatives) {
              double deadShare = 1 - aliveShare;
              double inverseAge = 1 / (alpha + age[row]);
              double inverseLast = xr == 0 ? 0 : 1 / (alpha + tx[row]);
              gradient[0] = r * (dR[g] + logAlpha - aliveShare * logAge - deadShare * logLast);
              gradient[1] = r - rx * alpha * (aliveShare * inverseAge + deadShare * inverseLast);
              gradient[2] = a * dA[g] + deadShare;
              gradient[3] = b * (dB[g] - deadShare * inverseB[g]);
              sums.addGradient(w, gradient);
            }
          }
        });
  }
}
