package io.customerpyramid.clv;

/** A log-likelihood at one point, with its gradient in the log-parameters (null when not asked for). */
record LikelihoodEvaluation(double value, double[] gradient) {

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
