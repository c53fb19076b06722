package io.customerpyramid.generate;

import static io.customerpyramid.generate.SyntheticDataGenerator.AMOUNT;
import static io.customerpyramid.generate.SyntheticDataGenerator.COST_OF_GOODS;
import static io.customerpyramid.generate.SyntheticDataGenerator.CONTACT_ID;
import static io.customerpyramid.generate.SyntheticDataGenerator.CONTACT_PREFIX;
import static io.customerpyramid.generate.SyntheticDataGenerator.CONTACT_TS;
import static io.customerpyramid.generate.SyntheticDataGenerator.CONTACT_TYPE;
import static io.customerpyramid.generate.SyntheticDataGenerator.CUSTOMER_ID;
import static io.customerpyramid.generate.SyntheticDataGenerator.CUSTOMER_ID_DIGITS;
import static io.customerpyramid.generate.SyntheticDataGenerator.CUSTOMER_PREFIX;
import static io.customerpyramid.generate.SyntheticDataGenerator.DISCOUNT;
import static io.customerpyramid.generate.SyntheticDataGenerator.DUE_DATE;
import static io.customerpyramid.generate.SyntheticDataGenerator.EVENT_ID_DIGITS;
import static io.customerpyramid.generate.SyntheticDataGenerator.HANDLING_COST;
import static io.customerpyramid.generate.SyntheticDataGenerator.ID_SLOTS_PER_CUSTOMER;
import static io.customerpyramid.generate.SyntheticDataGenerator.INQUIRY;
import static io.customerpyramid.generate.SyntheticDataGenerator.INVOICE_ID;
import static io.customerpyramid.generate.SyntheticDataGenerator.INVOICE_PREFIX;
import static io.customerpyramid.generate.SyntheticDataGenerator.ORDER_ID;
import static io.customerpyramid.generate.SyntheticDataGenerator.ORDER_PREFIX;
import static io.customerpyramid.generate.SyntheticDataGenerator.ORDER_TS;
import static io.customerpyramid.generate.SyntheticDataGenerator.PAID_DATE;
import static io.customerpyramid.generate.SyntheticDataGenerator.REFUND_AMOUNT;
import static io.customerpyramid.generate.SyntheticDataGenerator.RESERVED_SLOT;
import static io.customerpyramid.generate.SyntheticDataGenerator.RETURN_ID;
import static io.customerpyramid.generate.SyntheticDataGenerator.RETURN_PREFIX;
import static io.customerpyramid.generate.SyntheticDataGenerator.RETURN_TS;
import static io.customerpyramid.generate.SyntheticDataGenerator.WRITTEN_OFF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The deliberately invalid rows appended with {@code withBadRows}; see {@link SyntheticDataGenerator}. */
final class BadRows {

  static final String UNPARSABLE_TIMESTAMP = "2025-13-45 99:00:00";
  static final String UNPARSABLE_DATE = "2025-13-45";
  static final String NON_NUMERIC_AMOUNT = "12,3x";
  static final String NON_NUMERIC_REFUND = "abc";
  /** An InvoiceDate of the line-level export ({@code M/d/yyyy H:mm}) that does not parse. */
  static final String UNPARSABLE_LINE_TIMESTAMP = "13/45/2025 99:00";
  static final String NON_NUMERIC_QUANTITY = "2x";
  /** Product of the literal bad lines: the export's postage line. */
  static final String POSTAGE_CODE = "POST";
  static final String POSTAGE = "POSTAGE";
  /**
   * How far after the end date the "from the future" rows lie: years, so that they are also after
   * the clock of any run, which keeps them from moving a default snapshot date (a clock error).
   */
  static final int DAYS_AFTER_END = 3653;
  /** How far before the end date the otherwise valid dates of bad rows lie. */
  private static final int DAYS_BEFORE_END = 30;
  private static final int PAYMENT_DAYS = 5;
  private static final String TIME_OF_DAY = " 12:00:00";
  private static final LocalTime NOON = LocalTime.NOON;
  private static final String ONE = "1";
  private static final String VALID_AMOUNT = "19.99";
  private static final String VALID_COST = "11.99";
  private static final String ZERO = "0.00";
  private static final String NOT_WRITTEN_OFF = "0";
  private static final long FIRST_CUSTOMER = 1;
  /** Slot of the customer's first order: every customer has one. */
  private static final long FIRST_SLOT = 0;
  /** Slots from here on are never generated (see RESERVED_SLOT), so bad rows cannot collide. */
  private static final long FIRST_BAD_SLOT = RESERVED_SLOT + 90;
  /** Slot of an order that is never generated. */
  private static final long MISSING_ORDER_SLOT = ID_SLOTS_PER_CUSTOMER - 1;

