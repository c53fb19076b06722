package io.customerpyramid.tiers;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.features.QualityRating;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Shares;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Cuts the Pareto ranking into the pyramid. Cumulative-share mode: VIP is the smallest set of top
 * customers producing at least the first threshold of the positive measure (a customer is in it when
 * the customers above it produce less), Major up to the second, Ordinary up to the third. Rank
 * percentile mode: by rank / customers. Either way a customer whose measure is not positive is Small.
 */
public final class TierAssignment {

  private TierAssignment() {}

  /** Adds tier, tier_rank, tier_strategy and abandonment_candidate (needs the Pareto and quality columns). */
  public static Dataset<Row> withTiers(Dataset<Row> ranked, JobConfig.Tiers tiers) {
    return withTiers(ranked, tiers, Optional.empty());
  }

  /**
   * The same; with {@code maxPredictedClv}, an abandonment candidate must also have a predicted CLV
   * (the predicted_clv column) at most that amount.
   */
  public static Dataset<Row> withTiers(Dataset<Row> ranked, JobConfig.Tiers tiers, Optional<BigDecimal> maxPredictedClv) {
    Column tierColumn = col(Columns.TIER);
    Column abandon =
        tierColumn
            .equalTo(Tier.SMALL.label())
            .and(col(Columns.CONTRIBUTION).lt(0))
            .and(col(Columns.QUALITY).equalTo(QualityRating.POOR));
    if (maxPredictedClv.isPresent()) {
      abandon = abandon.and(coalesce(col(Columns.PREDICTED_CLV).leq(lit(maxPredictedClv.get())), lit(true)));
    }
    return ranked
        .withColumn(Columns.TIER, tierOf(col(Columns.PARETO_MEASURE), col(Columns.CUMULATIVE_SHARE_BEFORE), col(Columns.CUSTOMER_PERCENTILE), tiers))
        .withColumn(Columns.TIER_RANK, rankOf(tierColumn))
        .withColumn(Columns.TIER_STRATEGY, strategyOf(tierColumn))
        .withColumn(Columns.ABANDONMENT_CANDIDATE, abandon);
  }

  /**
   * The tier label of a ranked row: Small for a measure that is not positive, otherwise by the
   * cumulative share before it or by its percentile, as the mode says.
   */
  public static Column tierOf(Column measure, Column shareBefore, Column percentile, JobConfig.Tiers tiers) {
    List<Double> t = tiers.thresholds();
    Column position = tiers.mode() == JobConfig.TierMode.CUMULATIVE_SHARE ? shareBefore : percentile;
    Column nonPositive = measure.isNull().or(measure.leq(0));
    return when(nonPositive, lit(Tier.SMALL.label()))
        .when(below(position, t.get(0), tiers.mode()), lit(Tier.VIP.label()))
        .when(below(position, t.get(1), tiers.mode()), lit(Tier.MAJOR.label()))
        .when(below(position, t.get(2), tiers.mode()), lit(Tier.ORDINARY.label()))
        .otherwise(lit(Tier.SMALL.label()));
  }

  /** 1 (VIP) to 4 (Small) of a tier label column. */
  public static Column rankOf(Column tier) {
    Column rank = lit(Tier.SMALL.rank());
    for (Tier level : List.of(Tier.ORDINARY, Tier.MAJOR, Tier.VIP)) {
      rank = when(tier.equalTo(level.label()), lit(level.rank())).otherwise(rank);
    }
    return rank;
  }

  private static Column strategyOf(Column tier) {
    Column strategy = lit(Tier.SMALL.strategy());
    for (Tier level : List.of(Tier.ORDINARY, Tier.MAJOR, Tier.VIP)) {
      strategy = when(tier.equalTo(level.label()), lit(level.strategy())).otherwise(strategy);
    }
    return strategy;
  }

  /**
   * Cumulative share: the customers above produce less than the threshold. Rank percentile: the
   * customer is within the top fraction. Both tolerate drift in the last bits of a running sum.
   */
  private static Column below(Column position, double threshold, JobConfig.TierMode mode) {
    return mode == JobConfig.TierMode.CUMULATIVE_SHARE
        ? position.lt(threshold - Shares.TOLERANCE)
        : position.leq(threshold + Shares.TOLERANCE);
  }
}
