package io.customerpyramid.clv;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A model fit that gave no usable maximum (no convergence, a non-finite likelihood, a parameter outside the
 * model's range); the message says why and where the optimiser was: iterations done, last parameters, last
 * log-likelihood and gradient norm.
 */
public final class ClvFitError extends RuntimeException {

  private final String model;
  private final String reason;
  private final int iterations;
  private final Map<String, Double> lastParameters;
  private final double lastLogLikelihood;
  private final double gradientNorm;

  public ClvFitError(
      String model, String reason, int iterations, Map<String, Double> lastParameters, double lastLogLikelihood, double gradientNorm) {
    super(message(model, reason, iterations, lastParameters, lastLogLikelihood, gradientNorm));
    this.model = model;
    this.reason = reason;
    this.iterations = iterations;
    this.lastParameters = new LinkedHashMap<>(lastParameters);
    this.lastLogLikelihood = lastLogLikelihood;
    this.gradientNorm = gradientNorm;
  }

  public String model() {
    return model;
  }

  public String reason() {
    return reason;
  }

  public int iterations() {
    return iterations;
  }

  /** The parameters (natural scale) of the optimiser's last iterate, in the model's order. */
  public Map<String, Double> lastParameters() {
    return Collections.unmodifiableMap(lastParameters);
  }

  public double lastLogLikelihood() {
    return lastLogLikelihood;
  }

  /** Euclidean norm of the gradient of the mean log-likelihood per customer in the log-parameters. */
  public double gradientNorm() {
    return gradientNorm;
  }

  private static String message(
      String model, String reason, int iterations, Map<String, Double> lastParameters, double lastLogLikelihood, double gradientNorm) {
    String parameters =
        lastParameters.entrySet().stream()
            .map(entry -> String.format(Locale.ROOT, "%s = %.6g", entry.getKey(), entry.getValue()))
            .collect(Collectors.joining(", "));
    return String.format(
        Locale.ROOT,
        "%s fit failed: %s; after %d evaluations of the likelihood the last parameters were %s, log-likelihood %.10g, gradient norm %.3g (per customer, in the log-parameters)",
        model,
        reason,
        iterations,
        parameters.isEmpty() ? "(none)" : parameters,
        lastLogLikelihood,
        gradientNorm);
  }
}
