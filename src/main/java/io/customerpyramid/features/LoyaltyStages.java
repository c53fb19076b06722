package io.customerpyramid.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import java.util.OptionalDouble;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Loyalty stage (seed 003): lapsed, then new, then loyal, else regular; the first that holds wins. */
public final class LoyaltyStages {

  public static final String LAPSED = "lapsed";
  public static final String NEW = "new";
  public static final String LOYAL = "loyal";
  public static final String REGULAR = "regular";

  private LoyaltyStages() {}

  /** Adds loyalty_stage. A customer without any positive order is lapsed. */
  public static Dataset<Row> withStage(Dataset<Row> features, JobConfig.Loyalty loyalty) {
    return withStage(features, loyalty, OptionalDouble.empty());
  }

  /**
   * The same; with {@code lapsedBelowPAlive}, a customer with a repeat purchase is lapsed when its P(alive)
   * (the p_alive column) is below it, not by the day count: a frequent buyer is then lapsed sooner than an
   * occasional one. A customer who bought on one day only keeps the day count: BG/NBD gives them
   * P(alive) = 1 whatever their age (it lets customers drop out only after a repeat purchase).
   */
  public static Dataset<Row> withStage(Dataset<Row> features, JobConfig.Loyalty loyalty, OptionalDouble lapsedBelowPAlive) {
    Column recency = col(Columns.RECENCY_DAYS);
    Column tenure = col(Columns.TENURE_DAYS);
    Column byDays = recency.isNull().or(recency.gt(loyalty.lapsedAfterDays()));
    Column lapsed =
        lapsedBelowPAlive.isPresent()
            ? when(col(Columns.REPEAT_PURCHASES).gt(0), col(Columns.P_ALIVE).lt(lapsedBelowPAlive.getAsDouble()))
                .otherwise(byDays)
            : byDays;
    Column stage =
        when(lapsed, lit(LAPSED))
            .when(tenure.leq(loyalty.newMaxTenureDays()), lit(NEW))
            .when(
                col(Columns.FREQUENCY).geq(loyalty.loyalMinOrders()).and(tenure.geq(loyalty.loyalMinTenureDays())),
                lit(LOYAL))
            .otherwise(lit(REGULAR));
    return features.withColumn(Columns.LOYALTY_STAGE, stage);
  }
}
