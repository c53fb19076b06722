package io.customerpyramid.tuning;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.output.TableWriter;
import io.customerpyramid.schema.Tables;
import io.customerpyramid.pipeline.LineageCuts;
import io.customerpyramid.pipeline.SegmentationJob;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * tune-k end to end: ingest and features once (the run's own stages), the k sweep, then the
 * k_sweep table, the chart and the HTML page under the output root.
 */
public final class TuneK {

  private final SparkSession spark;
  private final JobConfig config;

  public TuneK(SparkSession spark, JobConfig config) {
    this.spark = spark;
    this.config = config;
  }

  /** What a sweep produced and where it was written. */
  public record Outcome(
      KSweep.Result result, List<FeatureCorrelations.Pair> correlated, String snapshotDate, long customers, String table,
      String png, String html) {}

  public Outcome run(List<Integer> ks, int seeds, Consumer<String> progress) {
    String checkpoints = config.spark().checkpointDir() + "/tune-k-" + UUID.randomUUID();
    try (LineageCuts cuts = new LineageCuts(spark, checkpoints)) {
      SegmentationJob.CustomerTable customers = SegmentationJob.featuresOnly(spark, config).customerFeatures(cuts);
      List<FeatureCorrelations.Pair> correlated = FeatureCorrelations.aboveWarning(customers.customers(), config.segmentation());
      for (FeatureCorrelations.Pair pair : correlated) {
        progress.accept(
            "WARNING: " + pair.describe() + ", above segmentation.correlation_warning = "
                + config.segmentation().correlationWarning() + "; consider dropping one from segmentation.features");
      }
      progress.accept("Sweeping k over " + ks + " with " + seeds + " seed(s) on " + customers.count() + " customers");
      spark.sparkContext().setJobGroup("tune-k", "k sweep over " + ks, false);
      KSweep.Result result =
          KSweep.run(
              customers.customers(), config.segmentation(), config.tuning(), ks, seeds,
              spark.sparkContext().defaultParallelism(), progress);
      spark.sparkContext().clearJobGroup();
      TableWriter writer = TableWriter.forJob(spark, config, customers.snapshotDate());
      writer.writeSmall(result.table(spark), Tables.K_SWEEP);
      byte[] png = SweepReport.chartPng(result);
      String snapshot = customers.snapshotDate().toString();
      String pngPath = writer.writeFile(spark, Tables.TUNING_REPORTS, "k_sweep.png", png);
      String htmlPath = writer.writeFile(spark, Tables.TUNING_REPORTS, "k_sweep.html", SweepReport.htmlBytes(result, snapshot, png));
      customers.customers().unpersist();
      return new Outcome(result, correlated, snapshot, customers.count(), writer.tablePath(Tables.K_SWEEP), pngPath, htmlPath);
    }
  }
}
