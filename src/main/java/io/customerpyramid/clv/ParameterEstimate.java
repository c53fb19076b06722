package io.customerpyramid.clv;

import java.io.Serializable;

/**
 * A fitted parameter with its standard error from the inverse Hessian of the negative log-likelihood;
 * the standard error is NaN when that Hessian is not positive definite at the optimum (a flat or saddle
 * direction: the parameter is not identified by the data).
 */
public record ParameterEstimate(String name, double value, double standardError) implements Serializable {}
