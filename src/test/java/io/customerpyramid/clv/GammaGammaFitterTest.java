package io.customerpyramid.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GammaGammaFitterTest {

  private static final BgNbdParameters PURCHASES = new BgNbdParameters(0.24, 4.4, 0.79, 2.4);
  /** The lifetimes package's CDNOW estimates. */
  private static final GammaGammaParameters TRUTH = new GammaGammaParameters(6.25, 3.74, 15.44);

  private static BtydSimulator.SpendRows spend(long seed, int customers, GammaGammaParameters truth) {
    return BtydSimulator.spend(new BtydSimulator(seed).customers(customers, PURCHASES, truth, 182, 546));
  }

  /**
   * The repeat buyers among 200,000 customers (about 90,000): among 50,000 the standard error of v is about 5 % of
   * it, which leaves a 10 % band at two standard errors.
   */
  @Test
  void recoversTheParametersOfTheRepeatBuyersAmongSimulatedCustomers() {
    BtydSimulator.SpendRows rows = spend(20_261_127, 200_000, TRUTH);

    ModelFit fit = GammaGammaFitter.fit(rows.x(), rows.m(), rows.weight(), FitOptions.defaults());

    assertEquals("gamma_gamma", fit.model());
    assertEquals(rows.x().length, fit.observations());
    double[] truth = {TRUTH.p(), TRUTH.q(), TRUTH.v()};
    for (int i = 0; i < truth.length; i++) {
      ParameterEstimate estimate = fit.parameters().get(i);
      assertEquals(GammaGammaLikelihood.PARAMETERS.get(i), estimate.name());
      assertEquals(truth[i], estimate.value(), 0.10 * truth[i], estimate + " against " + truth[i]);
      assertEquals(truth[i], estimate.value(), 3 * estimate.standardError(), estimate + " against " + truth[i] + ": within 3 standard errors");
    }
    GammaGammaParameters fitted = GammaGammaFitter.parameters(fit);
    assertEquals(fit.value("q"), fitted.q());
  }

  @Test
  void theGradientIsTheDerivativeOfTheLikelihood() {
    BtydSimulator.SpendRows rows = spend(3, 3_000, TRUTH);
    GammaGammaLikelihood likelihood = new GammaGammaLikelihood(rows.x(), rows.m(), rows.weight());
    double[] point = {Math.log(3), Math.log(5), Math.log(30)};
    double[] gradient = likelihood.evaluate(point, true).gradient();
    double h = 1e-5;
    for (int i = 0; i < point.length; i++) {
      double[] up = point.clone();
      double[] down = point.clone();
      up[i] += h;
      down[i] -= h;
      double centralDifference = (likelihood.evaluate(up, false).value() - likelihood.evaluate(down, false).value()) / (2 * h);
      assertEquals(centralDifference, gradient[i], 1e-6 * Math.max(1, Math.abs(centralDifference)), "d/d ln " + GammaGammaLikelihood.PARAMETERS.get(i));
    }
    double summed = likelihood.evaluate(point, false).value();
    GammaGammaParameters g = new GammaGammaParameters(3, 5, 30);
    double expected = 0;
    for (int row = 0; row < rows.x().length; row++) {
      expected += GammaGamma.logLikelihood(g, rows.x()[row], rows.m()[row]);
    }
    assertEquals(expected, summed, 1e-10 * Math.abs(expected));
  }

  @Test
  void heavyTailedSpendsEndingAtQBelowOneThrow() {
    BtydSimulator.SpendRows rows = spend(1, 5_000, new GammaGammaParameters(6.25, 0.7, 15.44));

    ClvFitError error = assertThrows(ClvFitError.class, () -> GammaGammaFitter.fit(rows.x(), rows.m(), rows.weight(), FitOptions.defaults()));

    assertTrue(error.getMessage().startsWith("gamma_gamma fit failed: the fit ended at q = 0.7"), error.getMessage());
    assertTrue(error.getMessage().contains("<= 1, where the mean spend p v / (q - 1) is infinite"), error.getMessage());
    assertTrue(error.lastParameters().get("q") < 1, error.getMessage());
  }

  @Test
  void takesRepeatBuyersOnly() {
    IllegalArgumentException noRepeat =
        assertThrows(IllegalArgumentException.class, () -> GammaGammaFitter.fit(new double[] {2, 0}, new double[] {10, 0}, new double[] {1, 1}, FitOptions.defaults()));
    assertTrue(noRepeat.getMessage().startsWith("row 1: x (repeat purchases) must be a whole number >= 1, got 0.0"), noRepeat.getMessage());
    IllegalArgumentException noValue =
        assertThrows(IllegalArgumentException.class, () -> GammaGammaFitter.fit(new double[] {2}, new double[] {-3}, new double[] {1}, FitOptions.defaults()));
    assertTrue(noValue.getMessage().contains("m (mean repeat purchase value) must be positive"), noValue.getMessage());
  }

  @Test
  void runningOutOfIterationsThrowsWithTheOptimisersState() {
    BtydSimulator.SpendRows rows = spend(3, 3_000, TRUTH);
    ClvFitError error = assertThrows(ClvFitError.class, () -> GammaGammaFitter.fit(rows.x(), rows.m(), rows.weight(), new FitOptions(1, 1e-9)));
    assertTrue(error.getMessage().contains("did not converge within 20 evaluations of the likelihood"), error.getMessage());
    assertTrue(error.getMessage().contains("p = ") && error.getMessage().contains("v = "), error.getMessage());
  }
}
