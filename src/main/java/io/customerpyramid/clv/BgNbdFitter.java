package io.customerpyramid.clv;

/**
 * Maximum-likelihood fit of the BG/NBD model to weighted (x, t_x, T) rows (optimiser: see
 * {@link MaximumLikelihood}: Commons Math's BOBYQA, since Breeze's L-BFGS cannot be called from Java); starts at r = a = b = 1 and alpha = the mean T, so the start follows the data's time unit.
 */
public final class BgNbdFitter {

  private BgNbdFitter() {}

  /**
   * Fits r, alpha, a, b; {@code weight[i]} is the number of customers with the triple (x[i], tx[i], T[i]).
   *
   * @throws IllegalArgumentException naming the row, for columns of different lengths, no rows, a weight that
   *     is not positive, or a triple that is not a history (x a whole number >= 0, 0 <= t_x <= T)
   * @throws ClvFitError when the fit does not converge within {@code options} or meets a non-finite likelihood
   */
  public static ModelFit fit(double[] x, double[] tx, double[] T, double[] weight, FitOptions options) {
    BgNbdLikelihood likelihood = new BgNbdLikelihood(x, tx, T, weight);
    double[] start = {1, likelihood.meanAge(), 1, 1};
    return MaximumLikelihood.fit(likelihood, start, options, parameters -> null);
  }

  public static BgNbdParameters parameters(ModelFit fit) {
    requireModel(fit, BgNbdLikelihood.MODEL);
    return new BgNbdParameters(fit.value("r"), fit.value("alpha"), fit.value("a"), fit.value("b"));
  }

  static void requireModel(ModelFit fit, String model) {
    if (!fit.model().equals(model)) {
      throw new IllegalArgumentException("expected a " + model + " fit, got a " + fit.model() + " fit");
    }
  }
}
