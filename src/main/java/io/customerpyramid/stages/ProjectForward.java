package io.customerpyramid.stages;

import io.customerpyramid.clv.ClvModel;
import io.customerpyramid.clv.ClvSummary;
import io.customerpyramid.clv.ForwardPyramid;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.pareto.ParetoRanking;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Stage forward (clv.enabled): the forward pyramid by predicted CLV, its matrix from today's tiers, and the development targets. */
public final class ProjectForward {

  private ProjectForward() {}

  /**
   * @param customerClv the customer_clv table, cut from the lineage
   * @param matrix clv_tier_matrix, cached (at most 16 rows)
   * @param summary what the run summary, the manifest and the report say of it
   */
  public record Forward(ClvModel model, Dataset<Row> customerClv, Dataset<Row> matrix, ClvSummary summary) {

    public Dataset<Row> targets() {
      return ForwardPyramid.targets(customerClv);
    }
  }

  public static Forward run(Dataset<Row> tiered, ClvModel model, JobConfig config, LineageCuts cuts, CachedFrames cached) {
    ParetoRanking.Ranked ranked = ForwardPyramid.rank(tiered);
    Dataset<Row> customerClv;
    try {
      customerClv = cuts.cut(ForwardPyramid.customerClv(ranked, config.tiers(), config.clv()));
    } finally {
      ranked.release();
    }
    Dataset<Row> matrix = cached.cache(ForwardPyramid.matrix(customerClv));
    return new Forward(model, customerClv, matrix, ClvSummary.of(model, matrix.collectAsList(), config));
  }
}
