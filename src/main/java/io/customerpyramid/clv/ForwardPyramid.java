package io.customerpyramid.clv;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.features.LoyaltyStages;
import io.customerpyramid.pareto.ParetoRanking;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.tiers.TierAssignment;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * The pyramid of tomorrow: customers ranked by predicted CLV and cut into tiers with today's rule
 * and thresholds, beside today's tier; the matrix from today's tier to the forward tier; and the
 * development targets of seeds 001 and 002 (potential high-quality customers): a forward tier above
 * today's, likely alive, not loss-making, each with its reason.
 */
public final class ForwardPyramid {

  private static final int SHARE_DIGITS = 8;

  private ForwardPyramid() {}

  /** The columns of customer_clv taken from the tiered customers, in the table's order. */
  private static final String[] TODAY_COLUMNS = {
    Columns.CUSTOMER_ID, Columns.TIER, Columns.TIER_RANK, Columns.LOYALTY_STAGE, Columns.SEGMENT_ID, Columns.CONTRIBUTION,
    Columns.REPEAT_PURCHASES, Columns.T_X, Columns.CUSTOMER_AGE, Columns.MEAN_REPEAT_VALUE, Columns.P_ALIVE,
    Columns.EXPECTED_PURCHASES, Columns.EXPECTED_ORDER_VALUE, Columns.MARGIN_RATE, Columns.PREDICTED_CLV
  };

  /**
   * The customers' customer_clv columns ranked by predicted CLV (the Pareto ranking's columns added). The
   * ranking's sorted cache is released by the caller once {@link #customerClv}'s rows are cut.
   */
  public static ParetoRanking.Ranked rank(Dataset<Row> tiered) {
    Column[] columns = java.util.Arrays.stream(TODAY_COLUMNS).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    return ParetoRanking.rank(tiered.select(columns), Columns.PREDICTED_CLV);
  }

  /**
   * The customer_clv table: each customer's BTYD summary, predictions, today's tier and the forward tier
   * (its rank by predicted CLV cut with today's rule), and whether it is a development target and why.
   *
   * @param ranked {@link #rank}'s result
   */
  public static Dataset<Row> customerClv(ParetoRanking.Ranked ranked, JobConfig.Tiers tiers, JobConfig.Clv config) {
    Column tier =
        TierAssignment.tierOf(
            col(Columns.PARETO_MEASURE), col(Columns.CUMULATIVE_SHARE_BEFORE), col(Columns.CUSTOMER_PERCENTILE), tiers);
    Dataset<Row> forward =
        ranked.customers()
            .withColumn(Columns.FORWARD_RANK, col(Columns.PARETO_RANK))
            .withColumn(Columns.FORWARD_CUMULATIVE_SHARE, round(col(Columns.CUMULATIVE_SHARE), SHARE_DIGITS))
            .withColumn(Columns.FORWARD_TIER, tier)
            .withColumn(Columns.FORWARD_TIER_RANK, TierAssignment.rankOf(col(Columns.FORWARD_TIER)));
    // Likely alive: P(alive) at the threshold and not lapsed (P(alive) is 1 for anyone with one purchase day,
    // however long ago; the loyalty stage then decides by the day count).
    Column isTarget =
        col(Columns.FORWARD_TIER_RANK).lt(col(Columns.TIER_RANK))
            .and(coalesce(col(Columns.P_ALIVE).geq(config.aliveThreshold()), lit(false)))
            .and(col(Columns.LOYALTY_STAGE).notEqual(LoyaltyStages.LAPSED))
            .and(col(Columns.CONTRIBUTION).geq(0))
            .and(col(Columns.PREDICTED_CLV).gt(0));
    Column reason =
        format_string(
            "forward %s above today's %s: P(alive) %.2f, %.1f purchases expected in %d %ss, predicted CLV %s",
            col(Columns.FORWARD_TIER), col(Columns.TIER), col(Columns.P_ALIVE), col(Columns.EXPECTED_PURCHASES),
            lit(config.horizon()), lit(config.timeUnit()), col(Columns.PREDICTED_CLV).cast(DataTypes.StringType));
    java.util.List<Column> columns = new java.util.ArrayList<>();
    for (String name : TODAY_COLUMNS) {
      columns.add(col(name));
    }
    columns.add(col(Columns.FORWARD_RANK));
    columns.add(col(Columns.FORWARD_CUMULATIVE_SHARE));
    columns.add(col(Columns.FORWARD_TIER));
    columns.add(col(Columns.FORWARD_TIER_RANK));
    columns.add(isTarget.as(Columns.IS_DEVELOPMENT_TARGET));
    columns.add(org.apache.spark.sql.functions.when(isTarget, reason).as(Columns.TARGET_REASON));
    return forward.select(columns.toArray(Column[]::new));
  }

  /** The clv_targets table: the development targets of customer_clv, best forward rank first within the file. */
  public static Dataset<Row> targets(Dataset<Row> customerClv) {
    return customerClv
        .where(col(Columns.IS_DEVELOPMENT_TARGET))
        .select(
            col(Columns.CUSTOMER_ID),
            col(Columns.TIER),
            col(Columns.FORWARD_TIER),
            col(Columns.FORWARD_RANK),
            col(Columns.LOYALTY_STAGE),
            col(Columns.SEGMENT_ID),
            col(Columns.P_ALIVE),
            col(Columns.EXPECTED_PURCHASES),
            col(Columns.EXPECTED_ORDER_VALUE),
            col(Columns.PREDICTED_CLV),
            col(Columns.CONTRIBUTION),
            col(Columns.TARGET_REASON));
  }

  /**
   * The clv_tier_matrix table: per today's tier and forward tier, customers, the share of today's
   * tier, today's contribution, predicted CLV and development targets.
   */
  public static Dataset<Row> matrix(Dataset<Row> customerClv) {
    Dataset<Row> cells =
        customerClv
            .groupBy(
                col(Columns.TIER).as(Columns.FROM_TIER),
                col(Columns.TIER_RANK).as(Columns.FROM_RANK),
                col(Columns.FORWARD_TIER).as(Columns.TO_TIER),
                col(Columns.FORWARD_TIER_RANK).as(Columns.TO_RANK))
            .agg(
                count(lit(1)).as(Columns.CUSTOMERS),
                Money.storedSum(col(Columns.CONTRIBUTION)).as(Columns.CONTRIBUTION),
                Money.storedSum(col(Columns.PREDICTED_CLV)).as(Columns.PREDICTED_CLV),
                count_if(col(Columns.IS_DEVELOPMENT_TARGET)).as(DEVELOPMENT_TARGETS));
    // At most 16 rows: a window over them all is cheap.
    Column fromCustomers = sum(col(Columns.CUSTOMERS)).over(Window.partitionBy(col(Columns.FROM_TIER)));
    return cells
        .withColumn(Columns.FROM_SHARE, round(col(Columns.CUSTOMERS).divide(fromCustomers), SHARE_DIGITS))
        .select(
            col(Columns.FROM_TIER), col(Columns.TO_TIER), col(Columns.FROM_RANK), col(Columns.TO_RANK), col(Columns.CUSTOMERS),
            col(Columns.FROM_SHARE), col(Columns.CONTRIBUTION), col(Columns.PREDICTED_CLV), col(DEVELOPMENT_TARGETS))
        .orderBy(col(Columns.FROM_RANK), col(Columns.TO_RANK));
  }

  /** Development targets in a matrix cell. */
  public static final String DEVELOPMENT_TARGETS = "development_targets";
}
