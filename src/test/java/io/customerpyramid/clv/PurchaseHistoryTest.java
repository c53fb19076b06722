package io.customerpyramid.clv;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The BTYD summary (x, t_x, T, m) against values worked out by hand on a four-customer fixture. */
class PurchaseHistoryTest {

  private static final LocalDate S = LocalDate.parse("2026-01-01");
  private static final StructType LINES =
      new StructType()
          .add(Columns.ORDER_ID, DataTypes.StringType)
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.ORDER_TS, DataTypes.TimestampType)
          .add(Columns.LINE_VALUE, Money.WORK)
          .add(Columns.IS_RETURN_LINE, DataTypes.BooleanType);

  private static Dataset<Row> lines;

  @BeforeAll
  static void fixture() {
    SparkTestSession.get();
    lines =
        Fixtures.frame(
            LINES,
            // A: first purchase day 2025-12-01 (two orders, 100 + 20 + 5 = 125), then 2025-12-08 (two lines: 40 + 10)
            // and 2025-12-29 (30); a cancellation on 2025-12-30 is no purchase.
            row("O1", "A", "2025-12-01 09:00:00", 100.0, false),
            row("O1", "A", "2025-12-01 09:00:00", 20.0, false),
            row("O2", "A", "2025-12-01 18:00:00", 5.0, false),
            row("O3", "A", "2025-12-08 10:00:00", 40.0, false),
            row("O3", "A", "2025-12-08 10:00:00", 10.0, false),
            row("O4", "A", "2025-12-29 10:00:00", 30.0, false),
            row("C5", "A", "2025-12-30 10:00:00", -30.0, true),
            // B: one purchase day only (a zero-value line beside it changes nothing).
            row("O6", "B", "2025-10-04 10:00:00", 80.0, false),
            row("O6", "B", "2025-10-04 10:00:00", 0.0, false),
            // C: only a return: no purchase, not in the summary.
            row("C7", "C", "2025-11-01 10:00:00", -40.0, true),
            // D: a purchase on the last observed day (S - 1), and one on S itself, which is not observed.
            row("O8", "D", "2025-12-31 23:00:00", 12.0, false),
            row("O9", "D", "2026-01-01 08:00:00", 99.0, false));
  }

  private static Object[] row(String order, String customer, String ts, double value, boolean isReturn) {
    return new Object[] {order, customer, Timestamp.valueOf(ts), value, isReturn};
  }

  @Test
  void summariesMatchTheHandComputedValuesInDays() {
    Map<String, Row> byId = Fixtures.byKey(PurchaseHistory.summarise(lines, S, 1), Columns.CUSTOMER_ID);
    assertEquals(3, byId.size(), "C has no purchase: " + byId.keySet());
    assertFalse(byId.containsKey("C"));

    Row a = byId.get("A");
    assertEquals(2L, a.<Long>getAs(Columns.REPEAT_PURCHASES), "three purchase days, two after the first");
    assertEquals(28, a.<Integer>getAs(PurchaseHistory.T_X_DAYS), "2025-12-01 to 2025-12-29");
    assertEquals(30, a.<Integer>getAs(PurchaseHistory.AGE_DAYS), "2025-12-01 to 2025-12-31, the last observed day");
    assertEquals(28.0, a.<Double>getAs(Columns.T_X), 1e-12);
    assertEquals(30.0, a.<Double>getAs(Columns.CUSTOMER_AGE), 1e-12);
    assertEquals((50.0 + 30.0) / 2, a.<Double>getAs(Columns.MEAN_REPEAT_VALUE), 1e-12, "the first day's 125 is left out");

    Row b = byId.get("B");
    assertEquals(0L, b.<Long>getAs(Columns.REPEAT_PURCHASES));
    assertEquals(0, b.<Integer>getAs(PurchaseHistory.T_X_DAYS));
    assertEquals(88, b.<Integer>getAs(PurchaseHistory.AGE_DAYS), "2025-10-04 to 2025-12-31");
    assertNull(b.getAs(Columns.MEAN_REPEAT_VALUE), "no repeat purchase, no mean repeat value");

    Row d = byId.get("D");
    assertEquals(0L, d.<Long>getAs(Columns.REPEAT_PURCHASES), "the order on S is not observed");
    assertEquals(0, d.<Integer>getAs(PurchaseHistory.AGE_DAYS), "first purchase on the last observed day: T = 0");
  }

  @Test
  void durationsInWeeksAreDaysOverSeven() {
    Row a = Fixtures.byKey(PurchaseHistory.summarise(lines, S, 7), Columns.CUSTOMER_ID).get("A");
    assertEquals(4.0, a.<Double>getAs(Columns.T_X), 1e-12);
    assertEquals(30.0 / 7, a.<Double>getAs(Columns.CUSTOMER_AGE), 1e-12);
  }

  @Test
  void anEarlierEndSeesOnlyTheHistoryBeforeIt() {
    Map<String, Row> byId = Fixtures.byKey(PurchaseHistory.summarise(lines, LocalDate.parse("2025-12-09"), 1), Columns.CUSTOMER_ID);
    Row a = byId.get("A");
    assertEquals(1L, a.<Long>getAs(Columns.REPEAT_PURCHASES), "2025-12-29 is after the end");
    assertEquals(7, a.<Integer>getAs(PurchaseHistory.T_X_DAYS));
    assertEquals(7, a.<Integer>getAs(PurchaseHistory.AGE_DAYS), "2025-12-01 to 2025-12-08");
    assertEquals(50.0, a.<Double>getAs(Columns.MEAN_REPEAT_VALUE), 1e-12);
    assertFalse(byId.containsKey("D"));
  }

  @Test
  void linesSortedByCustomerAsTheJobReadsThemGiveTheSameSummary() {
    // The job's accepted lines come partitioned and sorted by customer, and Spark then streams the
    // aggregation; the fixture above is neither, and takes the hash-based path.
    Dataset<Row> sorted = lines.repartition(2, col(Columns.CUSTOMER_ID)).sortWithinPartitions(Columns.CUSTOMER_ID, Columns.ORDER_ID);
    assertEquals(
        Fixtures.byKey(PurchaseHistory.summarise(lines, S, 1), Columns.CUSTOMER_ID),
        Fixtures.byKey(PurchaseHistory.summarise(sorted, S, 1), Columns.CUSTOMER_ID));
  }
}
