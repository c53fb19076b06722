package io.customerpyramid.generate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
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
  private static final double MIN_ORDER_AMOUNT = 2.0;
  private static final double SPEND_SIGMA = 0.8;
  private static final double ORDER_AMOUNT_SIGMA = 0.35;
  private static final double MARGIN_MIN = 0.35;
  private static final double MARGIN_MAX = 0.45;
  private static final int LAST_ORDER_JITTER_DAYS = 14;
  private static final int ORDER_HOUR_FROM = 6;
  private static final int ORDER_HOURS = 18;
  private static final int CANCEL_DELAY_HOURS_MIN = 1;
  private static final int CANCEL_DELAY_HOURS_MAX = 72;
  private static final int RETURN_DELAY_DAYS_MIN = 2;
  private static final int RETURN_DELAY_DAYS_MAX = 25;
  private static final double FULL_REFUND_SHARE = 0.6;
  private static final double PARTIAL_REFUND_MIN = 0.2;
  private static final double PARTIAL_REFUND_MAX = 0.9;
  private static final int CONTACT_HOUR_FROM = 8;
  private static final int CONTACT_HOURS = 12;
  /** Contacts may come a little after the last order (delivery problems, invoices). */
  private static final int CONTACT_DAYS_AFTER_LAST_ORDER = 30;
  private static final double INQUIRY_SHARE_OF_REST = 0.6;
  private static final double TECHNICAL_SHARE_OF_REST = 0.2;
  private static final double INQUIRY_COST = 3.0;
  private static final double COMPLAINT_COST = 20.0;
  private static final double TECHNICAL_COST = 12.0;
  private static final double BILLING_COST = 6.0;
  private static final double COST_JITTER_MIN = 0.7;
  private static final double COST_JITTER_MAX = 1.3;
  private static final double MISSING_HANDLING_COST_SHARE = 0.2;
  private static final double INVOICE_SHARE = 0.3;
  private static final int PAYMENT_TERM_DAYS = 30;
  private static final int WRITE_OFF_AFTER_DAYS_OVERDUE = 90;
  private static final int MAX_ORDERS = (int) RESERVED_SLOT;
  private static final int MAX_CONTACTS = (int) RESERVED_SLOT;

  private static final int SALT_ARCHETYPE = 1;
  private static final int SALT_FIRST_DAY = 2;
  private static final int SALT_LAST_DAY = 3;
  private static final int SALT_ORDER_COUNT = 4;
  private static final int SALT_SPEND_LEVEL = 5;
  private static final int SALT_CONTACT_COUNT = 6;
  private static final int SALT_CONTACT_COUNT_ROUNDING = 7;
  private static final int SALT_ORDER_DAY = 10;
  private static final int SALT_ORDER_SECOND = 11;
  private static final int SALT_ORDER_AMOUNT = 12;
  private static final int SALT_DISCOUNTED = 13;
  private static final int SALT_DISCOUNT_RATE = 14;
  private static final int SALT_MARGIN = 15;
  private static final int SALT_CANCELLED = 16;
  private static final int SALT_CANCEL_DELAY = 17;
  private static final int SALT_RETURNED = 20;
  private static final int SALT_RETURN_DELAY = 21;
  private static final int SALT_FULL_REFUND = 22;
  private static final int SALT_REFUND_SHARE = 23;
  private static final int SALT_CONTACT_DAY = 30;
  private static final int SALT_CONTACT_SECOND = 31;
  private static final int SALT_CONTACT_TYPE = 32;
  private static final int SALT_HANDLING_COST = 33;
  private static final int SALT_HANDLING_COST_MISSING = 34;
  private static final int SALT_INVOICED = 40;
  private static final int SALT_PAID = 41;
  private static final int SALT_PAY_DELAY = 42;
  private static final int SALT_WRITTEN_OFF = 43;
  // Salts 50-59 belong to the line-level rows (OrderLines).

  // Internal (not written) columns.
  static final String IDX = "idx";
  static final String ARCHETYPE = "archetype";
  private static final String FIRST_DAY = "first_day";
  private static final String LAST_DAY = "last_day";
  private static final String ORDER_COUNT = "order_count";
  private static final String SPEND_LEVEL = "spend_level";
  private static final String CONTACT_COUNT = "contact_count";
  static final String SEQ = "seq";
  static final String KIND = "kind";
  static final String SECONDS = "seconds";
  static final String CANCEL_SECONDS = "cancel_seconds";
  static final String CANCELLED = "cancelled";
  static final String AMOUNT_VALUE = "amount_value";
  private static final String DISCOUNT_VALUE = "discount_value";
  private static final String COST_VALUE = "cost_value";
  private static final String DISCOUNTED = "discounted";
  private static final String DISCOUNT_RATE = "discount_rate";
  private static final String MARGIN = "margin";
  private static final String DUE_DAY = "due_day";
  private static final String PAY_DAY = "pay_day";
  private static final String PAID = "paid";
  private static final String ROW_COUNT = "rows";
  static final int KIND_ORDER = 0;
  static final int KIND_CANCELLATION = 1;

  private final HashRandom random;
  private final LocalDate historyStart;
  /** Seconds from the history start to the end date's midnight: every event happens before it. */
  private final long endSeconds;

  private SyntheticDataGenerator(GeneratorOptions options) {
    this.random = new HashRandom(options.seed());
    this.historyStart = options.endDate().minusDays(HISTORY_DAYS);
    this.endSeconds = (long) HISTORY_DAYS * SECONDS_PER_DAY;
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
      counts.put(input.getKey(), write(spark, input.getValue(), input.getKey(), options));
    }
    return counts;
  }

  /** Number of partitions of the customer range; depends on nothing but the customer count. */
  static int partitions(long customers) {
    return (int) ((customers + CUSTOMERS_PER_PARTITION - 1) / CUSTOMERS_PER_PARTITION);
  }

  private Map<String, Dataset<Row>> inputs(SparkSession spark, GeneratorOptions options) {
    Dataset<Row> customers =
        customers(spark.range(0, options.customers(), 1, partitions(options.customers())).toDF());
    Dataset<Row> orderFacts = orderFacts(customers);
    OrderLines lines = new OrderLines(random, historyStart);
    Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
    inputs.put(ORDERS, options.lineLevel() ? lines.lines(orderFacts) : orders(orderFacts));
    inputs.put(RETURNS, returns(orderFacts));
    inputs.put(CONTACTS, contacts(customers));
    inputs.put(INVOICES, invoices(orderFacts));
    if (options.withBadRows()) {
      // Customer C0000001 alone, recomputed: hashing makes its rows identical to the full run's.
      Dataset<Row> firstOrder =
          orderFacts(customers(spark.range(0, 1, 1, 1).toDF())).where(col(SEQ).equalTo(0));
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
        timestamp(least(col(SECONDS).plus(SECONDS_PER_DAY), lit(endSeconds - 1))).as(RETURN_TS),
        money(col(AMOUNT_VALUE)).as(REFUND_AMOUNT));
  }

  /** One row per customer with its archetype and the parameters of its history. */
  private Dataset<Row> customers(Dataset<Row> range) {
    Column idx = col(IDX);
    Column archetype = col(ARCHETYPE);
    Column firstAgo =
        between(
            Archetype.param(archetype, a -> a.firstAgoMin),
            Archetype.param(archetype, a -> a.firstAgoMax),
            random.uniform(SALT_FIRST_DAY, idx));
    Column lastAgo =
        between(
            Archetype.param(archetype, a -> a.lastAgoMin),
            Archetype.param(archetype, a -> a.lastAgoMax),
            random.uniform(SALT_LAST_DAY, idx));
    Column ordersSigma = Archetype.param(archetype, a -> a.ordersSigma);
    Column orderCount =
        least(
            lit(MAX_ORDERS),
            greatest(
                lit(1),
                round(
                        Archetype.param(archetype, a -> a.orders)
                            .multiply(exp(ordersSigma.multiply(random.normal(SALT_ORDER_COUNT, idx)))))
                    .cast(DataTypes.IntegerType)));
    Column spendLevel =
        Archetype.param(archetype, a -> a.basket)
            .multiply(
                exp(
                    random
                        .normal(SALT_SPEND_LEVEL, idx)
                        .multiply(SPEND_SIGMA)
                        .minus(SPEND_SIGMA * SPEND_SIGMA / 2)));
    Column firstDay = lit(HISTORY_DAYS).minus(firstAgo);
    Dataset<Row> withProfile =
        range
            .select(col("id").as(IDX))
            .select(idx, Archetype.pick(random.uniform(SALT_ARCHETYPE, idx)).as(ARCHETYPE))
            .select(
                idx,
                archetype,
                firstDay.as(FIRST_DAY),
                least(lit(HISTORY_DAYS - 1), greatest(firstDay, lit(HISTORY_DAYS).minus(lastAgo)))
                    .as(LAST_DAY),
                orderCount.as(ORDER_COUNT),
                spendLevel.as(SPEND_LEVEL));
    Column contactCount =
        floor(
            Archetype.param(archetype, a -> a.contactsBase)
                .plus(
                    col(ORDER_COUNT)
                        .multiply(Archetype.param(archetype, a -> a.contactsPerOrder))
                        .multiply(random.uniform(SALT_CONTACT_COUNT, idx).plus(0.5)))
                .plus(random.uniform(SALT_CONTACT_COUNT_ROUNDING, idx)));
    return withProfile.select(
        col("*"), least(lit(MAX_CONTACTS), contactCount).cast(DataTypes.IntegerType).as(CONTACT_COUNT));
  }

  /** One row per order (cancelled or not) with typed values, before formatting. */
  private Dataset<Row> orderFacts(Dataset<Row> customers) {
    Column idx = col(IDX);
    Column seq = col(SEQ);
    Column archetype = col(ARCHETYPE);
    Column span = col(LAST_DAY).minus(col(FIRST_DAY)).plus(1);
    // Stratified over the active span, so the orders spread out from the first to the last day;
    // the last of several orders falls just before the last day, which sets the customer's recency.
    Column stratifiedDay =
        col(FIRST_DAY)
            .plus(
                floor(
                    span.multiply(seq.plus(random.uniform(SALT_ORDER_DAY, idx, seq)))
                        .divide(col(ORDER_COUNT))));
    Column lastOrderDay =
        col(LAST_DAY)
            .minus(
                floor(
                    least(span, lit(LAST_ORDER_JITTER_DAYS))
                        .multiply(random.uniform(SALT_ORDER_DAY, idx, seq))));
    Column day =
        when(col(ORDER_COUNT).gt(1).and(seq.equalTo(col(ORDER_COUNT).minus(1))), lastOrderDay)
            .otherwise(stratifiedDay);
    Column secondOfDay =
        lit(ORDER_HOUR_FROM * SECONDS_PER_HOUR)
            .plus(random.intBetween(SALT_ORDER_SECOND, 0, ORDER_HOURS * SECONDS_PER_HOUR - 1, idx, seq));
    Column seconds = day.cast(DataTypes.LongType).multiply(SECONDS_PER_DAY).plus(secondOfDay);
    Column amount =
        greatest(
                lit(MIN_ORDER_AMOUNT),
                col(SPEND_LEVEL)
                    .multiply(
                        exp(
                            random
                                .normal(SALT_ORDER_AMOUNT, idx, seq)
                                .multiply(ORDER_AMOUNT_SIGMA)
                                .minus(ORDER_AMOUNT_SIGMA * ORDER_AMOUNT_SIGMA / 2))))
            .cast(DECIMAL);
    Column discountRate =
        between(
            Archetype.param(archetype, a -> a.discountMin),
            Archetype.param(archetype, a -> a.discountMax),
            random.uniform(SALT_DISCOUNT_RATE, idx, seq));
    Column discounted =
        random.uniform(SALT_DISCOUNTED, idx, seq).lt(Archetype.param(archetype, a -> a.discountShare));
    Column margin = between(lit(MARGIN_MIN), lit(MARGIN_MAX), random.uniform(SALT_MARGIN, idx, seq));
    Column cancelSeconds =
        col(SECONDS)
            .plus(
                random.intBetween(
                    SALT_CANCEL_DELAY,
                    CANCEL_DELAY_HOURS_MIN * SECONDS_PER_HOUR,
                    CANCEL_DELAY_HOURS_MAX * SECONDS_PER_HOUR,
                    idx,
                    seq));
    // A cancellation that would fall after the end has not happened (yet).
    Column cancelled =
        random
            .uniform(SALT_CANCELLED, idx, seq)
            .lt(Archetype.param(archetype, a -> a.cancelRate))
            .and(col(CANCEL_SECONDS).lt(endSeconds));
    Column sequence =
        when(col(ORDER_COUNT).geq(1), sequence(lit(0), col(ORDER_COUNT).minus(1)));
    return customers
        .select(idx, archetype, col(FIRST_DAY), col(LAST_DAY), col(ORDER_COUNT), col(SPEND_LEVEL),
            explode(sequence).as(SEQ))
        .select(idx, archetype, seq, seconds.as(SECONDS), amount.as(AMOUNT_VALUE),
            discounted.as(DISCOUNTED), discountRate.as(DISCOUNT_RATE), margin.as(MARGIN))
        .select(
            idx,
            archetype,
            seq,
            col(SECONDS),
            col(AMOUNT_VALUE),
            when(
                    col(DISCOUNTED),
                    col(AMOUNT_VALUE)
                        .multiply(col(DISCOUNT_RATE))
                        .divide(lit(1.0).minus(col(DISCOUNT_RATE)))
                        .cast(DECIMAL))
                .otherwise(lit(0).cast(DECIMAL))
                .as(DISCOUNT_VALUE),
            col(AMOUNT_VALUE).multiply(lit(1.0).minus(col(MARGIN))).cast(DECIMAL).as(COST_VALUE),
            cancelSeconds.as(CANCEL_SECONDS))
        .select(col("*"), cancelled.as(CANCELLED));
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
            timestamp(when(cancellation, col(CANCEL_SECONDS)).otherwise(col(SECONDS))).as(ORDER_TS),
            money(when(cancellation, negate(col(AMOUNT_VALUE))).otherwise(col(AMOUNT_VALUE)))
                .as(AMOUNT),
            money(when(cancellation, lit(0).cast(DECIMAL)).otherwise(col(DISCOUNT_VALUE))).as(DISCOUNT),
            money(when(cancellation, negate(col(COST_VALUE))).otherwise(col(COST_VALUE)))
                .as(COST_OF_GOODS));
  }

  /** The returns input: some orders (many of problem customers) come back a few days later. */
  private Dataset<Row> returns(Dataset<Row> orderFacts) {
    Column idx = col(IDX);
    Column seq = col(SEQ);
    Column returned =
        not(col(CANCELLED))
            .and(
                random
                    .uniform(SALT_RETURNED, idx, seq)
                    .lt(Archetype.param(col(ARCHETYPE), a -> a.returnRate)));
    Column returnSeconds =
        col(SECONDS)
            .plus(
                random.intBetween(
                    SALT_RETURN_DELAY,
                    (long) RETURN_DELAY_DAYS_MIN * SECONDS_PER_DAY,
                    (long) RETURN_DELAY_DAYS_MAX * SECONDS_PER_DAY,
                    idx,
                    seq));
    Column refund =
        when(random.uniform(SALT_FULL_REFUND, idx, seq).lt(FULL_REFUND_SHARE), col(AMOUNT_VALUE))
            .otherwise(
                col(AMOUNT_VALUE)
                    .multiply(
                        between(
                            lit(PARTIAL_REFUND_MIN),
                            lit(PARTIAL_REFUND_MAX),
                            random.uniform(SALT_REFUND_SHARE, idx, seq)))
                    .cast(DECIMAL));
    Column number = eventNumber(idx, seq);
    return orderFacts
        .where(returned.and(returnSeconds.lt(endSeconds)))
        .select(
            prefixed(RETURN_PREFIX, number, EVENT_ID_DIGITS).as(RETURN_ID),
            prefixed(ORDER_PREFIX, number, EVENT_ID_DIGITS).as(ORDER_ID),
            customerId(idx).as(CUSTOMER_ID),
            timestamp(returnSeconds).as(RETURN_TS),
            money(refund).as(REFUND_AMOUNT));
  }

  /** The contacts input: service contacts spread over each customer's active time. */
  private Dataset<Row> contacts(Dataset<Row> customers) {
    Column idx = col(IDX);
    Column seq = col(SEQ);
    Column lastContactDay =
        least(col(LAST_DAY).plus(CONTACT_DAYS_AFTER_LAST_ORDER), lit(HISTORY_DAYS - 1));
    Column day =
        col(FIRST_DAY)
            .plus(
                floor(
                    lastContactDay
                        .minus(col(FIRST_DAY))
                        .plus(1)
                        .multiply(random.uniform(SALT_CONTACT_DAY, idx, seq))));
    Column seconds =
        day.cast(DataTypes.LongType)
            .multiply(SECONDS_PER_DAY)
            .plus(CONTACT_HOUR_FROM * SECONDS_PER_HOUR)
            .plus(random.intBetween(SALT_CONTACT_SECOND, 0, CONTACT_HOURS * SECONDS_PER_HOUR - 1, idx, seq));
    Column complaintShare = Archetype.param(col(ARCHETYPE), a -> a.complaintShare);
    Column typeDraw = random.uniform(SALT_CONTACT_TYPE, idx, seq);
    // Non-complaints split in fixed proportions, so only the complaint share differs by archetype.
    Column restDraw = typeDraw.minus(complaintShare).divide(lit(1.0).minus(complaintShare));
    Column type =
        when(typeDraw.lt(complaintShare), lit(COMPLAINT))
            .when(restDraw.lt(INQUIRY_SHARE_OF_REST), lit(INQUIRY))
            .when(restDraw.lt(INQUIRY_SHARE_OF_REST + TECHNICAL_SHARE_OF_REST), lit(TECHNICAL))
            .otherwise(lit(BILLING));
    Column typeCost =
        when(col(CONTACT_TYPE).equalTo(INQUIRY), lit(INQUIRY_COST))
            .when(col(CONTACT_TYPE).equalTo(COMPLAINT), lit(COMPLAINT_COST))
            .when(col(CONTACT_TYPE).equalTo(TECHNICAL), lit(TECHNICAL_COST))
            .otherwise(lit(BILLING_COST));
    Column cost =
        when(
            random.uniform(SALT_HANDLING_COST_MISSING, idx, seq).geq(MISSING_HANDLING_COST_SHARE),
            money(
                typeCost
                    .multiply(
                        between(
                            lit(COST_JITTER_MIN),
                            lit(COST_JITTER_MAX),
                            random.uniform(SALT_HANDLING_COST, idx, seq)))
                    .cast(DECIMAL)));
    Column sequence =
        when(col(CONTACT_COUNT).geq(1), sequence(lit(0), col(CONTACT_COUNT).minus(1)));
    return customers
        .select(idx, col(ARCHETYPE), col(FIRST_DAY), col(LAST_DAY), explode(sequence).as(SEQ))
        .select(
            col("*"),
            timestamp(seconds).as(CONTACT_TS),
            type.as(CONTACT_TYPE))
        .select(
            prefixed(CONTACT_PREFIX, eventNumber(idx, seq), EVENT_ID_DIGITS).as(CONTACT_ID),
            customerId(idx).as(CUSTOMER_ID),
            col(CONTACT_TS),
            col(CONTACT_TYPE),
            cost.as(HANDLING_COST));
  }

  /** The invoices input: some orders are paid by invoice, due 30 days later. */
  private Dataset<Row> invoices(Dataset<Row> orderFacts) {
    Column idx = col(IDX);
    Column seq = col(SEQ);
    Column archetype = col(ARCHETYPE);
    Column invoiced =
        not(col(CANCELLED)).and(random.uniform(SALT_INVOICED, idx, seq).lt(INVOICE_SHARE));
    Column dueDay = floor(col(SECONDS).divide(SECONDS_PER_DAY)).plus(PAYMENT_TERM_DAYS);
    Column payDay =
        col(DUE_DAY)
            .plus(
                floor(
                    between(
                        Archetype.param(archetype, a -> a.payDelayMin),
                        Archetype.param(archetype, a -> a.payDelayMax).plus(1),
                        random.uniform(SALT_PAY_DELAY, idx, seq))));
    // Day numbers count from the history start, so HISTORY_DAYS is the end date: like every event,
    // a payment happens before it, and an invoice due on or after it is still open.
    Column paid =
        random
            .uniform(SALT_PAID, idx, seq)
            .lt(Archetype.param(archetype, a -> a.paidShare))
            .and(col(DUE_DAY).lt(HISTORY_DAYS))
            .and(col(PAY_DAY).lt(HISTORY_DAYS));
    Column writtenOff =
        not(col(PAID))
            .and(col(DUE_DAY).plus(WRITE_OFF_AFTER_DAYS_OVERDUE).lt(HISTORY_DAYS))
            .and(
                random
                    .uniform(SALT_WRITTEN_OFF, idx, seq)
                    .lt(Archetype.param(archetype, a -> a.writeOffShare)));
    return orderFacts
        .where(invoiced)
        .select(idx, seq, archetype, col(AMOUNT_VALUE), dueDay.as(DUE_DAY))
        .select(col("*"), payDay.as(PAY_DAY))
        .select(col("*"), paid.as(PAID))
        .select(
            prefixed(INVOICE_PREFIX, eventNumber(idx, seq), EVENT_ID_DIGITS).as(INVOICE_ID),
            customerId(idx).as(CUSTOMER_ID),
            date(col(DUE_DAY)).as(DUE_DATE),
            when(col(PAID), date(col(PAY_DAY))).as(PAID_DATE),
            money(col(AMOUNT_VALUE)).as(AMOUNT),
            when(writtenOff, lit("1")).otherwise(lit("0")).as(WRITTEN_OFF));
  }

  /** The events of an order: the order itself, followed by its cancellation if it was cancelled. */
  static Column kinds() {
    return when(col(CANCELLED), array(lit(KIND_ORDER), lit(KIND_CANCELLATION)))
        .otherwise(array(lit(KIND_ORDER)));
  }

  /** {@code from + (to - from) * uniform}. */
  private static Column between(Column from, Column to, Column uniform) {
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

  private static Column money(Column decimal) {
    return decimal.cast(DataTypes.StringType);
  }

  /** {@code yyyy-MM-dd} of a day number, without going through the session time zone. */
  private Column date(Column day) {
    return date_add(lit(historyStart), day.cast(DataTypes.IntegerType)).cast(DataTypes.StringType);
  }

  /** {@code yyyy-MM-dd HH:mm:ss} (UTC wall clock) of seconds since the history start, time-zone free. */
  private Column timestamp(Column seconds) {
    Column secondOfDay = seconds.mod(SECONDS_PER_DAY);
    return concat(
        date(floor(seconds.divide(SECONDS_PER_DAY))),
        lit(" "),
        twoDigits(floor(secondOfDay.divide(SECONDS_PER_HOUR))),
        lit(":"),
        twoDigits(floor(secondOfDay.mod(SECONDS_PER_HOUR).divide(60))),
        lit(":"),
        twoDigits(secondOfDay.mod(60)));
  }

  private static Column twoDigits(Column number) {
    return lpad(number.cast(DataTypes.StringType), 2, "0");
  }

  /** Writes one input and returns its row count, observed while writing (no second pass over the data). */
  private static long write(SparkSession spark, Dataset<Row> data, String name, GeneratorOptions options) {
    Observation observation = new Observation();
    Dataset<Row> observed = data.observe(observation, count(lit(1)).as(ROW_COUNT));
    if (options.singleFile()) {
      Path temporary = new Path(options.outDir(), "_tmp_" + name);
      save(observed.coalesce(1), temporary, options);
      moveSinglePart(spark, temporary, new Path(options.outDir(), name + "." + options.format()));
    } else {
      save(observed, new Path(options.outDir(), name), options);
    }
    try {
      Object rows = observation.getAsJava().get(ROW_COUNT);
      return ((Number) Objects.requireNonNull(rows, "row count of " + name)).longValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the row count of " + name, e);
    }
  }

  private static void save(Dataset<Row> data, Path path, GeneratorOptions options) {
    data.write()
        .mode(SaveMode.Overwrite)
        .format(options.format())
        .option("header", "true")
        .save(path.toString());
  }

  private static void moveSinglePart(SparkSession spark, Path temporary, Path target) {
    try {
      FileSystem fs = temporary.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] parts = fs.listStatus(temporary, p -> p.getName().startsWith("part-"));
      if (parts.length != 1) {
        throw new IllegalStateException(
            "expected exactly one part file in " + temporary + ", found " + parts.length);
      }
      if (fs.exists(target)) {
        fs.delete(target, false);
      }
      if (!fs.rename(parts[0].getPath(), target)) {
        throw new IOException("could not move " + parts[0].getPath() + " to " + target);
      }
      fs.delete(temporary, true);
      // The local file system moves the part's .crc along; a single-file sample is just the data.
      if (fs instanceof ChecksumFileSystem) {
        ChecksumFileSystem checksummed = (ChecksumFileSystem) fs;
        checksummed.getRawFileSystem().delete(checksummed.getChecksumFile(target), false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + target, e);
    }
  }
}
