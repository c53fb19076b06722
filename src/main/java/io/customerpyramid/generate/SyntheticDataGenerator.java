package io.customerpyramid.generate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.when;

import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;


/**
 * Generates realistic, deterministic order, return, contact and invoice history for the job to chew on.
 *
 * <p>Everything is computed distributedly from {@code spark.range} with Spark SQL built-in
 * functions (no UDFs, no driver-side loops over customers, no collect). Every random value is a
 * hash of the seed, a salt and the row's keys (see {@link HashRandom}), so the same seed and number
 * of customers give byte-identical rows regardless of the core count or Spark's default
 * parallelism. The number of partitions (and so of output files) depends only on the number of
 * customers: {@code ceil(customers / 20000)}.
 *
 * <p>Customers {@code C0000001}... are drawn from archetypes (see {@link Archetype}): about 5%
 * loyal big spenders, 30% regulars, 35% occasional, 10% new (first order in the last 90 days), 10%
 * lapsed (no order in the last 260 days) and 10% loss-making problem customers (many contacts and
 * complaints, high return rate, high discounts, late payment, bad debt). Spend is heavy tailed: a
 * lognormal per-customer basket level times an archetype-dependent order count (about 10 orders per
 * customer on average) lets the top 20% of customers produce about 75% of revenue. History spans
 * three years; every event happens before the end date starts (on the day before at the latest);
 * only invoice due dates may lie after the end date (such invoices are open: unpaid, not written
 * off). Timestamps are UTC wall-clock text, built without the session time zone.
 *
 * <p>Ids are the customer number times 1000 plus a slot, zero padded: the orders of customer
 * {@code C0000042} are {@code O0000042000}, {@code O0000042001}...; a cancellation of order
 * {@code O0000042003} is {@code C0000042003} (negative amount, zero discount); its return is
 * {@code R0000042003} and its invoice {@code I0000042003}; contacts are {@code T0000042000}... Slots
 * 900-999 are never generated and are used by the bad rows.
 *
 * <p>With granularity {@code line} ({@link GeneratorOptions#GRANULARITY_LINE}) the orders input is
 * written one row per product line instead, shaped like the public "Online Retail" export: columns
 * {@code InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country}, dates
 * as {@code M/d/yyyy H:mm} text, cancellations as invoices {@code C...} with negative quantity. The
 * invoices are the same orders (InvoiceNo is the order id, so returns and invoices still refer to
 * it); how the lines split an order's amount, and the invoices whose products share a quantity and
 * unit price, are described in {@link OrderLines}. Returns, contacts and invoices are the same as at
 * order level.
 *
 * <p>With {@code withBadRows} these rows are appended, each with one defect (all of customer
 * {@code C0000001}, whose first order is {@code O0000001000}):
 *
 * <ul>
 *   <li>orders: {@code O0000001990} without customer_id; {@code O0000001991} with order_ts {@code
 *       2025-13-45 99:00:00}; {@code O0000001992} with amount {@code 12,3x}; an exact duplicate of
 *       the row of order {@code O0000001000}; {@code O0000001993} with order_ts ten years (3653
 *       days) after the end date, so that it also lies after the clock of any run and cannot move
 *       a default snapshot date.
 *   <li>orders at line level, instead: {@code O0000001990} without CustomerID; {@code O0000001991}
 *       with InvoiceDate {@code 13/45/2025 99:00}; {@code O0000001992} with Quantity {@code 2x};
 *       {@code O0000001993} dated ten years after the end date (each one line of StockCode {@code
 *       POST}, Description {@code POSTAGE}); and every line of order {@code O0000001000} exported a
 *       second time, identical in every column (how many lines that is depends on the seed: three
 *       for seeds 7 and 42).
 *   <li>returns: {@code R0000001990} for the non-existent order {@code O0000001999} and without
 *       customer_id; {@code R0000001991} for order {@code O0000001000} with refund_amount {@code
 *       abc}; {@code R0000001992} for order {@code O0000001000} with return_ts {@code 2025-13-45
 *       99:00:00}.
 *   <li>contacts: {@code T0000001990} without customer_id; {@code T0000001991} with contact_ts
 *       {@code 2025-13-45 99:00:00}; {@code T0000001992} with contact_ts ten years after the end
 *       date.
 *   <li>invoices: {@code I0000001990} with amount {@code 12,3x}; {@code I0000001991} without
 *       customer_id; {@code I0000001992} with due_date {@code 2025-13-45}.
 * </ul>
 *
 * <p>All columns are written as strings (CSV with header, or Parquet with string columns so that
 * bad rows fit the same schema); empty values are nulls.
 */
public final class SyntheticDataGenerator {

