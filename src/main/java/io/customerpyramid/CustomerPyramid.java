package io.customerpyramid;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.pareto.ParetoRanking;
import io.customerpyramid.pipeline.LineageCuts;
import io.customerpyramid.pipeline.SegmentationJob;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.segmentation.KMeansSegmentation;
import io.customerpyramid.tiers.TierAssignment;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The job's stages as a library for spark-shell, notebooks and other jobs: customer features,
 * segments and tiers, each a {@code Dataset} in and a {@code Dataset} out, configured like a run.
 */
public final class CustomerPyramid {

  private CustomerPyramid() {}

  /**
   * One row per customer with every feature, RFM score, loyalty stage and quality label, from the
   * configured inputs (cached). Its checkpoint files stay under {@code spark.checkpoint_dir}/api-*
   * for as long as the session uses the rows; delete them when done. Set {@code
   * spark.sql.legacy.timeParserPolicy=CORRECTED} on the session, as the job does, so that a text
   * timestamp that no configured pattern fits is a reject rather than a failed query.
   */
  public static Dataset<Row> customerFeatures(SparkSession spark, JobConfig config) {
    LineageCuts cuts = new LineageCuts(spark, config.spark().checkpointDir() + "/api-" + UUID.randomUUID());
    return SegmentationJob.featuresOnly(spark, config).customerFeatures(cuts).customers();
  }

  /** The customers with segment_id (1 = highest mean contribution) from the configured clustering. */
  public static Dataset<Row> withSegments(Dataset<Row> customers, JobConfig config) {
    int partitions = customers.sparkSession().sparkContext().defaultParallelism();
    KMeansSegmentation.Result fitted = KMeansSegmentation.fit(customers, config.segmentation(), partitions);
    return customers.join(fitted.assignments(), new String[] {Columns.CUSTOMER_ID}, "inner");
  }

  /** The customers with their Pareto rank and shares, tier, tier strategy and abandonment flag. */
  public static Dataset<Row> withTiers(Dataset<Row> customers, JobConfig config) {
    ParetoRanking.Ranked ranked = ParetoRanking.rank(customers, config.pareto().measure());
    return TierAssignment.withTiers(ranked.customers(), config.tiers());
  }
}
