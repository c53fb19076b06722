package io.customerpyramid.tuning;

import io.customerpyramid.clv.ClvFitting;
import io.customerpyramid.clv.ClvModel;
import io.customerpyramid.clv.HoldoutValidation;
import io.customerpyramid.clv.PurchaseHistory;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.ingest.InputError;
import io.customerpyramid.output.SideFiles;
import io.customerpyramid.report.ClvValidationReport;
import io.customerpyramid.schema.TableLocations;
import io.customerpyramid.schema.Tables;
import io.customerpyramid.stages.IngestOrders;
import io.customerpyramid.stages.Inputs;
import io.customerpyramid.stages.LineageCuts;
import io.customerpyramid.stages.TablePublisher;
import java.time.LocalDate;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * validate-clv end to end: the orders of the snapshot (read and checked as a run does), the models
 * fitted on the history before S − N days, their predictions for the last N days against what
 * happened, then the clv_validation table, the chart and the page under the output root.
 */
public final class ValidateClv {

  private final SparkSession spark;
  private final JobConfig config;

  public ValidateClv(SparkSession spark, JobConfig config) {
    this.spark = spark;
    this.config = config;
  }

  /** What the check produced and where it was written. */
  public record Outcome(HoldoutValidation.Result result, LocalDate snapshotDate, String table, String png, String html) {}

  public Outcome run(int holdoutDays, Consumer<String> progress) {
    String checkpoints = config.spark().checkpointDir() + "/validate-clv-" + UUID.randomUUID();
    try (LineageCuts cuts = new LineageCuts(spark, checkpoints);
        Inputs orders = IngestOrders.read(spark, config)) {
      LocalDate snapshot = orders.snapshot().date();
      LocalDate calibrationEnd = snapshot.minusDays(holdoutDays);
      progress.accept("Fitting BG/NBD and Gamma-Gamma on the orders before " + calibrationEnd + "; holdout " + calibrationEnd
          + " to " + snapshot.minusDays(1) + " (" + holdoutDays + " days)");
      Dataset<Row> lines = orders.orders().accepted();
      Dataset<Row> calibration = cuts.cut(PurchaseHistory.summarise(lines, calibrationEnd, config.clv().timeUnitDays()));
      if (calibration.isEmpty()) {
        throw new InputError(
            "validate-clv: no purchase before " + calibrationEnd + " (S − " + holdoutDays + " days): --holdout-days is longer"
                + " than the order history before the snapshot " + snapshot);
      }
      spark.sparkContext().setJobGroup("validate-clv", "CLV holdout check, " + holdoutDays + " days", false);
      HoldoutValidation.Result result;
      try {
        ClvModel model = ClvFitting.fit(calibration, config.clv());
        result = HoldoutValidation.compare(lines, snapshot, holdoutDays, calibration, model, config.clv().timeUnitDays());
      } finally {
        spark.sparkContext().clearJobGroup();
      }
      TableLocations locations = new TableLocations(config.outputRoot(), snapshot);
      TablePublisher.forJob(spark, config, locations).writeSmall(result.comparison().table(spark), Tables.CLV_VALIDATION);
      SideFiles files = new SideFiles(spark.sparkContext().hadoopConfiguration());
      String reports = locations.partitionPath(Tables.CLV_VALIDATION_REPORTS);
      byte[] png = ClvValidationReport.chartPng(result.comparison());
      String pngPath = files.writeFile(reports + "/clv_validation.png", png);
      String htmlPath =
          files.writeFile(reports + "/clv_validation.html", ClvValidationReport.htmlBytes(result, snapshot.toString(), png));
      return new Outcome(result, snapshot, locations.tablePath(Tables.CLV_VALIDATION), pngPath, htmlPath);
    }
  }
}
