package io.customerpyramid.stages;

import io.customerpyramid.clv.HoldoutValidation;
import io.customerpyramid.schema.TableLocations;
import io.customerpyramid.schema.Tables;
import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import io.customerpyramid.output.SideFiles;
import io.customerpyramid.report.ReportData;
import io.customerpyramid.report.SnapshotReport;
import io.customerpyramid.schema.RunLocations;
import io.customerpyramid.stages.MeasureMovement.Movement;

/** Stage report: the run's HTML report, written beside its tables as {@code reports/snapshot_date=S/run_id=R/report.html}. */
public final class WriteReport {

  private WriteReport() {}

  /** @return where the report was written */
  public static String write(SideFiles files, RunLocations run, SnapshotTables snapshot) {
    ReportData data =
        ReportData.collect(
            snapshot.snapshotDate(), snapshot.headline(), snapshot.tierSummary(), snapshot.curve(), snapshot.profiles(), snapshot.segmentFeatures(),
            snapshot.movement().map(Movement::tiers), snapshot.movement().map(Movement::loyaltyStages),
            snapshot.movement().map(Movement::segments));
    data = data.withFuture(snapshot.forward().map(f -> new ReportData.Future(
        f.summary(), validation(snapshot.customers().sparkSession(), run))));
    return files.writeFile(run.reportPath(), SnapshotReport.renderBytes(data));
  }

  /** validate-clv's comparison for this snapshot, when it has written one (before this run). */
  private static Optional<HoldoutValidation.Comparison> validation(SparkSession spark, RunLocations run) {
    Path partition = new Path(new TableLocations(run.root(), run.snapshotDate()).partitionPath(Tables.CLV_VALIDATION));
    try {
      if (!partition.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(partition)) {
        return Optional.empty();
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot look for " + partition + ": " + e.getMessage(), e);
    }
    return HoldoutValidation.Comparison.of(spark.read().parquet(partition.toString()).collectAsList());
  }
}
