package io.customerpyramid.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Predicted CLV's discounting: the four-point quadrature against a brute-force sum over days (each day's
 * expected purchases discounted from that day), for customers from new to heavy, long-lapsed to recent.
 */
class DiscountedPurchasesTest {

  private static final BgNbdParameters CDNOW = new BgNbdParameters(0.243, 4.414, 0.793, 2.426);
  private static final double[][] HISTORIES = {{0, 0, 10}, {2, 30.43, 38.86}, {1, 2, 78}, {12, 50, 52}, {40, 100, 104}, {0, 0, 0}};

  /** Daily steps: each day's increment of E(t) discounted at the day's end. */
  private static double bruteForce(double[] h, int horizonWeeks, double annualRate) {
    int days = horizonWeeks * 7;
    double before = 0;
    double sum = 0;
    for (int d = 1; d <= days; d++) {
      double upTo = BgNbd.expectedPurchases(CDNOW, h[0], h[1], h[2], d / 7.0);
      sum += (upTo - before) * Math.pow(1 + annualRate, -(d - 0.5) / 365.25);
      before = upTo;
    }
    return sum;
  }

  @Test
  void quadratureMatchesADailySum() {
    for (int horizon : new int[] {13, 52, 260}) {
      ClvPredictions.Predict predict = new ClvPredictions.Predict(CDNOW, null, horizon, 7, 0.10);
      for (double[] h : HISTORIES) {
        double purchases = BgNbd.expectedPurchases(CDNOW, h[0], h[1], h[2], horizon);
        double quadrature = predict.discountedPurchases((long) h[0], h[1], h[2], purchases);
        double daily = bruteForce(h, horizon, 0.10);
        assertEquals(daily, quadrature, 1e-4 * daily + 1e-9, "x = " + h[0] + ", horizon " + horizon + " weeks");
        assertTrue(quadrature < purchases, "discounting lowers the purchases");
      }
    }
  }

  @Test
  void noDiscountLeavesThePurchasesOfTheHorizon() {
    ClvPredictions.Predict predict = new ClvPredictions.Predict(CDNOW, null, 52, 7, 0.0);
    assertEquals(1.5, predict.discountedPurchases(2, 30.43, 38.86, 1.5), 0.0);
  }
}
