package io.customerpyramid.features;

import static io.customerpyramid.testing.Fixtures.byKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every feature definition against values computed by hand on a three-customer fixture. */
class CustomerFeaturesTest {

  private static final LocalDate S = LocalDate.parse("2026-01-01");
  private static final StructType LINES =
      new StructType()
          .add(Columns.ORDER_ID, DataTypes.StringType)
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.ORDER_TS, DataTypes.TimestampType)
          .add(Columns.LINE_VALUE, DataTypes.DoubleType)
          .add(Columns.DISCOUNT, DataTypes.DoubleType)
          .add(Columns.LINE_COST, DataTypes.DoubleType)
          .add(Columns.IS_RETURN_LINE, DataTypes.BooleanType);
  private static final StructType RETURNS =
      new StructType()
          .add(Columns.ORDER_ID, DataTypes.StringType)
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.RETURN_TS, DataTypes.TimestampType)
          .add(Columns.REFUND_AMOUNT, DataTypes.DoubleType);
  private static final StructType CONTACTS =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.CONTACT_TS, DataTypes.TimestampType)
          .add(Columns.CONTACT_TYPE, DataTypes.StringType)
          .add(Columns.HANDLING_COST, DataTypes.DoubleType);
  private static final StructType INVOICES =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.DUE_DATE, DataTypes.DateType)
          .add(Columns.PAID_DATE, DataTypes.DateType)
          .add(Columns.AMOUNT, DataTypes.DoubleType)
          .add(Columns.WRITTEN_OFF, DataTypes.DoubleType);

  private static Dataset<Row> lines;
  private static Dataset<Row> returns;
  private static Dataset<Row> contacts;
  private static Dataset<Row> invoices;
  private static JobConfig.Costs costs;

  @BeforeAll
  static void fixtures() {
    SparkTestSession.get();
    costs = Fixtures.config("costs.gross_margin_rate=0.4").costs();
    lines =
        Fixtures.frame(
            LINES,
            // A: two positive orders (the second with two lines), one cancellation.
            row("O1", "A", "2025-12-01 10:00:00", 100.0, 10.0, 60.0, false),
            row("O2", "A", "2025-12-21 10:00:00", 50.0, 0.0, 30.0, false),
            row("O2", "A", "2025-12-21 10:00:00", 30.0, 0.0, 18.0, false),
            row("C3", "A", "2025-12-22 09:00:00", -30.0, 0.0, 18.0, true),
            // B: one old order, cost from the margin fallback (200 x 0.6).
            row("O4", "B", "2025-06-01 08:00:00", 200.0, 0.0, 120.0, false),
            // C: only a cancellation, never a positive order.
            row("C5", "C", "2025-11-01 08:00:00", -40.0, 0.0, 24.0, true));
    returns = Fixtures.frame(RETURNS, new Object[] {"O2", "A", ts("2025-12-25 12:00:00"), 20.0});
    contacts =
        Fixtures.frame(
            CONTACTS,
            new Object[] {"A", ts("2025-12-02 09:00:00"), "complaint", 25.0},
            new Object[] {"A", ts("2025-12-03 09:00:00"), "inquiry", 3.0});
    invoices =
        Fixtures.frame(
            INVOICES,
            new Object[] {"A", date("2025-11-01"), date("2025-11-05"), 100.0, 0.0}, // 4 days late
            new Object[] {"A", date("2025-12-01"), date("2025-11-30"), 80.0, 0.0}, // on time
            new Object[] {"A", date("2025-12-15"), null, 50.0, 5.0}, // unpaid: 17 days late as of S, written off 5
            new Object[] {"A", date("2025-12-20"), date("2026-01-03"), 30.0, 0.0}, // paid after S: unpaid as of S, 12 days
            new Object[] {"A", date("2026-01-15"), null, 70.0, 0.0}); // not due yet: ignored
  }

  @Test
  void everyFeatureMatchesTheHandComputedValues() {
    Map<String, Row> f = byKey(build(0), Columns.CUSTOMER_ID);
    Row a = f.get("A");
    assertEquals(Date.valueOf("2025-12-01"), a.getAs(Columns.FIRST_ORDER_DATE));
    assertEquals(Date.valueOf("2025-12-21"), a.getAs(Columns.LAST_ORDER_DATE));
    assertEquals(11, a.<Integer>getAs(Columns.RECENCY_DAYS));
    assertEquals(31, a.<Integer>getAs(Columns.TENURE_DAYS));
    assertEquals(2L, a.<Long>getAs(Columns.FREQUENCY));
    assertMoney(180.0, a, Columns.REVENUE);
    assertMoney(50.0, a, Columns.RETURNS); // cancelled 30 + refund 20
    assertMoney(130.0, a, Columns.NET_REVENUE);
    assertMoney(90.0, a, Columns.AVG_ORDER_VALUE);
    assertMoney(10.0, a, Columns.DISCOUNT_AMOUNT);
    assertMoney(0.052632, a, Columns.DISCOUNT_RATE); // 10 / (180 + 10)
    assertMoney(0.277778, a, Columns.RETURN_RATE); // 50 / 180
    assertMoney(78.0, a, Columns.COST_OF_GOODS); // 60 + 48 - 18 - 20 x 0.6
    assertMoney(28.0, a, Columns.SERVICE_COST);
    assertEquals(2L, a.<Long>getAs(Columns.CONTACT_COUNT));
    assertEquals(1L, a.<Long>getAs(Columns.COMPLAINT_COUNT));
    assertEquals(4L, a.<Long>getAs(Columns.INVOICE_COUNT));
    assertMoney(0.75, a, Columns.LATE_PAYMENT_RATE);
    assertMoney(8.25, a, Columns.AVG_DAYS_LATE); // (4 + 0 + 17 + 12) / 4
    assertMoney(5.0, a, Columns.BAD_DEBT);
    assertMoney(19.0, a, Columns.CONTRIBUTION); // 130 - 78 - 28 - 5

    Row b = f.get("B");
    assertEquals(214, b.<Integer>getAs(Columns.RECENCY_DAYS));
    assertEquals(1L, b.<Long>getAs(Columns.FREQUENCY));
    assertMoney(200.0, b, Columns.NET_REVENUE);
    assertMoney(0.0, b, Columns.DISCOUNT_RATE);
    assertMoney(0.0, b, Columns.RETURN_RATE);
    assertMoney(120.0, b, Columns.COST_OF_GOODS);
    assertEquals(0L, b.<Long>getAs(Columns.INVOICE_COUNT));
    assertNull(b.getAs(Columns.LATE_PAYMENT_RATE), "no due invoice: no late payment rate");
    assertNull(b.getAs(Columns.AVG_DAYS_LATE));
    assertMoney(80.0, b, Columns.CONTRIBUTION);

    Row c = f.get("C");
    assertNull(c.getAs(Columns.RECENCY_DAYS), "no positive order: no recency");
    assertNull(c.getAs(Columns.FIRST_ORDER_DATE));
    assertEquals(0L, c.<Long>getAs(Columns.FREQUENCY));
    assertMoney(0.0, c, Columns.REVENUE);
    assertMoney(40.0, c, Columns.RETURNS);
    assertMoney(-40.0, c, Columns.NET_REVENUE);
    assertNull(c.getAs(Columns.AVG_ORDER_VALUE));
    assertNull(c.getAs(Columns.RETURN_RATE), "return rate is undefined without revenue");
    assertMoney(-16.0, c, Columns.CONTRIBUTION); // -40 - (-24): the goods came back
    assertEquals(3, f.size());
  }

  @Test
  void lookbackLimitsFrequencyMonetaryAndCostsButNotRecencyOrTenure() {
    Map<String, Row> f = byKey(build(30), Columns.CUSTOMER_ID);
    Row a = f.get("A");
    assertEquals(1L, a.<Long>getAs(Columns.FREQUENCY), "O1 on 2025-12-01 is before the 30-day window");
    assertMoney(80.0, a, Columns.REVENUE);
    assertMoney(50.0, a, Columns.RETURNS);
    assertEquals(11, a.<Integer>getAs(Columns.RECENCY_DAYS));
    assertEquals(31, a.<Integer>getAs(Columns.TENURE_DAYS), "tenure uses all history");
    assertEquals(2L, a.<Long>getAs(Columns.CONTACT_COUNT));
    assertEquals(2L, a.<Long>getAs(Columns.INVOICE_COUNT), "invoices due 2025-12-15 and 2025-12-20");
    assertMoney(1.0, a, Columns.LATE_PAYMENT_RATE);
    Row b = f.get("B");
    assertEquals(0L, b.<Long>getAs(Columns.FREQUENCY));
    assertEquals(214, b.<Integer>getAs(Columns.RECENCY_DAYS));
  }

  @Test
  void missingOptionalInputsGiveZeroOrNull() {
    Dataset<Row> f =
        CustomerFeatures.build(lines, Optional.empty(), Optional.empty(), Optional.empty(), new Snapshot(S, 0), costs);
    Row a = byKey(f, Columns.CUSTOMER_ID).get("A");
    assertMoney(30.0, a, Columns.RETURNS);
    assertMoney(0.0, a, Columns.SERVICE_COST);
    assertEquals(0L, a.<Long>getAs(Columns.COMPLAINT_COUNT));
    assertNull(a.getAs(Columns.LATE_PAYMENT_RATE));
    assertMoney(0.0, a, Columns.BAD_DEBT);
    assertMoney(60.0, a, Columns.CONTRIBUTION); // 150 - 90
    assertTrue(f.count() == 3);
  }

  private static Dataset<Row> build(int lookbackDays) {
    return CustomerFeatures.build(
        lines, Optional.of(returns), Optional.of(contacts), Optional.of(invoices), new Snapshot(S, lookbackDays), costs);
  }

  private static void assertMoney(double expected, Row row, String column) {
    Double actual = row.getAs(column);
    assertEquals(expected, actual, 1e-6, column + " of " + row.getAs(Columns.CUSTOMER_ID));
  }

  private static Object[] row(String order, String customer, String ts, double value, double discount, double cost, boolean isReturn) {
    return new Object[] {order, customer, ts(ts), value, discount, cost, isReturn};
  }

  private static Timestamp ts(String value) {
    return Timestamp.valueOf(value);
  }

  private static Date date(String value) {
    return Date.valueOf(value);
  }
}
