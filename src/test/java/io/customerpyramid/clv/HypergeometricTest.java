package io.customerpyramid.clv;

import static io.customerpyramid.clv.Hypergeometric.hyp2f1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HypergeometricTest {

  private static void assertRelative(double expected, double actual, double tolerance) {
    assertEquals(expected, actual, tolerance * Math.abs(expected), () -> "expected " + expected + ", got " + actual);
  }

  @Test
  void matchesClosedFormsOverTheRangeTheBgNbdUses() {
    for (double z : new double[] {1e-6, 0.1, 0.474, 0.5, 0.9, 0.99}) {
      assertRelative(-Math.log1p(-z) / z, hyp2f1(1, 1, 2, z), 1e-12);
      assertRelative(Math.pow(1 - z, -2.243), hyp2f1(2.243, 4.426, 4.426, z), 1e-12);
      double s = Math.sqrt(z);
      assertRelative(Math.asin(s) / s, hyp2f1(0.5, 0.5, 1.5, z), 1e-12);
    }
  }

  @Test
  void isOneAtZeroAndWorksForNegativeZ() {
    assertEquals(1.0, hyp2f1(3.2, 1.7, 0.4, 0.0));
    assertRelative(Math.log(1.5) / 0.5, hyp2f1(1, 1, 2, -0.5), 1e-13);
  }

  @Test
  void aNonPositiveIntegerAEndsTheSeriesAsAPolynomial() {
    // 1 + (-2)(3)/(4 * 1) z + (-2)(-1)(3)(4)/((4)(5) * 2) z^2 at z = 1/2: 1 - 0.75 + 0.15
    assertRelative(0.4, hyp2f1(-2, 3, 4, 0.5), 1e-15);
  }

  @Test
  void aNegativeCAsInTheBgNbdWithABelowOneMinusB() {
    // c = a + b - 1 = -0.2 for a = 0.3, b = 0.5: Euler's transformation gives the same value another way.
    double a = 0.243;
    double b = 0.5;
    double c = -0.2;
    double z = 0.3;
    double euler = Math.pow(1 - z, c - a - b) * hyp2f1(c - a, c - b, c, z);
    assertRelative(euler, hyp2f1(a, b, c, z), 1e-12);
  }

  @Test
  void refusesArgumentsOutsideItsDomainNamingThem() {
    IllegalArgumentException atOne = assertThrows(IllegalArgumentException.class, () -> hyp2f1(1, 1, 2, 1.0));
    assertTrue(atOne.getMessage().contains("2F1(a = 1.0, b = 1.0; c = 2.0; z = 1.0)"), atOne.getMessage());
    IllegalArgumentException pole = assertThrows(IllegalArgumentException.class, () -> hyp2f1(1, 1, -1, 0.5));
    assertTrue(pole.getMessage().contains("c is a non-positive integer"), pole.getMessage());
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> hyp2f1(Double.NaN, 1, 2, 0.5));
    assertTrue(nan.getMessage().contains("a = NaN"), nan.getMessage());
  }

  @Test
  void saysSoWhenTheSeriesDoesNotConvergeInsteadOfReturningNaN() {
    IllegalArgumentException slow = assertThrows(IllegalArgumentException.class, () -> hyp2f1(1, 1, 2, 1 - 1e-9));
    assertTrue(slow.getMessage().contains("did not converge within " + Hypergeometric.MAX_TERMS + " terms"), slow.getMessage());
    assertTrue(slow.getMessage().contains("z = 0.999999999"), slow.getMessage());
  }
}
