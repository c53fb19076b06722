package io.customerpyramid.stages;

import io.customerpyramid.pareto.ParetoHeadline;
import io.customerpyramid.pareto.ParetoRanking;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Stage pareto: the customers ranked by the Pareto measure, with running shares, and the run's Pareto headline. */
public final class RankCustomers {

  private RankCustomers() {}

  /** @param ranked its sorted cache is released by {@link AssignTiers} once the tiers are cut */
  public record Ranking(ParetoRanking.Ranked ranked, ParetoHeadline headline) {}

  public static Ranking run(Dataset<Row> segmented, String measure) {
    ParetoRanking.Ranked ranked = ParetoRanking.rank(segmented, measure);
    try {
      return new Ranking(ranked, ParetoHeadline.of(ranked, measure));
    } catch (RuntimeException e) {
      ranked.release();
      throw e;
    }
  }
}
