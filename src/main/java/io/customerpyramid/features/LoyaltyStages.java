package io.customerpyramid.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
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
    Column recency = col(Columns.RECENCY_DAYS);
    Column tenure = col(Columns.TENURE_DAYS);
    Column stage =
        when(recency.isNull().or(recency.gt(loyalty.lapsedAfterDays())), lit(LAPSED))
            .when(tenure.leq(loyalty.newMaxTenureDays()), lit(NEW))
            .when(
                col(Columns.FREQUENCY).geq(loyalty.loyalMinOrders()).and(tenure.geq(loyalty.loyalMinTenureDays())),
                lit(LOYAL))
            .otherwise(lit(REGULAR));
    return features.withColumn(Columns.LOYALTY_STAGE, stage);
  }
}
