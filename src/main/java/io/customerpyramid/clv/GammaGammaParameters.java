package io.customerpyramid.clv;

import java.io.Serializable;

/**
 * The three parameters of the Gamma-Gamma spend model: each spend is Gamma(p, nu) with a customer's nu
 * drawn from Gamma(q, v) (both rates), so v is in the data's money unit and the mean spend is p v / (q - 1).
 */
public record GammaGammaParameters(double p, double q, double v) implements Serializable {

  public GammaGammaParameters {
    Checks.requirePositive("p", p);
    Checks.requirePositive("q", q);
    Checks.requirePositive("v", v);
  }
}
