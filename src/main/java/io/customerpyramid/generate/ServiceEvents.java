package io.customerpyramid.generate;

import static io.customerpyramid.generate.SyntheticDataGenerator.AMOUNT;
import static io.customerpyramid.generate.SyntheticDataGenerator.AMOUNT_VALUE;
import static io.customerpyramid.generate.SyntheticDataGenerator.ARCHETYPE;
import static io.customerpyramid.generate.SyntheticDataGenerator.BILLING;
import static io.customerpyramid.generate.SyntheticDataGenerator.CANCELLED;
import static io.customerpyramid.generate.SyntheticDataGenerator.COMPLAINT;
import static io.customerpyramid.generate.SyntheticDataGenerator.CONTACT_COUNT;
import static io.customerpyramid.generate.SyntheticDataGenerator.CONTACT_ID;
import static io.customerpyramid.generate.SyntheticDataGenerator.CONTACT_PREFIX;
import static io.customerpyramid.generate.SyntheticDataGenerator.CONTACT_TS;
import static io.customerpyramid.generate.SyntheticDataGenerator.CONTACT_TYPE;
import static io.customerpyramid.generate.SyntheticDataGenerator.CUSTOMER_ID;
import static io.customerpyramid.generate.SyntheticDataGenerator.DECIMAL;
import static io.customerpyramid.generate.SyntheticDataGenerator.DUE_DATE;
import static io.customerpyramid.generate.SyntheticDataGenerator.EVENT_ID_DIGITS;
import static io.customerpyramid.generate.SyntheticDataGenerator.FIRST_DAY;
import static io.customerpyramid.generate.SyntheticDataGenerator.HANDLING_COST;
import static io.customerpyramid.generate.SyntheticDataGenerator.HISTORY_DAYS;
import static io.customerpyramid.generate.SyntheticDataGenerator.IDX;
import static io.customerpyramid.generate.SyntheticDataGenerator.INQUIRY;
import static io.customerpyramid.generate.SyntheticDataGenerator.INVOICE_ID;
import static io.customerpyramid.generate.SyntheticDataGenerator.INVOICE_PREFIX;
import static io.customerpyramid.generate.SyntheticDataGenerator.LAST_DAY;
import static io.customerpyramid.generate.SyntheticDataGenerator.ORDER_ID;
import static io.customerpyramid.generate.SyntheticDataGenerator.ORDER_PREFIX;
import static io.customerpyramid.generate.SyntheticDataGenerator.PAID_DATE;
import static io.customerpyramid.generate.SyntheticDataGenerator.REFUND_AMOUNT;
import static io.customerpyramid.generate.SyntheticDataGenerator.RETURN_ID;
import static io.customerpyramid.generate.SyntheticDataGenerator.RETURN_PREFIX;
import static io.customerpyramid.generate.SyntheticDataGenerator.RETURN_TS;
import static io.customerpyramid.generate.SyntheticDataGenerator.SECONDS;
import static io.customerpyramid.generate.SyntheticDataGenerator.SECONDS_PER_DAY;
import static io.customerpyramid.generate.SyntheticDataGenerator.SECONDS_PER_HOUR;
import static io.customerpyramid.generate.SyntheticDataGenerator.SEQ;
import static io.customerpyramid.generate.SyntheticDataGenerator.TECHNICAL;
import static io.customerpyramid.generate.SyntheticDataGenerator.WRITTEN_OFF;
import static io.customerpyramid.generate.SyntheticDataGenerator.between;
import static io.customerpyramid.generate.SyntheticDataGenerator.customerId;
import static io.customerpyramid.generate.SyntheticDataGenerator.eventNumber;
import static io.customerpyramid.generate.SyntheticDataGenerator.prefixed;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** The returns, contacts and invoices inputs, drawn from the customers and their orders. */
final class ServiceEvents {

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
  private static final String DUE_DAY = "due_day";
  private static final String PAY_DAY = "pay_day";
  private static final String PAID = "paid";

  private final HashRandom random;
  private final EventText text;
  /** Seconds from the history start to the end date's midnight: every event happens before it. */
  private final long endSeconds;

  ServiceEvents(HashRandom random, EventText text, long endSeconds) {
    this.random = random;
    this.text = text;
    this.endSeconds = endSeconds;
  }

  /** The returns input: some orders (many of problem customers) come back a few days later. */
  Dataset<Row> returns(Dataset<Row> orderFacts) {
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
            text.timestamp(returnSeconds).as(RETURN_TS),
            EventText.money(refund).as(REFUND_AMOUNT));
  }

  /** The contacts input: service contacts spread over each customer's active time. */
  Dataset<Row> contacts(Dataset<Row> customers) {
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
            EventText.money(
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
            text.timestamp(seconds).as(CONTACT_TS),
            type.as(CONTACT_TYPE))
        .select(
            prefixed(CONTACT_PREFIX, eventNumber(idx, seq), EVENT_ID_DIGITS).as(CONTACT_ID),
            customerId(idx).as(CUSTOMER_ID),
            col(CONTACT_TS),
            col(CONTACT_TYPE),
            cost.as(HANDLING_COST));
  }

  /** The invoices input: some orders are paid by invoice, due 30 days later. */
  Dataset<Row> invoices(Dataset<Row> orderFacts) {
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
            text.date(col(DUE_DAY)).as(DUE_DATE),
            when(col(PAID), text.date(col(PAY_DAY))).as(PAID_DATE),
            EventText.money(col(AMOUNT_VALUE)).as(AMOUNT),
            when(writtenOff, lit("1")).otherwise(lit("0")).as(WRITTEN_OFF));
  }
}
