package io.customerpyramid.generate;

import static io.customerpyramid.generate.SyntheticDataGenerator.AMOUNT_VALUE;
import static io.customerpyramid.generate.SyntheticDataGenerator.ARCHETYPE;
import static io.customerpyramid.generate.SyntheticDataGenerator.CANCELLED;
import static io.customerpyramid.generate.SyntheticDataGenerator.CANCEL_SECONDS;
import static io.customerpyramid.generate.SyntheticDataGenerator.CONTACT_COUNT;
import static io.customerpyramid.generate.SyntheticDataGenerator.COST_VALUE;
import static io.customerpyramid.generate.SyntheticDataGenerator.DECIMAL;
import static io.customerpyramid.generate.SyntheticDataGenerator.DISCOUNT_VALUE;
import static io.customerpyramid.generate.SyntheticDataGenerator.FIRST_DAY;
import static io.customerpyramid.generate.SyntheticDataGenerator.HISTORY_DAYS;
import static io.customerpyramid.generate.SyntheticDataGenerator.IDX;
import static io.customerpyramid.generate.SyntheticDataGenerator.LAST_DAY;
import static io.customerpyramid.generate.SyntheticDataGenerator.RESERVED_SLOT;
import static io.customerpyramid.generate.SyntheticDataGenerator.SECONDS;
import static io.customerpyramid.generate.SyntheticDataGenerator.SECONDS_PER_DAY;
import static io.customerpyramid.generate.SyntheticDataGenerator.SECONDS_PER_HOUR;
import static io.customerpyramid.generate.SyntheticDataGenerator.SEQ;
import static io.customerpyramid.generate.SyntheticDataGenerator.between;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** The typed history behind the inputs: one row per customer (archetype, active span, order and contact counts) and one per order. */
final class CustomerHistory {

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
  private static final int MAX_ORDERS = (int) RESERVED_SLOT;
  private static final int MAX_CONTACTS = (int) RESERVED_SLOT;
  // Every salt is used once across the package: 1-17 here, 20-43 in ServiceEvents, 50-59 in OrderLines.
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
  private static final String ORDER_COUNT = "order_count";
  private static final String SPEND_LEVEL = "spend_level";
  private static final String DISCOUNTED = "discounted";
  private static final String DISCOUNT_RATE = "discount_rate";
  private static final String MARGIN = "margin";

  private final HashRandom random;
  /** Seconds from the history start to the end date's midnight: every event happens before it. */
  private final long endSeconds;

  CustomerHistory(HashRandom random, long endSeconds) {
    this.random = random;
    this.endSeconds = endSeconds;
  }

  /** One row per customer with its archetype and the parameters of its history. */
  Dataset<Row> customers(Dataset<Row> range) {
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
  Dataset<Row> orderFacts(Dataset<Row> customers) {
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
}
