package io.customerpyramid.tiers;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The tier_summary table: one row per tier (all four, also when empty) with counts, sums, shares and averages. */
public final class TierSummary {

  public static final String MEASURE_SHARE = "measure_share";
  public static final String ABANDONMENT_CANDIDATES = "abandonment_candidates";
  public static final String AVG_REVENUE = "avg_revenue";
  public static final String AVG_CONTRIBUTION = "avg_contribution";
  public static final String AVG_FREQUENCY = "avg_frequency";
  public static final String AVG_RECENCY_DAYS = "avg_recency_days";

  private static final StructType TIERS_SCHEMA =
      new StructType()
          .add(Columns.TIER, DataTypes.StringType, false)
          .add(Columns.TIER_RANK, DataTypes.IntegerType, false)
          .add(Columns.TIER_STRATEGY, DataTypes.StringType, false);

  private TierSummary() {}

  /** @param tiered one row per customer with tier, pareto_measure and the key figures */
  public static Dataset<Row> build(SparkSession spark, Dataset<Row> tiered) {
    Column positive = greatest(col(Columns.PARETO_MEASURE), lit(java.math.BigDecimal.ZERO));
    Dataset<Row> perTier =
        tiered
            .groupBy(Columns.TIER)
            .agg(
                count(lit(1)).as(Columns.CUSTOMERS),
                Money.storedSum(col(Columns.REVENUE)).as(Columns.REVENUE),
                Money.storedSum(col(Columns.NET_REVENUE)).as(Columns.NET_REVENUE),
                Money.storedSum(col(Columns.CONTRIBUTION)).as(Columns.CONTRIBUTION),
                Money.storedSum(positive).as("positive_measure"),
                avg(Columns.FREQUENCY).as(AVG_FREQUENCY),
                avg(Columns.RECENCY_DAYS).as(AVG_RECENCY_DAYS),
                count_if(col(Columns.ABANDONMENT_CANDIDATE)).as(ABANDONMENT_CANDIDATES));
    List<Row> tiers = Arrays.stream(Tier.values()).map(t -> RowFactory.create(t.label(), t.rank(), t.strategy())).toList();
    Dataset<Row> all =
        spark.createDataFrame(tiers, TIERS_SCHEMA).join(functions.broadcast(perTier), new String[] {Columns.TIER}, "left");
    Column customers = coalesce(col(Columns.CUSTOMERS), lit(0L));
    Dataset<Row> totals =
        perTier.agg(
            sum(Columns.CUSTOMERS).as("customers_total"),
            Money.storedSum(col(Columns.REVENUE)).as("revenue_total"),
            Money.storedSum(col(Columns.CONTRIBUTION)).as("contribution_total"),
            Money.storedSum(col("positive_measure")).as("positive_measure_total"));
    return all.crossJoin(functions.broadcast(totals))
        .select(
            col(Columns.TIER),
            col(Columns.TIER_RANK),
            customers.as(Columns.CUSTOMERS),
            share(customers, col("customers_total")).as(Columns.CUSTOMER_SHARE),
            money(col(Columns.REVENUE)).as(Columns.REVENUE),
            share(col(Columns.REVENUE), col("revenue_total")).as(Columns.REVENUE_SHARE),
            money(col(Columns.NET_REVENUE)).as(Columns.NET_REVENUE),
            money(col(Columns.CONTRIBUTION)).as(Columns.CONTRIBUTION),
            share(col(Columns.CONTRIBUTION), col("contribution_total")).as(Columns.CONTRIBUTION_SHARE),
            share(col("positive_measure"), col("positive_measure_total")).as(MEASURE_SHARE),
            money(when(customers.gt(0), col(Columns.REVENUE).divide(customers.cast(Money.COUNT)))).as(AVG_REVENUE),
            money(when(customers.gt(0), col(Columns.CONTRIBUTION).divide(customers.cast(Money.COUNT)))).as(AVG_CONTRIBUTION),
            round(col(AVG_FREQUENCY), 4).as(AVG_FREQUENCY),
            round(col(AVG_RECENCY_DAYS), 2).as(AVG_RECENCY_DAYS),
            coalesce(col(ABANDONMENT_CANDIDATES), lit(0L)).as(ABANDONMENT_CANDIDATES),
            col(Columns.TIER_STRATEGY))
        .orderBy(Columns.TIER_RANK);
  }

  private static Column share(Column part, Column total) {
    return round(when(total.notEqual(0), coalesce(part, lit(0)).divide(total).cast(DataTypes.DoubleType)).otherwise(0.0), 6);
  }

  private static Column money(Column value) {
    return coalesce(Money.stored(value), Money.stored(lit(java.math.BigDecimal.ZERO)));
  }
}
