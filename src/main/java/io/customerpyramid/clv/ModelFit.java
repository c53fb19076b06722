package io.customerpyramid.clv;

import java.io.Serializable;
import java.util.List;

/**
 * A maximum-likelihood fit of one model: its parameters, the log-likelihood at them, the customers it
 * covers ({@code observations}, the sum of the weights), the distinct rows it was given and the evaluations of
 * the likelihood the search took ({@code iterations}).
 */
public record ModelFit(
    String model, List<ParameterEstimate> parameters, double logLikelihood, double observations, int distinctRows, int iterations)
    implements Serializable {

  public ModelFit {
    parameters = List.copyOf(parameters);
  }

  /** The value of the named parameter. */
  public double value(String name) {
    return parameters.stream()
        .filter(estimate -> estimate.name().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException(
                "model " + model + " has no parameter '" + name + "'; it has " + parameters.stream().map(ParameterEstimate::name).toList()))
        .value();
  }
}
