package io.customerpyramid.features;

import static io.customerpyramid.testing.DataFrameAssertions.assertTableApproxEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
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
          .add(Columns.LINE_VALUE, Money.WORK)
          .add(Columns.DISCOUNT, Money.WORK)
          .add(Columns.LINE_COST, Money.WORK)
          .add(Columns.IS_RETURN_LINE, DataTypes.BooleanType);
  private static final StructType RETURNS =
      new StructType()
          .add(Columns.ORDER_ID, DataTypes.StringType)
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.RETURN_TS, DataTypes.TimestampType)
          .add(Columns.REFUND_AMOUNT, Money.WORK);
  private static final StructType CONTACTS =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.CONTACT_TS, DataTypes.TimestampType)
          .add(Columns.CONTACT_TYPE, DataTypes.StringType)
          .add(Columns.HANDLING_COST, Money.WORK);
  private static final StructType INVOICES =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.DUE_DATE, DataTypes.DateType)
          .add(Columns.PAID_DATE, DataTypes.DateType)
          .add(Columns.AMOUNT, Money.WORK)
          .add(Columns.WRITTEN_OFF, Money.WORK);

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
    StructType features =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.FIRST_ORDER_DATE, DataTypes.DateType)
            .add(Columns.LAST_ORDER_DATE, DataTypes.DateType)
            .add(Columns.RECENCY_DAYS, DataTypes.IntegerType)
            .add(Columns.TENURE_DAYS, DataTypes.IntegerType)
            .add(Columns.FREQUENCY, DataTypes.LongType)
            .add(Columns.REVENUE, Money.STORED)
            .add(Columns.RETURNS, Money.STORED)
            .add(Columns.NET_REVENUE, Money.STORED)
            .add(Columns.AVG_ORDER_VALUE, Money.STORED)
            .add(Columns.DISCOUNT_AMOUNT, Money.STORED)
            .add(Columns.DISCOUNT_RATE, DataTypes.DoubleType)
            .add(Columns.RETURN_RATE, DataTypes.DoubleType)
            .add(Columns.COST_OF_GOODS, Money.STORED)
            .add(Columns.SERVICE_COST, Money.STORED)
            .add(Columns.CONTACT_COUNT, DataTypes.LongType)
            .add(Columns.COMPLAINT_COUNT, DataTypes.LongType)
            .add(Columns.INVOICE_COUNT, DataTypes.LongType)
            .add(Columns.LATE_PAYMENT_RATE, DataTypes.DoubleType)
            .add(Columns.AVG_DAYS_LATE, DataTypes.DoubleType)
            .add(Columns.BAD_DEBT, Money.STORED)
            .add(Columns.CONTRIBUTION, Money.STORED);
    Dataset<Row> expected =
        Fixtures.frame(
            features,
            new Object[] {
              "A", date("2025-12-01"), date("2025-12-21"), 11, 31, 2L,
              180.0, // revenue
              50.0, // returns: cancelled 30 + refund 20
              130.0, // net revenue
              90.0, // avg order value
              10.0, // discount amount
              0.052632, // discount rate: 10 / (180 + 10)
              0.277778, // return rate: 50 / 180
              78.0, // cost of goods: 60 + 48 - 18 - 20 x 0.6
              28.0, // service cost
              2L, 1L, 4L, // contacts, complaints, invoices
              0.75, // late payment rate
              8.25, // avg days late: (4 + 0 + 17 + 12) / 4
              5.0, // bad debt
              19.0 // contribution: 130 - 78 - 28 - 5
            },
            new Object[] {
              "B", date("2025-06-01"), date("2025-06-01"), 214, 214, 1L,
              200.0, 0.0, 200.0, 200.0, 0.0, 0.0, 0.0,
              120.0, // cost of goods from the margin fallback (200 x 0.6)
              0.0, 0L, 0L, 0L,
              null, // no due invoice: no late payment rate
              null, // and no days late
              0.0,
              80.0
            },
            new Object[] {
              "C", null, null, // no positive order: no first or last order date,
              null, null, // no recency, no tenure
              0L, 0.0, 40.0, -40.0,
              null, // no order: no average order value
              0.0, 0.0,
              null, // return rate is undefined without revenue
              -24.0, 0.0, 0L, 0L, 0L, null, null, 0.0,
              -16.0 // -40 - (-24): the goods came back
            });
    assertTableApproxEquals(expected, build(0), Fixtures.TOLERANCE, Columns.CUSTOMER_ID);
  }

  @Test
  void lookbackLimitsFrequencyMonetaryAndCostsButNotRecencyOrTenure() {
    StructType features =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.FREQUENCY, DataTypes.LongType)
            .add(Columns.REVENUE, Money.STORED)
            .add(Columns.RETURNS, Money.STORED)
            .add(Columns.RECENCY_DAYS, DataTypes.IntegerType)
            .add(Columns.TENURE_DAYS, DataTypes.IntegerType)
            .add(Columns.CONTACT_COUNT, DataTypes.LongType)
            .add(Columns.INVOICE_COUNT, DataTypes.LongType)
            .add(Columns.LATE_PAYMENT_RATE, DataTypes.DoubleType);
    Dataset<Row> expected =
        Fixtures.frame(
            features,
            // A: O1 on 2025-12-01 is before the 30-day window; tenure uses all history; invoices due
            // 2025-12-15 and 2025-12-20, both unpaid as of S.
            new Object[] {"A", 1L, 80.0, 50.0, 11, 31, 2L, 2L, 1.0},
            new Object[] {"B", 0L, 0.0, 0.0, 214, 214, 0L, 0L, null},
            // C's only line (2025-11-01) is outside the window too.
            new Object[] {"C", 0L, 0.0, 0.0, null, null, 0L, 0L, null});
    assertTableApproxEquals(expected, build(30), Fixtures.TOLERANCE, Columns.CUSTOMER_ID);
  }

  @Test
  void missingOptionalInputsGiveZeroOrNull() {
    Dataset<Row> f =
        CustomerFeatures.build(lines, Optional.empty(), Optional.empty(), Optional.empty(), new Snapshot(S, 0), costs);
    StructType features =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.RETURNS, Money.STORED)
            .add(Columns.SERVICE_COST, Money.STORED)
            .add(Columns.COMPLAINT_COUNT, DataTypes.LongType)
            .add(Columns.LATE_PAYMENT_RATE, DataTypes.DoubleType)
            .add(Columns.BAD_DEBT, Money.STORED)
            .add(Columns.CONTRIBUTION, Money.STORED);
    Dataset<Row> expected =
        Fixtures.frame(
            features,
            new Object[] {"A", 30.0, 0.0, 0L, null, 0.0, 60.0}, // contribution 150 - 90
            new Object[] {"B", 0.0, 0.0, 0L, null, 0.0, 80.0},
            new Object[] {"C", 40.0, 0.0, 0L, null, 0.0, -16.0});
    assertTableApproxEquals(expected, f, Fixtures.TOLERANCE, Columns.CUSTOMER_ID);
    assertTrue(f.count() == 3);
  }

  @Test
  void subCentAmountsAreSummedExactlyAndRoundedOnceHalfUp() {
    // Three lines of 3 x 0.335 = 1.005: rounded line by line they would make 3.03, summed exactly 3.015 -> 3.02.
    // Costs at the 40 % margin: 3.015 x 0.6 = 1.809 -> 1.81; contribution 3.02 - 1.81 = 1.21 exactly.
    Dataset<Row> subCent =
        Fixtures.frame(
            LINES,
            row("O1", "D", "2025-12-01 10:00:00", 1.005, 0.0, 0.603, false),
            row("O1", "D", "2025-12-01 10:00:00", 1.005, 0.0, 0.603, false),
            row("O2", "D", "2025-12-02 10:00:00", 1.005, 0.0, 0.603, false));
    Row d = CustomerFeatures.build(subCent, Optional.empty(), Optional.empty(), Optional.empty(), new Snapshot(S, 0), costs).first();
    assertEquals(new java.math.BigDecimal("3.02"), d.getAs(Columns.REVENUE));
    assertEquals(new java.math.BigDecimal("1.51"), d.getAs(Columns.AVG_ORDER_VALUE), "the stored revenue over 2 orders");
    assertEquals(new java.math.BigDecimal("1.81"), d.getAs(Columns.COST_OF_GOODS));
    assertEquals(new java.math.BigDecimal("1.21"), d.getAs(Columns.CONTRIBUTION));
    assertEquals(new java.math.BigDecimal("3.01500000"), d.getAs(CustomerFeatures.LEDGER_ORDERS), "the books keep every decimal");
  }

  private static Dataset<Row> build(int lookbackDays) {
    return CustomerFeatures.build(
        lines, Optional.of(returns), Optional.of(contacts), Optional.of(invoices), new Snapshot(S, lookbackDays), costs);
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