  public static final String ORDERS = "orders";
  public static final String RETURNS = "returns";
  public static final String CONTACTS = "contacts";
  public static final String INVOICES = "invoices";
  public static final List<String> INPUTS = List.of(ORDERS, RETURNS, CONTACTS, INVOICES);

  public static final String ORDER_ID = "order_id";
  public static final String CUSTOMER_ID = "customer_id";
  public static final String ORDER_TS = "order_ts";
  public static final String AMOUNT = "amount";
  public static final String DISCOUNT = "discount";
  public static final String COST_OF_GOODS = "cost_of_goods";
  public static final String RETURN_ID = "return_id";
  public static final String RETURN_TS = "return_ts";
  public static final String REFUND_AMOUNT = "refund_amount";
  public static final String CONTACT_ID = "contact_id";
  public static final String CONTACT_TS = "contact_ts";
  public static final String CONTACT_TYPE = "contact_type";
  public static final String HANDLING_COST = "handling_cost";
  public static final String INVOICE_ID = "invoice_id";
  public static final String DUE_DATE = "due_date";
  public static final String PAID_DATE = "paid_date";
  public static final String WRITTEN_OFF = "written_off";

  public static final String INQUIRY = "inquiry";
  public static final String COMPLAINT = "complaint";
  public static final String TECHNICAL = "technical";
  public static final String BILLING = "billing";

  public static final String ORDER_PREFIX = "O";
  public static final String CANCELLATION_PREFIX = "C";
  public static final String CUSTOMER_PREFIX = "C";
  static final String RETURN_PREFIX = "R";
  static final String CONTACT_PREFIX = "T";
  static final String INVOICE_PREFIX = "I";

  static final long CUSTOMERS_PER_PARTITION = 20_000L;
  static final int HISTORY_DAYS = 1095;
  static final int SECONDS_PER_DAY = 86_400;
  static final int SECONDS_PER_HOUR = 3_600;
  static final int CUSTOMER_ID_DIGITS = 7;
  static final int EVENT_ID_DIGITS = 10;
  static final long ID_SLOTS_PER_CUSTOMER = 1_000L;
  /** Slots from here on are never generated, so bad rows can use them without colliding. */
  static final long RESERVED_SLOT = 900L;

  static final String DECIMAL = "decimal(14,2)";

  // Internal (not written) columns.
  static final String IDX = "idx";
  static final String ARCHETYPE = "archetype";
  static final String FIRST_DAY = "first_day";
  static final String LAST_DAY = "last_day";
  static final String CONTACT_COUNT = "contact_count";
  static final String SEQ = "seq";
  static final String KIND = "kind";
  static final String SECONDS = "seconds";
  static final String CANCEL_SECONDS = "cancel_seconds";
  static final String CANCELLED = "cancelled";
  static final String AMOUNT_VALUE = "amount_value";
  static final String DISCOUNT_VALUE = "discount_value";
  static final String COST_VALUE = "cost_value";
  static final int KIND_ORDER = 0;
  static final int KIND_CANCELLATION = 1;

  private final HashRandom random;
  private final LocalDate historyStart;
  /** Seconds from the history start to the end date's midnight: every event happens before it. */
  private final long endSeconds;
  private final EventText text;
  private final CustomerHistory history;
  private final ServiceEvents events;

  private SyntheticDataGenerator(GeneratorOptions options) {
    this.random = new HashRandom(options.seed());
    this.historyStart = options.endDate().minusDays(HISTORY_DAYS);
    this.endSeconds = (long) HISTORY_DAYS * SECONDS_PER_DAY;
    this.text = new EventText(historyStart);
    this.history = new CustomerHistory(random, endSeconds);
    this.events = new ServiceEvents(random, text, endSeconds);
  }

