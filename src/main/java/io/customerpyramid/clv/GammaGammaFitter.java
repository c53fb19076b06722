package io.customerpyramid.clv;

/**
 * Maximum-likelihood fit of the Gamma-Gamma spend model to weighted (x, m) rows of repeat buyers (optimiser:
 * see {@link MaximumLikelihood}); starts at p = 1, q = 2 and v = the mean m, which puts the population mean
 * spend p v / (q - 1) at the data's mean, in its money unit.
 */
public final class GammaGammaFitter {

  private GammaGammaFitter() {}

  /**
   * Fits p, q, v; {@code weight[i]} is the number of customers with (x[i], m[i]).
   *
   * @throws IllegalArgumentException naming the row, for a row with x < 1 (or not whole) or m <= 0, columns
   *     of different lengths, no rows, or a weight that is not positive
   * @throws ClvFitError when the fit does not converge, meets a non-finite likelihood, or ends at q <= 1
   *     (where the mean spend p v / (q - 1) is infinite)
   */
  public static ModelFit fit(double[] x, double[] m, double[] weight, FitOptions options) {
    GammaGammaLikelihood likelihood = new GammaGammaLikelihood(x, m, weight);
    double[] start = {1, 2, likelihood.meanValue()};
    return MaximumLikelihood.fit(
        likelihood,
        start,
        options,
        parameters ->
            parameters[1] > 1
                ? null
                : "the fit ended at q = " + parameters[1] + " <= 1, where the mean spend p v / (q - 1) is infinite: "
                    + "the spends are too heavy-tailed for the Gamma-Gamma model");
  }

  public static GammaGammaParameters parameters(ModelFit fit) {
    BgNbdFitter.requireModel(fit, GammaGammaLikelihood.MODEL);
    return new GammaGammaParameters(fit.value("p"), fit.value("q"), fit.value("v"));
  }
}
