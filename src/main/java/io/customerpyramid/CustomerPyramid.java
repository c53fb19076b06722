package io.customerpyramid;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.pareto.ParetoRanking;
import io.customerpyramid.pipeline.Backfill;
import io.customerpyramid.pipeline.RunResult;
import io.customerpyramid.pipeline.SegmentationJob;
import io.customerpyramid.segmentation.KMeansSegmentation;
import io.customerpyramid.segmentation.KSweep;
import io.customerpyramid.stages.FeatureStages;
import io.customerpyramid.stages.LineageCuts;
import io.customerpyramid.tiers.TierAssignment;
import io.customerpyramid.tuning.TuneK;
import io.customerpyramid.tuning.ValidateClv;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The job as plain Java calls, for the command line, spark-shell, notebooks and other jobs: a run,
 * a backfill, a k sweep, and the stages as a library (customer features, segments and tiers, each a
 * {@code Dataset} in and a {@code Dataset} out, configured like a run).
 */
public final class CustomerPyramid {

  private CustomerPyramid() {}

  /**
   * One snapshot end to end ({@code jobs/segment run}): tables, model, report and manifest under the output root.
   *
   * @param savedModel a model saved by an earlier run ({@code _models/snapshot_date=S}): segments are scored with it, not refitted
   */
  public static RunResult run(SparkSession spark, JobConfig config, Optional<String> savedModel) {
    return new SegmentationJob(spark, config, savedModel).run();
  }

  /**
   * Historic snapshots, oldest first ({@code jobs/segment backfill}); stops at the first failure.
   *
   * @param config without {@code snapshot.date}: each snapshot sets its own
   * @param progress receives one line before and one after each snapshot
   */
  public static List<RunResult> backfill(
      SparkSession spark, JobConfig config, List<LocalDate> dates, Optional<String> savedModel, Consumer<String> progress) {
    return new Backfill(spark, config, savedModel).run(dates, progress);
  }

  /** The k sweep ({@code jobs/segment tune-k}): the k_sweep table, its chart and page under the output root. */
  /** validate-clv: BG/NBD fitted before S − {@code holdoutDays}, its predictions for the holdout against what happened. */
  public static ValidateClv.Outcome validateClv(SparkSession spark, JobConfig config, int holdoutDays, Consumer<String> progress) {
    return new ValidateClv(spark, config).run(holdoutDays, progress);
  }

  public static TuneK.Outcome tuneK(SparkSession spark, JobConfig config, List<Integer> ks, int seeds, Consumer<String> progress) {
    return new TuneK(spark, config).run(ks, seeds, progress);
  }

  /**
   * One row per customer with every feature, RFM score, loyalty stage and quality label, from the
   * configured inputs (cached). Its checkpoint files stay under {@code spark.checkpoint_dir}/api-*
   * for as long as the session uses the rows; delete them when done. Set {@code
   * spark.sql.legacy.timeParserPolicy=CORRECTED} on the session, as the job does, so that a text
   * timestamp that no configured pattern fits is a reject rather than a failed query.
   */
  public static Dataset<Row> customerFeatures(SparkSession spark, JobConfig config) {
    LineageCuts cuts = new LineageCuts(spark, config.spark().checkpointDir() + "/api-" + UUID.randomUUID());
    return FeatureStages.alone(spark, config).customers(cuts).customers();
  }

  /** The customers with segment_id (1 = highest mean contribution) from the configured clustering. */
  public static Dataset<Row> withSegments(Dataset<Row> customers, JobConfig config) {
    int partitions = customers.sparkSession().sparkContext().defaultParallelism();
    JobConfig.Segmentation segmentation = KSweep.chooseK(customers, config.segmentation(), config.tuning(), partitions, note -> {});
    return KMeansSegmentation.fit(customers, segmentation, partitions).withSegments(customers);
  }

  /** The customers with their Pareto rank and shares, tier, tier strategy and abandonment flag. */
  public static Dataset<Row> withTiers(Dataset<Row> customers, JobConfig config) {
    ParetoRanking.Ranked ranked = ParetoRanking.rank(customers, config.pareto().measure());
    return TierAssignment.withTiers(ranked.customers(), config.tiers());
  }
}