  private final SparkSession spark;
  private final String customer;
  private final String validTimestamp;
  private final String futureTimestamp;
  private final String validDate;
  private final String paidDate;
  private final String validLineTimestamp;
  private final String futureLineTimestamp;

  BadRows(SparkSession spark, LocalDate endDate) {
    this.spark = spark;
    this.customer = id(CUSTOMER_PREFIX, FIRST_CUSTOMER, CUSTOMER_ID_DIGITS);
    this.validDate = endDate.minusDays(DAYS_BEFORE_END).toString();
    this.paidDate = endDate.minusDays(DAYS_BEFORE_END - PAYMENT_DAYS).toString();
    this.validTimestamp = validDate + TIME_OF_DAY;
    this.futureTimestamp = endDate.plusDays(DAYS_AFTER_END) + TIME_OF_DAY;
    this.validLineTimestamp = OrderLines.format(endDate.minusDays(DAYS_BEFORE_END).atTime(NOON));
    this.futureLineTimestamp = OrderLines.format(endDate.plusDays(DAYS_AFTER_END).atTime(NOON));
  }

  /** Id of the {@code n}-th bad row with this prefix: a never generated slot of customer C0000001. */
  static String badId(String prefix, long n) {
    return eventId(prefix, FIRST_BAD_SLOT + n);
  }

  static String firstOrderId() {
    return eventId(ORDER_PREFIX, FIRST_SLOT);
  }

  static String missingOrderId() {
    return eventId(ORDER_PREFIX, MISSING_ORDER_SLOT);
  }

  /**
   * Bad orders; {@code firstCustomerOrders} are the generated order rows of customer C0000001, one
   * of which is duplicated.
   */
  Dataset<Row> orders(Dataset<Row> firstCustomerOrders) {
    Dataset<Row> literal =
        rows(
            List.of(ORDER_ID, CUSTOMER_ID, ORDER_TS, AMOUNT, DISCOUNT, COST_OF_GOODS),
            row(badId(ORDER_PREFIX, 0), null, validTimestamp, VALID_AMOUNT, ZERO, VALID_COST),
            row(badId(ORDER_PREFIX, 1), customer, UNPARSABLE_TIMESTAMP, VALID_AMOUNT, ZERO, VALID_COST),
            row(badId(ORDER_PREFIX, 2), customer, validTimestamp, NON_NUMERIC_AMOUNT, ZERO, VALID_COST),
            row(badId(ORDER_PREFIX, 3), customer, futureTimestamp, VALID_AMOUNT, ZERO, VALID_COST));
    Dataset<Row> duplicate = firstCustomerOrders.where(col(ORDER_ID).equalTo(firstOrderId()));
    return literal.unionByName(duplicate).coalesce(1);
  }

  /**
   * Bad lines of the line-level orders input, the same defects as {@link #orders} (a non-numeric
   * Quantity for the amount); {@code firstCustomerLines} are the generated lines of customer
   * C0000001, and every line of its first order is exported a second time.
   */
  Dataset<Row> orderLines(Dataset<Row> firstCustomerLines) {
    String price = VALID_AMOUNT;
    String country = OrderLines.HOME_COUNTRY;
    Dataset<Row> literal =
        rows(
            OrderLines.COLUMNS,
            row(badId(ORDER_PREFIX, 0), POSTAGE_CODE, POSTAGE, ONE, validLineTimestamp, price, null, country),
            row(badId(ORDER_PREFIX, 1), POSTAGE_CODE, POSTAGE, ONE, UNPARSABLE_LINE_TIMESTAMP, price, customer, country),
            row(badId(ORDER_PREFIX, 2), POSTAGE_CODE, POSTAGE, NON_NUMERIC_QUANTITY, validLineTimestamp, price, customer,
                country),
            row(badId(ORDER_PREFIX, 3), POSTAGE_CODE, POSTAGE, ONE, futureLineTimestamp, price, customer, country));
    Dataset<Row> doubleExported = firstCustomerLines.where(col(OrderLines.INVOICE_NO).equalTo(firstOrderId()));
    return literal.unionByName(doubleExported).coalesce(1);
  }

