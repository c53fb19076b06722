package io.customerpyramid.clv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Fit time of the BG/NBD on 500,000 distinct rows; not part of the suite (its name does not end in Test):
 * run it with {@code mvn -o -q test -Dtest=BgNbdFitBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class BgNbdFitBenchmark {

  @Test
  void fitsHalfAMillionDistinctRowsInSeconds() {
    BtydSimulator.Rows rows =
        BtydSimulator.unaggregated(
            new BtydSimulator(11).customers(500_000, new BgNbdParameters(0.24, 4.4, 0.79, 2.4), new GammaGammaParameters(6.25, 3.74, 15.44), 182, 546));
    for (int run = 0; run < 3; run++) {
      long start = System.nanoTime();
      ModelFit fit = BgNbdFitter.fit(rows.x(), rows.tx(), rows.T(), rows.weight(), FitOptions.defaults());
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT, "run %d: %d distinct rows fitted in %.2f s, %d iterations: %s%n", run, fit.distinctRows(), seconds, fit.iterations(), fit.parameters());
      assertTrue(seconds < 10, seconds + " s");
    }
  }
}
