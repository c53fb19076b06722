package io.customerpyramid.clv;

import java.util.List;

/** What a log-likelihood over weighted rows has whatever its model: names, the weights and their sum. */
abstract class WeightedLikelihood implements LogLikelihood {

  private final String model;
  private final List<String> parameterNames;
  /** Customers per row. */
  protected final double[] weight;
  private final double observations;

  WeightedLikelihood(String model, List<String> parameterNames, double[] weight) {
    this.model = model;
    this.parameterNames = parameterNames;
    this.weight = weight.clone();
    this.observations = Rows.requireWeights(weight);
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public List<String> parameterNames() {
    return parameterNames;
  }

  @Override
  public int rows() {
    return weight.length;
  }

  @Override
  public double observations() {
    return observations;
  }

  /** The weighted mean of a column of the rows: where a scale parameter's search starts. */
  double weightedMean(double[] values) {
    double sum = 0;
    for (int row = 0; row < values.length; row++) {
      sum += weight[row] * values[row];
    }
    return sum / observations;
  }
}
