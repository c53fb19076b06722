package io.customerpyramid.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GammaGammaTest {

  private static final GammaGammaParameters CDNOW = new GammaGammaParameters(6.25, 3.74, 15.44);

  private static void assertRelative(double expected, double actual, double tolerance) {
    assertEquals(expected, actual, tolerance * Math.abs(expected), () -> "expected " + expected + ", got " + actual);
  }

  @Test
  void logLikelihoodOfOneRepeatPurchase() {
    // p = 1, q = 2, v = 3, x = 1, m = 2: G(3)/(G(1) G(2)) 3^2 2^0 1^1 / (3 + 2)^3 = 2 * 9 / 125.
    assertRelative(Math.log(18.0 / 125), GammaGamma.logLikelihood(new GammaGammaParameters(1, 2, 3), 1, 2), 1e-12);
  }

  @Test
  void logLikelihoodOfTwoRepeatPurchases() {
    // p = 0.5, q = 3, v = 2, x = 2, m = 1.5, so px = 1: G(4)/(G(1) G(3)) 2^3 1.5^0 2^1 / (2 + 3)^4 = 3 * 8 * 2 / 625.
    assertRelative(Math.log(48.0 / 625), GammaGamma.logLikelihood(new GammaGammaParameters(0.5, 3, 2), 2, 1.5), 1e-12);
  }

  @Test
  void expectedOrderValueWeighsThePopulationMeanAgainstTheCustomersOwn() {
    double populationMean = 6.25 * 15.44 / (3.74 - 1);
    assertRelative(populationMean, GammaGamma.expectedOrderValue(CDNOW, 0, 0), 1e-15);
    double x = 3;
    double m = 20;
    double ownWeight = 6.25 * x / (6.25 * x + 3.74 - 1);
    assertRelative(ownWeight * m + (1 - ownWeight) * populationMean, GammaGamma.expectedOrderValue(CDNOW, x, m), 1e-13);
    // More purchases at the same m pull the expectation towards m.
    double few = GammaGamma.expectedOrderValue(CDNOW, 1, 100);
    double many = GammaGamma.expectedOrderValue(CDNOW, 20, 100);
    assertTrue(few < many && many < 100, few + " < " + many + " < 100");
  }

  @Test
  void refusesAnInfiniteExpectationAndNonBuyers() {
    IllegalArgumentException infinite =
        assertThrows(IllegalArgumentException.class, () -> GammaGamma.expectedOrderValue(new GammaGammaParameters(1, 0.9, 10), 0, 0));
    assertTrue(infinite.getMessage().contains("infinite when p x + q <= 1"), infinite.getMessage());
    IllegalArgumentException noPurchase = assertThrows(IllegalArgumentException.class, () -> GammaGamma.logLikelihood(CDNOW, 0, 10));
    assertTrue(noPurchase.getMessage().contains("x (repeat purchases) must be a whole number >= 1, got 0.0"), noPurchase.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GammaGamma.logLikelihood(CDNOW, 2, 0));
  }
}
