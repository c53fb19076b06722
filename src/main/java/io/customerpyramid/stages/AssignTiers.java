package io.customerpyramid.stages;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.pareto.ParetoRanking;
import io.customerpyramid.tiers.TierAssignment;
import io.customerpyramid.tiers.TierSummary;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Stage tiers: each ranked customer's tier, strategy and abandonment flag, and the tier summary. */
public final class AssignTiers {

  private AssignTiers() {}

  /**
   * The tiered customers and the summary per tier.
   *
   * @param customers cached and cut from the lineage
   * @param summary the tier_summary table, cached
   * @param summaryRows its rows, top tier first
   */
  public record Tiered(Dataset<Row> customers, Dataset<Row> summary, List<Row> summaryRows) {}

  /** The ranking's sorted cache is released once the tiers are cut from it. */
  public static Tiered run(ParetoRanking.Ranked ranked, JobConfig config, LineageCuts cuts, CachedFrames cached) {
    Dataset<Row> tiered;
    try {
      Optional<BigDecimal> abandonBelow =
          config.clv().abandonRequiresLowClv() ? Optional.of(config.clv().abandonMaxPredictedClv()) : Optional.empty();
      tiered = cuts.cut(TierAssignment.withTiers(ranked.customers(), config.tiers(), abandonBelow));
    } finally {
      ranked.release();
    }
    Dataset<Row> summary = cached.cache(TierSummary.build(tiered.sparkSession(), tiered));
    return new Tiered(tiered, summary, summary.collectAsList());
  }
}
