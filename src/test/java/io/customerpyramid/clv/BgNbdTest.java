package io.customerpyramid.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class BgNbdTest {

  /** The CDNOW estimates of Fader, Hardie and Lee (2005), section 4 (time in weeks). */
  private static final BgNbdParameters CDNOW = new BgNbdParameters(0.243, 4.414, 0.793, 2.426);

  private static void assertRelative(double expected, double actual, double tolerance) {
    assertEquals(expected, actual, tolerance * Math.abs(expected), () -> "expected " + expected + ", got " + actual);
  }

  @Test
  void logLikelihoodOfACustomerWithoutRepeatPurchases() {
    // r = alpha = a = b = 1, x = 0, T = 2: L = B(a, b)/B(a, b) * G(r) alpha^r / (G(r) (alpha + T)^r) = 1/3.
    assertRelative(Math.log(1.0 / 3), BgNbd.logLikelihood(new BgNbdParameters(1, 1, 1, 1), 0, 0, 2), 1e-12);
  }

  @Test
  void logLikelihoodOfACustomerWithRepeatPurchases() {
    // r = alpha = a = b = 1, x = 2, t_x = 1, T = 3:
    //   alive:   B(1, 3)/B(1, 1) * G(3)/G(1) * 1 / (1 + 3)^3 = 1/3 * 2/64 = 1/96
    //   dropped: B(2, 2)/B(1, 1) * G(3)/G(1) * 1 / (1 + 1)^3 = 1/6 * 2/8  = 4/96
    // L = 5/96.
    assertRelative(Math.log(5.0 / 96), BgNbd.logLikelihood(new BgNbdParameters(1, 1, 1, 1), 2, 1, 3), 1e-12);
  }

  @Test
  void logLikelihoodWithNonTrivialParameters() {
    // r = 2, alpha = 3, a = 0.5, b = 1.5, x = 1, t_x = 2, T = 4; G(3)/G(2) alpha^r = 2 * 9 = 18.
    //   B(0.5, 2.5)/B(0.5, 1.5) = (3 pi / 8) / (pi / 2) = 3/4; alive:   3/4 * 18 / 7^3 = 27/686
    //   B(1.5, 1.5)/B(0.5, 1.5) = (pi / 8) / (pi / 2) = 1/4;   dropped: 1/4 * 18 / 5^3 = 9/250
    double expected = Math.log(27.0 / 686 + 9.0 / 250);
    assertRelative(expected, BgNbd.logLikelihood(new BgNbdParameters(2, 3, 0.5, 1.5), 1, 2, 4), 1e-12);
  }

  @Test
  void expectedPurchasesOfThePublishedCdnowCustomer() {
    // Fader, Hardie and Lee (2005), section 4: x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases in 39 weeks.
    double expected = BgNbd.expectedPurchases(CDNOW, 2, 30.43, 38.86, 39);
    assertEquals(1.226, expected, 0.0005);
    // The same eq. (10) evaluated with scipy.special.hyp2f1, to the digits.
    assertRelative(1.226028174767135, expected, 1e-10);
  }

  @Test
  void expectedPurchasesOfANewCustomer() {
    // Eq. (7) with scipy.special.hyp2f1: 1.1967231933207985 purchases in the first 39 weeks.
    assertRelative(1.1967231933207985, BgNbd.expectedPurchasesNewCustomer(CDNOW, 39), 1e-10);
    assertEquals(0.0, BgNbd.expectedPurchasesNewCustomer(CDNOW, 0));
  }

  @Test
  void expectedPurchasesOfANewCustomerIsTheMeanOfSimulatedCustomers() {
    List<BtydSimulator.Customer> customers =
        new BtydSimulator(39).customers(200_000, CDNOW, new GammaGammaParameters(1, 2, 1), 273, 273);
    double mean = customers.stream().mapToInt(BtydSimulator.Customer::x).average().orElseThrow();
    // Standard error of the mean is about 0.006 here.
    assertEquals(BgNbd.expectedPurchasesNewCustomer(CDNOW, 39), mean, 0.03);
  }

  @Test
  void expectedPurchasesOfAHeavyBuyerAreFinite() {
    // The 2F1 of eq. (10) itself, 2F1(r + x, b + x; a + b + x - 1; z), is about 2^1100 here: beyond a double.
    // Reference values: eq. (10) evaluated through Euler's transformation with scipy.special.hyp2f1.
    assertRelative(1.1525801498695265, BgNbd.expectedPurchases(CDNOW, 1100, 77, 78, 52), 1e-10);
    assertRelative(7.215645798549544, BgNbd.expectedPurchases(CDNOW, 50, 70, 78, 52), 1e-10);
    double recent = BgNbd.expectedPurchases(CDNOW, 1100, 78, 78, 52);
    assertRelative(566.1606877259667, recent, 1e-10);
    // Below 52 weeks at (r + x) / (alpha + T) = 13.3 a week: over some 700 purchases it may drop out.
    assertTrue(recent < 52 * (0.243 + 1100) / (4.414 + 78), "E[Y(52)] = " + recent);
  }

  @Test
  void expectedPurchasesGrowWithTheHorizon() {
    double previous = 0;
    for (double t : new double[] {1, 5, 10, 39, 52, 104}) {
      double expected = BgNbd.expectedPurchases(CDNOW, 2, 30.43, 38.86, t);
      assertTrue(expected > previous, "E[Y(" + t + ")] = " + expected + " after " + previous);
      previous = expected;
    }
  }

  @Test
  void expectedPurchasesAreContinuousThroughTheRemovableSingularities() {
    for (double[] history : new double[][] {{0, 0, 20}, {3, 15, 30}}) {
      double x = history[0];
      double tx = history[1];
      double T = history[2];
      double atOne = BgNbd.expectedPurchases(new BgNbdParameters(0.5, 5, 1, 2), x, tx, T, 30);
      double below = BgNbd.expectedPurchases(new BgNbdParameters(0.5, 5, 1 - 1e-4, 2), x, tx, T, 30);
      double above = BgNbd.expectedPurchases(new BgNbdParameters(0.5, 5, 1 + 1e-4, 2), x, tx, T, 30);
      assertTrue(Double.isFinite(atOne), "a = 1 gives " + atOne);
      assertRelative((below + above) / 2, atOne, 1e-6);
    }
    // a + b + x - 1 = 0 (x = 0, a + b = 1): c of the 2F1 is zero.
    double atZero = BgNbd.expectedPurchases(new BgNbdParameters(0.5, 5, 0.4, 0.6), 0, 0, 20, 30);
    double near = BgNbd.expectedPurchases(new BgNbdParameters(0.5, 5, 0.4 + 1e-4, 0.6), 0, 0, 20, 30);
    assertRelative(near, atZero, 1e-3);
  }

  @Test
  void probabilityAliveIsOneWithoutRepeatPurchases() {
    assertEquals(1.0, BgNbd.probabilityAlive(CDNOW, 0, 0, 38.86));
    assertEquals(1.0, BgNbd.probabilityAlive(CDNOW, 0, 0, 1000));
  }

  @Test
  void probabilityAliveGrowsWithRecency() {
    double previous = 0;
    for (double tx : new double[] {1, 5, 10, 20, 30, 38.86}) {
      double alive = BgNbd.probabilityAlive(CDNOW, 2, tx, 38.86);
      assertTrue(alive > previous, "P(alive | t_x = " + tx + ") = " + alive + " after " + previous);
      previous = alive;
    }
    assertEquals(1 / (1 + 0.793 / (2.426 + 1)), BgNbd.probabilityAlive(CDNOW, 2, 38.86, 38.86), 1e-15);
  }

  @Test
  void probabilityAliveFallsWithAge() {
    double previous = 1;
    for (double T : new double[] {10, 20, 40, 80, 160}) {
      double alive = BgNbd.probabilityAlive(CDNOW, 2, 10, T);
      assertTrue(alive < previous, "P(alive | T = " + T + ") = " + alive + " after " + previous);
      previous = alive;
    }
  }

  @Test
  void refusesHistoriesThatAreNotHistories() {
    IllegalArgumentException late = assertThrows(IllegalArgumentException.class, () -> BgNbd.probabilityAlive(CDNOW, 2, 40, 38));
    assertTrue(late.getMessage().contains("t_x (time of last purchase) must be in [0, T = 38.0], got 40.0"), late.getMessage());
    IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class, () -> BgNbd.logLikelihood(CDNOW, 1.5, 1, 2));
    assertTrue(fraction.getMessage().contains("whole number"), fraction.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BgNbd.expectedPurchases(CDNOW, 1, 1, 2, -1));
    IllegalArgumentException badParameter = assertThrows(IllegalArgumentException.class, () -> new BgNbdParameters(0.2, -4, 1, 1));
    assertTrue(badParameter.getMessage().contains("alpha must be positive and finite, got -4.0"), badParameter.getMessage());
  }

  @Test
  void parametersSurviveJavaSerialisationForSparkUdfs() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(CDNOW);
      out.writeObject(new GammaGammaParameters(6.25, 3.74, 15.44));
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(CDNOW, in.readObject());
      assertEquals(new GammaGammaParameters(6.25, 3.74, 15.44), in.readObject());
    }
  }
}
