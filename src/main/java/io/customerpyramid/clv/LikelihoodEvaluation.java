package io.customerpyramid.clv;

/**
 * A log-likelihood at one point, with its gradient and the weighted sum of outer products of the per-row
 * gradients (the BHHH approximation of the information matrix); both null when not asked for.
 */
record LikelihoodEvaluation(double value, double[] gradient, double[][] outerProduct) {

  boolean isFinite() {
    if (!Double.isFinite(value)) {
      return false;
    }
    if (gradient != null) {
      for (double component : gradient) {
        if (!Double.isFinite(component)) {
          return false;
        }
      }
    }
    return true;
  }
}
