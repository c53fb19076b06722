package io.customerpyramid.stages;

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
    return files.writeFile(run.reportPath(), SnapshotReport.renderBytes(data));
  }
}
