package io.customerpyramid.clv;

import java.io.Serializable;

/**
 * Stopping rules of a fit: at most {@code maxIterations} × {@link MaximumLikelihood#EVALUATIONS_PER_ITERATION}
 * evaluations of the likelihood, and converged once the search's trust region in the log-parameters is below
 * sqrt(tolerance) / 10 (parameters settled to about that relative precision).
 */
public record FitOptions(int maxIterations, double tolerance) implements Serializable {

  public static final int MAX_ITERATIONS_DEFAULT = 200;
  public static final double TOLERANCE_DEFAULT = 1e-9;

  public FitOptions {
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
    }
    if (!(tolerance > 0 && tolerance < 1)) {
      throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
    }
  }

  public static FitOptions defaults() {
    return new FitOptions(MAX_ITERATIONS_DEFAULT, TOLERANCE_DEFAULT);
  }
}
