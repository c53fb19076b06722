package io.customerpyramid.stages;

import io.customerpyramid.output.SideFiles;
import io.customerpyramid.report.ReportData;
import io.customerpyramid.report.SnapshotReport;
import io.customerpyramid.schema.Tables;
import io.customerpyramid.stages.MeasureMovement.Movement;

/** Stage report: the snapshot's HTML report, written beside the tables as {@code reports/snapshot_date=S/report.html}. */
public final class WriteReport {

  private WriteReport() {}

  /** @return where the report was written */
  public static String write(SideFiles files, SnapshotTables snapshot) {
    ReportData data =
        ReportData.collect(
            snapshot.snapshotDate(), snapshot.headline(), snapshot.tierSummary(), snapshot.curve(), snapshot.profiles(),
            snapshot.movement().map(Movement::tiers), snapshot.movement().map(Movement::loyaltyStages));
    return files.writeFile(Tables.REPORTS, "report.html", SnapshotReport.renderBytes(data));
  }
}
