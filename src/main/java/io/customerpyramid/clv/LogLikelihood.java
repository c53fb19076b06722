package io.customerpyramid.clv;

import java.util.List;

/** A model's weighted log-likelihood over its rows, as a function of the logs of its parameters. */
interface LogLikelihood {

  String model();

  List<String> parameterNames();

  int rows();

  /** Sum of the row weights: the customers. */
  double observations();

  /**
   * The log-likelihood at exp(logParameters), with (when asked) its gradient in the log-parameters.
   */
  LikelihoodEvaluation evaluate(double[] logParameters, boolean withDerivatives);
}