  /**
   * Bad returns; {@code firstOrderReturn} is one valid return (order_id, customer_id, return_ts,
   * refund_amount) of customer C0000001's first order, spoiled in one column per row.
   */
  Dataset<Row> returns(Dataset<Row> firstOrderReturn) {
    Dataset<Row> unknownOrder =
        rows(
            List.of(RETURN_ID, ORDER_ID, CUSTOMER_ID, RETURN_TS, REFUND_AMOUNT),
            row(badId(RETURN_PREFIX, 0), missingOrderId(), null, validTimestamp, VALID_AMOUNT));
    Dataset<Row> nonNumericRefund =
        firstOrderReturn.select(
            lit(badId(RETURN_PREFIX, 1)).as(RETURN_ID),
            col(ORDER_ID),
            col(CUSTOMER_ID),
            col(RETURN_TS),
            lit(NON_NUMERIC_REFUND).as(REFUND_AMOUNT));
    Dataset<Row> unparsableTimestamp =
        firstOrderReturn.select(
            lit(badId(RETURN_PREFIX, 2)).as(RETURN_ID),
            col(ORDER_ID),
            col(CUSTOMER_ID),
            lit(UNPARSABLE_TIMESTAMP).as(RETURN_TS),
            col(REFUND_AMOUNT));
    return unknownOrder.unionByName(nonNumericRefund).unionByName(unparsableTimestamp).coalesce(1);
  }

  Dataset<Row> contacts() {
    String cost = "3.00";
    return rows(
        List.of(CONTACT_ID, CUSTOMER_ID, CONTACT_TS, CONTACT_TYPE, HANDLING_COST),
        row(badId(CONTACT_PREFIX, 0), null, validTimestamp, INQUIRY, cost),
        row(badId(CONTACT_PREFIX, 1), customer, UNPARSABLE_TIMESTAMP, INQUIRY, cost),
        row(badId(CONTACT_PREFIX, 2), customer, futureTimestamp, INQUIRY, cost));
  }

  Dataset<Row> invoices() {
    return rows(
        List.of(INVOICE_ID, CUSTOMER_ID, DUE_DATE, PAID_DATE, AMOUNT, WRITTEN_OFF),
        row(badId(INVOICE_PREFIX, 0), customer, validDate, paidDate, NON_NUMERIC_AMOUNT, NOT_WRITTEN_OFF),
        row(badId(INVOICE_PREFIX, 1), null, validDate, paidDate, VALID_AMOUNT, NOT_WRITTEN_OFF),
        row(badId(INVOICE_PREFIX, 2), customer, UNPARSABLE_DATE, null, VALID_AMOUNT, NOT_WRITTEN_OFF));
  }

  private static String eventId(String prefix, long slot) {
    return id(prefix, FIRST_CUSTOMER * ID_SLOTS_PER_CUSTOMER + slot, EVENT_ID_DIGITS);
  }

  private static String id(String prefix, long number, int digits) {
    return prefix + String.format("%0" + digits + "d", number);
  }

  private static Row row(String... values) {
    return RowFactory.create((Object[]) values);
  }

  private Dataset<Row> rows(List<String> columns, Row... rows) {
    StructField[] fields =
        columns.stream()
            .map(name -> DataTypes.createStructField(name, DataTypes.StringType, true))
            .toArray(StructField[]::new);
    // One partition: a local relation is otherwise split by the default parallelism (the core count).
    return spark.createDataFrame(Arrays.asList(rows), new StructType(fields)).coalesce(1);
  }
}
