package io.customerpyramid.clv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BgNbdFitterTest {

  private static final BgNbdParameters TRUTH = new BgNbdParameters(0.24, 4.4, 0.79, 2.4);
  private static final GammaGammaParameters SPEND = new GammaGammaParameters(6.25, 3.74, 15.44);
  /** Ages spread over half a year to a year and a half, in whole days. */
  private static final int MIN_AGE_DAYS = 182;
  private static final int MAX_AGE_DAYS = 546;

  /**
   * 200,000 rather than 50,000 customers: with 50,000 the standard error of b is about 6 % of it, so a 10 % band
   * is under two standard errors and one seed in ten fails (seed 20261127 gives b = 2.67, 11 % high, 2 se).
   */
  private static final int RECOVERY_CUSTOMERS = 200_000;

  private static BtydSimulator.Rows recovery;
  private static BtydSimulator.Rows threeThousand;

  @BeforeAll
  static void simulate() {
    recovery = BtydSimulator.aggregate(new BtydSimulator(20_261_127).customers(RECOVERY_CUSTOMERS, TRUTH, SPEND, MIN_AGE_DAYS, MAX_AGE_DAYS));
    threeThousand = BtydSimulator.aggregate(new BtydSimulator(5).customers(3_000, TRUTH, SPEND, MIN_AGE_DAYS, MAX_AGE_DAYS));
  }

  private static ModelFit fit(BtydSimulator.Rows rows, FitOptions options) {
    return BgNbdFitter.fit(rows.x(), rows.tx(), rows.T(), rows.weight(), options);
  }

  @Test
  void recoversTheParametersOfSimulatedCustomers() {
    ModelFit fit = fit(recovery, FitOptions.defaults());

    assertEquals("bg_nbd", fit.model());
    assertEquals(RECOVERY_CUSTOMERS, fit.observations());
    assertEquals(recovery.size(), fit.distinctRows());
    assertTrue(fit.distinctRows() < RECOVERY_CUSTOMERS, "durations rounded to days share rows: " + fit.distinctRows());
    double[] truth = {TRUTH.r(), TRUTH.alpha(), TRUTH.a(), TRUTH.b()};
    for (int i = 0; i < truth.length; i++) {
      ParameterEstimate estimate = fit.parameters().get(i);
      assertEquals(BgNbdLikelihood.PARAMETERS.get(i), estimate.name());
      assertEquals(truth[i], estimate.value(), 0.10 * truth[i], estimate + " against " + truth[i]);
      assertTrue(estimate.standardError() > 0, estimate.toString());
      assertEquals(truth[i], estimate.value(), 3 * estimate.standardError(), estimate + " against " + truth[i] + ": within 3 standard errors");
    }
    assertEquals(TRUTH.r(), BgNbdFitter.parameters(fit).r(), 0.1 * TRUTH.r());
  }

  @Test
  void theGradientIsTheDerivativeOfTheLikelihood() {
    BgNbdLikelihood likelihood = new BgNbdLikelihood(threeThousand.x(), threeThousand.tx(), threeThousand.T(), threeThousand.weight());
    double[] point = {Math.log(0.5), Math.log(6), Math.log(1.3), Math.log(3.5)};
    double[] gradient = likelihood.evaluate(point, true).gradient();
    double h = 1e-5;
    for (int i = 0; i < point.length; i++) {
      double[] up = point.clone();
      double[] down = point.clone();
      up[i] += h;
      down[i] -= h;
      double centralDifference = (likelihood.evaluate(up, false).value() - likelihood.evaluate(down, false).value()) / (2 * h);
      assertEquals(centralDifference, gradient[i], 1e-6 * Math.max(1, Math.abs(centralDifference)), "d/d ln " + BgNbdLikelihood.PARAMETERS.get(i));
    }
  }

  @Test
  void theSummedLikelihoodIsTheWeightedSumOfTheCustomersLikelihoods() {
    BgNbdParameters p = new BgNbdParameters(0.5, 6, 1.3, 3.5);
    BgNbdLikelihood likelihood = new BgNbdLikelihood(threeThousand.x(), threeThousand.tx(), threeThousand.T(), threeThousand.weight());
    double summed = likelihood.evaluate(new double[] {Math.log(p.r()), Math.log(p.alpha()), Math.log(p.a()), Math.log(p.b())}, false).value();
    double expected = 0;
    for (int row = 0; row < threeThousand.size(); row++) {
      expected += threeThousand.weight()[row] * BgNbd.logLikelihood(p, threeThousand.x()[row], threeThousand.tx()[row], threeThousand.T()[row]);
    }
    assertEquals(expected, summed, 1e-10 * Math.abs(expected));
  }

  @Test
  void aWeightedFitEqualsTheFitOnTheExpandedRows() {
    int customers = (int) threeThousand.customers();
    double[] x = new double[customers];
    double[] tx = new double[customers];
    double[] T = new double[customers];
    double[] ones = new double[customers];
    int next = 0;
    for (int row = 0; row < threeThousand.size(); row++) {
      for (int copy = 0; copy < threeThousand.weight()[row]; copy++) {
        x[next] = threeThousand.x()[row];
        tx[next] = threeThousand.tx()[row];
        T[next] = threeThousand.T()[row];
        ones[next] = 1;
        next++;
      }
    }

    ModelFit weighted = fit(threeThousand, FitOptions.defaults());
    ModelFit expanded = BgNbdFitter.fit(x, tx, T, ones, FitOptions.defaults());

    assertEquals(expanded.observations(), weighted.observations());
    assertEquals(customers, expanded.distinctRows());
    assertTrue(weighted.distinctRows() < customers);
    assertEquals(expanded.logLikelihood(), weighted.logLikelihood(), 1e-9 * Math.abs(expanded.logLikelihood()));
    for (String name : BgNbdLikelihood.PARAMETERS) {
      assertEquals(expanded.value(name), weighted.value(name), 1e-5 * expanded.value(name), name);
    }
  }

  @Test
  void theSameRowsGiveTheSameBitsWhateverTheThreadsDid() {
    assertEquals(fit(recovery, FitOptions.defaults()), fit(recovery, FitOptions.defaults()));
  }

  @Test
  void runningOutOfIterationsThrowsWithTheOptimisersState() {
    ClvFitError error = assertThrows(ClvFitError.class, () -> fit(threeThousand, new FitOptions(1, 1e-9)));

    String message = error.getMessage();
    assertTrue(message.startsWith("bg_nbd fit failed: did not converge within 20 evaluations of the likelihood; after 20 evaluations"), message);
    for (String part : List.of("r = ", "alpha = ", "a = ", "b = ", "log-likelihood -", "gradient norm ")) {
      assertTrue(message.contains(part), "'" + part + "' in " + message);
    }
    assertEquals(MaximumLikelihood.EVALUATIONS_PER_ITERATION, error.iterations());
    assertEquals(List.of("r", "alpha", "a", "b"), List.copyOf(error.lastParameters().keySet()));
    assertTrue(Double.isFinite(error.lastLogLikelihood()) && error.gradientNorm() > 0, message);
  }

  @Test
  void refusesRowsThatAreNotHistoriesNamingTheRow() {
    double[] one = {1};
    IllegalArgumentException late =
        assertThrows(IllegalArgumentException.class, () -> BgNbdFitter.fit(new double[] {0, 2}, new double[] {0, 9}, new double[] {5, 8}, new double[] {1, 1}, FitOptions.defaults()));
    assertTrue(late.getMessage().startsWith("row 1: t_x (time of last purchase) must be in [0, T = 8.0], got 9.0"), late.getMessage());
    IllegalArgumentException weight =
        assertThrows(IllegalArgumentException.class, () -> BgNbdFitter.fit(one, one, new double[] {2}, new double[] {0}, FitOptions.defaults()));
    assertTrue(weight.getMessage().contains("row 0: weight must be positive"), weight.getMessage());
    IllegalArgumentException lengths =
        assertThrows(IllegalArgumentException.class, () -> BgNbdFitter.fit(one, one, new double[] {2, 3}, one, FitOptions.defaults()));
    assertTrue(lengths.getMessage().contains("T has 2"), lengths.getMessage());
    IllegalArgumentException noRepeat =
        assertThrows(IllegalArgumentException.class, () -> BgNbdFitter.fit(new double[] {0, 0}, new double[] {0, 0}, new double[] {3, 4}, new double[] {5, 6}, FitOptions.defaults()));
    assertTrue(noRepeat.getMessage().contains("no row has a repeat purchase"), noRepeat.getMessage());
  }

  @Test
  void aFitAnswersByParameterName() {
    ModelFit fit = fit(threeThousand, FitOptions.defaults());
    BgNbdParameters parameters = BgNbdFitter.parameters(fit);
    assertArrayEquals(
        new double[] {fit.value("r"), fit.value("alpha"), fit.value("a"), fit.value("b")},
        new double[] {parameters.r(), parameters.alpha(), parameters.a(), parameters.b()});
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> fit.value("q"));
    assertEquals("model bg_nbd has no parameter 'q'; it has [r, alpha, a, b]", unknown.getMessage());
    IllegalArgumentException wrongModel = assertThrows(IllegalArgumentException.class, () -> GammaGammaFitter.parameters(fit));
    assertTrue(wrongModel.getMessage().contains("expected a gamma_gamma fit, got a bg_nbd fit"), wrongModel.getMessage());
    assertTrue(fit.logLikelihood() < 0, "a log-likelihood of counts and times: " + fit.logLikelihood());
  }
}