  /**
   * Writes orders, returns, contacts and invoices under {@code options.outDir()}; returns row
   * counts per input (keys {@link #INPUTS}, bad rows included).
   *
   * @throws IllegalArgumentException if {@code spark} or {@code options} is null
   * @throws UncheckedIOException if the single-file output cannot be moved into place
   */
  public static Map<String, Long> generate(SparkSession spark, GeneratorOptions options) {
    if (spark == null) {
      throw new IllegalArgumentException("spark session must not be null");
    }
    if (options == null) {
      throw new IllegalArgumentException("options must not be null");
    }
    SyntheticDataGenerator generator = new SyntheticDataGenerator(options);
    Map<String, Dataset<Row>> inputs = generator.inputs(spark, options);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Map.Entry<String, Dataset<Row>> input : inputs.entrySet()) {
      counts.put(input.getKey(), InputFiles.write(spark, input.getValue(), input.getKey(), options));
    }
    return counts;
  }

  /** Number of partitions of the customer range; depends on nothing but the customer count. */
  static int partitions(long customers) {
    return (int) ((customers + CUSTOMERS_PER_PARTITION - 1) / CUSTOMERS_PER_PARTITION);
  }

  private Map<String, Dataset<Row>> inputs(SparkSession spark, GeneratorOptions options) {
    Dataset<Row> customers =
        history.customers(spark.range(0, options.customers(), 1, partitions(options.customers())).toDF());
    Dataset<Row> orderFacts = history.orderFacts(customers);
    OrderLines lines = new OrderLines(random, historyStart);
    Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
    inputs.put(ORDERS, options.lineLevel() ? lines.lines(orderFacts) : orders(orderFacts));
    inputs.put(RETURNS, events.returns(orderFacts));
    inputs.put(CONTACTS, events.contacts(customers));
    inputs.put(INVOICES, events.invoices(orderFacts));
    if (options.withBadRows()) {
      // Customer C0000001 alone, recomputed: hashing makes its rows identical to the full run's.
      Dataset<Row> firstOrder =
          history.orderFacts(history.customers(spark.range(0, 1, 1, 1).toDF())).where(col(SEQ).equalTo(0));
      BadRows badRows = new BadRows(spark, options.endDate());
      Dataset<Row> badOrders =
          options.lineLevel() ? badRows.orderLines(lines.lines(firstOrder)) : badRows.orders(orders(firstOrder));
      inputs.put(ORDERS, inputs.get(ORDERS).unionByName(badOrders));
      inputs.put(RETURNS, inputs.get(RETURNS).unionByName(badRows.returns(validReturn(firstOrder))));
      inputs.put(CONTACTS, inputs.get(CONTACTS).unionByName(badRows.contacts()));
      inputs.put(INVOICES, inputs.get(INVOICES).unionByName(badRows.invoices()));
    }
    return inputs;
  }

  /** A valid full return, a day later, of each given order: the base the bad returns spoil. */
  private Dataset<Row> validReturn(Dataset<Row> orderFacts) {
    return orderFacts.select(
        prefixed(ORDER_PREFIX, eventNumber(col(IDX), col(SEQ)), EVENT_ID_DIGITS).as(ORDER_ID),
        customerId(col(IDX)).as(CUSTOMER_ID),
        text.timestamp(least(col(SECONDS).plus(SECONDS_PER_DAY), lit(endSeconds - 1))).as(RETURN_TS),
        EventText.money(col(AMOUNT_VALUE)).as(REFUND_AMOUNT));
  }

  /** The orders input: every order, followed by its cancellation if it was cancelled. */
  private Dataset<Row> orders(Dataset<Row> orderFacts) {
    Column cancellation = col(KIND).equalTo(KIND_CANCELLATION);
    Column number = eventNumber(col(IDX), col(SEQ));
    return orderFacts
        .select(col("*"), explode(kinds()).as(KIND))
        .select(
            when(cancellation, prefixed(CANCELLATION_PREFIX, number, EVENT_ID_DIGITS))
                .otherwise(prefixed(ORDER_PREFIX, number, EVENT_ID_DIGITS))
                .as(ORDER_ID),
            customerId(col(IDX)).as(CUSTOMER_ID),
            text.timestamp(when(cancellation, col(CANCEL_SECONDS)).otherwise(col(SECONDS))).as(ORDER_TS),
            EventText.money(when(cancellation, negate(col(AMOUNT_VALUE))).otherwise(col(AMOUNT_VALUE)))
                .as(AMOUNT),
            EventText.money(when(cancellation, lit(0).cast(DECIMAL)).otherwise(col(DISCOUNT_VALUE))).as(DISCOUNT),
            EventText.money(when(cancellation, negate(col(COST_VALUE))).otherwise(col(COST_VALUE)))
                .as(COST_OF_GOODS));
  }

  /** The events of an order: the order itself, followed by its cancellation if it was cancelled. */
  static Column kinds() {
    return when(col(CANCELLED), array(lit(KIND_ORDER), lit(KIND_CANCELLATION)))
        .otherwise(array(lit(KIND_ORDER)));
  }

  /** {@code from + (to - from) * uniform}. */
  static Column between(Column from, Column to, Column uniform) {
    return from.plus(to.minus(from).multiply(uniform));
  }

  static Column eventNumber(Column idx, Column seq) {
    return idx.plus(1).multiply(ID_SLOTS_PER_CUSTOMER).plus(seq);
  }

  static Column customerId(Column idx) {
    return prefixed(CUSTOMER_PREFIX, idx.plus(1), CUSTOMER_ID_DIGITS);
  }

  /** Prefix and zero-padded number; unlike a bare lpad, never truncates a longer number. */
  static Column prefixed(String prefix, Column number, int digits) {
    Column text = number.cast(DataTypes.StringType);
    return concat(lit(prefix), when(length(text).geq(digits), text).otherwise(lpad(text, digits, "0")));
  }
}
