package io.customerpyramid.clv;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The BTYD summary (x, t_x, T, m) against values worked out by hand on a four-customer fixture, and
 * against a plainer two-step formulation on a generated one.
 */
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
  void aGeneratedHistoryGivesWhatTheTwoStepAggregationPerDayThenPerCustomerGives() {
    // Forty customers' lines in a random order, the first day's lines scattered among later days,
    // amounts with eight decimals, returns and zero lines among them: the summary equals a plainer
    // formulation of the same definition, a sum per (customer, day) and then one per customer.
    Dataset<Row> generated = generatedLines();
    Map<String, Row> expected = Fixtures.byKey(twoStepReference(generated, S, 7), Columns.CUSTOMER_ID);
    assertEquals(expected, Fixtures.byKey(PurchaseHistory.summarise(generated, S, 7), Columns.CUSTOMER_ID));
    long repeatBuyers = expected.values().stream().filter(r -> r.<Long>getAs(Columns.REPEAT_PURCHASES) > 0).count();
    assertTrue(repeatBuyers > 20 && repeatBuyers < expected.size(), "the fixture has both kinds: " + repeatBuyers);
  }

  @Test
  void linesSortedByCustomerAsTheJobReadsThemAreStreamedAndGiveTheSameSummary() {
    // The job's accepted lines come partitioned and sorted by customer (the duplicate check's window)
    // and its session replaces hash aggregations by sort aggregations where the input is so sorted.
    Dataset<Row> generated = generatedLines();
    Dataset<Row> sorted =
        generated.repartition(3, col(Columns.CUSTOMER_ID)).sortWithinPartitions(Columns.CUSTOMER_ID, Columns.ORDER_ID);
    Dataset<Row> summary = PurchaseHistory.summarise(sorted, S, 7);
    String plan = summary.queryExecution().executedPlan().toString();
    assertTrue(plan.contains("SortAggregate") && !plan.contains("HashAggregate"), plan);
    assertEquals(
        Fixtures.byKey(twoStepReference(generated, S, 7), Columns.CUSTOMER_ID),
        Fixtures.byKey(summary, Columns.CUSTOMER_ID));
  }

  private static Dataset<Row> generatedLines() {
    Random random = new Random(20261128L);
    List<Object[]> rows = new ArrayList<>();
    for (int customer = 0; customer < 40; customer++) {
      int lineCount = 1 + random.nextInt(12);
      for (int line = 0; line < lineCount; line++) {
        // Days from 2025-11-01 to 2026-01-01: the last one is S, not observed.
        LocalDateTime ts = LocalDateTime.of(2025, 11, 1, 0, 0).plusDays(random.nextInt(62)).plusMinutes(random.nextInt(1440));
        BigDecimal value = BigDecimal.valueOf(random.nextLong(-5_000_000_000L, 40_000_000_000L), 8);
        if (line % 5 == 4) {
          value = BigDecimal.ZERO.setScale(8);
        }
        boolean isReturn = value.signum() < 0;
        rows.add(new Object[] {"O" + customer + "-" + line, "C" + customer, Timestamp.valueOf(ts), value, isReturn});
      }
    }
    Collections.shuffle(rows, random);
    return Fixtures.frame(LINES, rows.toArray(Object[][]::new)).repartition(4);
  }

  /** The same definition with a row per purchase day first: the day's sale lines summed, then per customer. */
  private static Dataset<Row> twoStepReference(Dataset<Row> orderLines, LocalDate end, int timeUnitDays) {
    Column endDate = lit(java.sql.Date.valueOf(end));
    Column day = to_date(col(Columns.ORDER_TS));
    Dataset<Row> days =
        orderLines
            .where(col(Columns.IS_RETURN_LINE).equalTo(false).and(col(Columns.LINE_VALUE).gt(0)).and(day.lt(endDate)))
            .groupBy(col(Columns.CUSTOMER_ID), day.as("day"))
            .agg(Money.sum(col(Columns.LINE_VALUE)).as("day_value"));
    Dataset<Row> customers =
        days.groupBy(Columns.CUSTOMER_ID)
            .agg(
                count(lit(1)).as("days"),
                min("day").as("first_day"),
                max("day").as("last_day"),
                Money.sum(col("day_value")).as("total"),
                min_by(col("day_value"), col("day")).as("first_day_value"));
    Column x = col("days").minus(1);
    Column txDays = datediff(col("last_day"), col("first_day"));
    Column ageDays = datediff(date_sub(endDate, 1), col("first_day"));
    return customers.select(
        col(Columns.CUSTOMER_ID),
        x.as(Columns.REPEAT_PURCHASES),
        txDays.as(PurchaseHistory.T_X_DAYS),
        ageDays.as(PurchaseHistory.AGE_DAYS),
        txDays.cast(DataTypes.DoubleType).divide((double) timeUnitDays).as(Columns.T_X),
        ageDays.cast(DataTypes.DoubleType).divide((double) timeUnitDays).as(Columns.CUSTOMER_AGE),
        when(x.gt(0), col("total").minus(col("first_day_value")).cast(DataTypes.DoubleType).divide(x))
            .as(Columns.MEAN_REPEAT_VALUE));
  }
}
