package io.customerpyramid.features;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Customer quality (seed 000): poor customers cost more than they bring (loss, bad debt, service
 * load, returns, price sensitivity, late payment), high-quality ones spend strongly, pay on time and
 * stay. Every reason that fired is listed.
 */
public final class QualityRating {

  public static final String HIGH = "high";
  public static final String STANDARD = "standard";
  public static final String POOR = "poor";

  /** Reasons that make a customer poor on their own. */
  public static final String NEGATIVE_CONTRIBUTION = "NEGATIVE_CONTRIBUTION";
  public static final String BAD_DEBT = "BAD_DEBT";
  /** Reasons that make a customer poor when enough of them fire together. */
  public static final String HIGH_SERVICE_COST = "HIGH_SERVICE_COST";
  public static final String HIGH_RETURN_RATE = "HIGH_RETURN_RATE";
  public static final String PRICE_SENSITIVE = "PRICE_SENSITIVE";
  public static final String LATE_PAYER = "LATE_PAYER";
  public static final String FREQUENT_COMPLAINER = "FREQUENT_COMPLAINER";
  /** Reasons for high quality. */
  public static final String STRONG_SPEND = "STRONG_SPEND";
  public static final String TIMELY_PAYER = "TIMELY_PAYER";
  public static final String LOYAL = "LOYAL";

  private QualityRating() {}

  private record Reason(String code, Column fired) {}

  /** Adds quality and quality_reasons (needs m_score and loyalty_stage). */
  public static Dataset<Row> withQuality(Dataset<Row> labelled, JobConfig.Quality q) {
    Column netRevenue = col(Columns.NET_REVENUE);
    Column serviceCost = col(Columns.SERVICE_COST);
    List<Reason> decisive =
        List.of(
            new Reason(NEGATIVE_CONTRIBUTION, col(Columns.CONTRIBUTION).lt(0)),
            new Reason(BAD_DEBT, col(Columns.BAD_DEBT).gt(0)));
    List<Reason> poor =
        List.of(
            new Reason(
                HIGH_SERVICE_COST,
                serviceCost.gt(0).and(serviceCost.gt(when(netRevenue.gt(0), netRevenue).otherwise(0.0).multiply(q.highServiceCostRatio())))),
            new Reason(HIGH_RETURN_RATE, col(Columns.RETURN_RATE).gt(q.highReturnRate())),
            new Reason(PRICE_SENSITIVE, col(Columns.DISCOUNT_RATE).gt(q.priceSensitiveDiscountRate())),
            new Reason(LATE_PAYER, col(Columns.LATE_PAYMENT_RATE).gt(q.latePayerRate())),
            new Reason(FREQUENT_COMPLAINER, col(Columns.COMPLAINT_COUNT).geq(q.frequentComplainerComplaints())));
    List<Reason> good =
        List.of(
            new Reason(STRONG_SPEND, col(Columns.M_SCORE).geq(q.strongSpendMinMonetaryScore())),
            new Reason(TIMELY_PAYER, col(Columns.LATE_PAYMENT_RATE).leq(q.timelyPayerMaxLateRate())),
            new Reason(LOYAL, col(Columns.LOYALTY_STAGE).equalTo(LoyaltyStages.LOYAL)));

    Column anyDecisive = countFired(decisive).gt(0);
    Column poorCount = countFired(poor);
    Column quality =
        when(anyDecisive.or(poorCount.geq(q.poorMinReasons())), lit(POOR))
            .when(
                poorCount.equalTo(0).and(col(Columns.CONTRIBUTION).gt(0)).and(countFired(good).geq(q.highMinReasons())),
                lit(HIGH))
            .otherwise(lit(STANDARD));
    Column[] codes =
        java.util.stream.Stream.of(decisive, poor, good)
            .flatMap(List::stream)
            .map(reason -> when(coalesce(reason.fired(), lit(false)), lit(reason.code())))
            .toArray(Column[]::new);
    return labelled
        .withColumn(Columns.QUALITY, quality)
        .withColumn(Columns.QUALITY_REASONS, array_compact(array(codes)));
  }

  /** How many of the reasons fired; a reason on a null value (e.g. no invoices) does not fire. */
  private static Column countFired(List<Reason> reasons) {
    return reasons.stream()
        .map(reason -> when(coalesce(reason.fired(), lit(false)), 1).otherwise(0))
        .reduce(Column::plus)
        .orElse(lit(0));
  }

  /** All reason codes, for documentation and tests. */
  public static List<String> allReasons() {
    return Arrays.asList(
        NEGATIVE_CONTRIBUTION, BAD_DEBT, HIGH_SERVICE_COST, HIGH_RETURN_RATE, PRICE_SENSITIVE, LATE_PAYER,
        FREQUENT_COMPLAINER, STRONG_SPEND, TIMELY_PAYER, LOYAL);
  }
}
