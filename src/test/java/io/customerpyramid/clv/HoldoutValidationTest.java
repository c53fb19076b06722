package io.customerpyramid.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.report.ClvValidationReport;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * validate-clv's comparison on order lines drawn from the BG/NBD process itself (CDNOW's parameters,
 * 20,000 customers who joined over a year, 90 more days of history): where the model is true, the fit
 * on the calibration period must predict the holdout's purchases, in total and per frequency bucket.
 */
class HoldoutValidationTest {

  private static final LocalDate DAY_ZERO = LocalDate.of(2025, 1, 1);
  private static final int HOLDOUT_DAYS = 90;
  private static final int END_DAY = 365 + 182;
  private static final LocalDate S = DAY_ZERO.plusDays(END_DAY);

  private static HoldoutValidation.Comparison comparison;
  private static ClvModel model;

  @BeforeAll
  static void simulateFitAndCompare() {
    SparkSession spark = SparkTestSession.get();
    List<int[]> histories =
        new BtydSimulator(20261127L).purchaseDays(20_000, new BgNbdParameters(0.243, 4.414, 0.793, 2.426), 364, END_DAY);
    List<Row> rows = new ArrayList<>();
    BigDecimal value = new BigDecimal("10.00000000");
    for (int c = 0; c < histories.size(); c++) {
      for (int day : histories.get(c)) {
        rows.add(RowFactory.create("C" + c, Timestamp.valueOf(DAY_ZERO.plusDays(day).atTime(12, 0)), value, false));
      }
    }
    Dataset<Row> lines = spark.createDataFrame(rows, BtydSimulator.ORDER_LINES).cache();
    JobConfig.Clv config = Fixtures.config("clv.enabled=true").clv();
    Dataset<Row> calibration = PurchaseHistory.summarise(lines, S.minusDays(HOLDOUT_DAYS), config.timeUnitDays()).cache();
    model = ClvFitting.fit(calibration, config);
    comparison = HoldoutValidation.compare(lines, S, HOLDOUT_DAYS, calibration, model, config.timeUnitDays()).comparison();
  }

  @Test
  void theFitRecoversTheParametersTheOrdersWereDrawnWith() {
    BgNbdParameters fitted = model.bgNbdParameters();
    assertEquals(0.243, fitted.r(), 0.243 * 0.15, fitted.toString());
    assertEquals(4.414, fitted.alpha(), 4.414 * 0.15, fitted.toString());
  }

  @Test
  void predictedPurchasesMatchTheHoldoutWhereTheModelIsTrue() {
    String table = ClvValidationReport.consoleTable(comparison);
    HoldoutValidation.Bucket total = comparison.total();
    assertEquals(S.minusDays(HOLDOUT_DAYS), comparison.calibrationEnd());
    assertEquals(HoldoutValidation.ALL, total.bucket());
    assertTrue(total.actual() > 1000, table);
    assertEquals(total.actual(), total.predicted(), 0.05 * total.actual(), table);
    for (HoldoutValidation.Bucket b : comparison.buckets()) {
      if (b.customers() >= 500) {
        assertEquals(b.actualMean(), b.predictedMean(), 0.05 + 0.15 * b.actualMean(), b.bucket() + "\n" + table);
      }
    }
    long customers = comparison.buckets().stream().filter(b -> !b.bucket().equals(HoldoutValidation.ALL))
        .mapToLong(HoldoutValidation.Bucket::customers).sum();
    assertEquals(total.customers(), customers);
  }
}
