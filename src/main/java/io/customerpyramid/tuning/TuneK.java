package io.customerpyramid.tuning;

import io.customerpyramid.segmentation.KSweep;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.output.SideFiles;
import io.customerpyramid.schema.TableLocations;
import io.customerpyramid.schema.Tables;
import io.customerpyramid.segmentation.FeatureCorrelations;
import io.customerpyramid.stages.FeatureStages;
import io.customerpyramid.stages.LineageCuts;
import io.customerpyramid.stages.MeasureMovement;
import io.customerpyramid.stages.TablePublisher;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * tune-k end to end: ingest and features once (the run's own feature stages), the k sweep, then
 * the k_sweep table, the chart and the HTML page under the output root.
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
      // The sweep clusters the features only: the future-value models are not fitted for it.
      FeatureStages.CustomerTable customers = FeatureStages.alone(spark, config.withoutClv()).customers(cuts);
      // The features a run would cluster on: the same ones are swept.
      FeatureCorrelations.Selection selection = FeatureCorrelations.select(customers.customers(), config.segmentation());
      selection.notes().forEach(note -> progress.accept("Note: " + note));
      JobConfig.Segmentation segmentation = selection.config();
      // With the left-out features gone no pair is above the level any more: only measured when nothing was left out.
      List<FeatureCorrelations.Pair> correlated =
          segmentation.dropRedundantFeatures() ? List.of() : FeatureCorrelations.aboveWarning(customers.customers(), segmentation);
      for (FeatureCorrelations.Pair pair : correlated) {
        progress.accept(
            "WARNING: " + pair.describe() + ", above segmentation.correlation_warning = "
                + segmentation.correlationWarning() + "; consider dropping one from segmentation.features");
      }
      progress.accept("Sweeping k over " + ks + " with " + seeds + " seed(s) on " + customers.count() + " customers");
      KSweep.Result result;
      spark.sparkContext().setJobGroup("tune-k", "k sweep over " + ks, false);
      try {
        result =
            KSweep.run(
                customers.customers(), segmentation, config.tuning(), ks, seeds, spark.sparkContext().defaultParallelism(),
                MeasureMovement.previousSegments(spark, config.outputRoot(), customers.snapshotDate()), progress);
      } finally {
        spark.sparkContext().clearJobGroup();
      }
      TableLocations locations = new TableLocations(config.outputRoot(), customers.snapshotDate());
      TablePublisher.forJob(spark, config, locations).writeSmall(result.table(spark), Tables.K_SWEEP);
      SideFiles files = new SideFiles(spark.sparkContext().hadoopConfiguration());
      String reports = locations.partitionPath(Tables.TUNING_REPORTS);
      byte[] png = SweepReport.chartPng(result);
      String snapshot = customers.snapshotDate().toString();
      String pngPath = files.writeFile(reports + "/k_sweep.png", png);
      String htmlPath = files.writeFile(reports + "/k_sweep.html", SweepReport.htmlBytes(result, snapshot, png));
      return new Outcome(result, correlated, snapshot, customers.count(), locations.tablePath(Tables.K_SWEEP), pngPath, htmlPath);
    }
  }
}
