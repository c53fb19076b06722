package io.customerpyramid.schema;

import java.time.LocalDate;
import org.apache.hadoop.fs.Path;

/**
 * Where one run of a snapshot writes: every table, the model and the report under a directory of
 * their own, {@code <root>/<table>/snapshot_date=S/run_id=R}, which no other run writes and no reader
 * follows until the run is published. Publishing replaces one file, the snapshot's manifest
 * {@code <root>/_manifests/snapshot_date=S/manifest.json}, which names the published run (docs/reliability.md).
 *
 * @param root the output root, as configured
 */
public record RunLocations(String root, LocalDate snapshotDate, String runId) {

  /** The directory of the runs' partitions named by {@code snapshot_date=S/run_id=R}. */
  public static final String RUN_DIRECTORY_PREFIX = Columns.RUN_ID + "=";

  /** A table's directory: its runs of every snapshot, below it. */
  public String tablePath(String table) {
    return new Path(root, table).toString();
  }

  /** One snapshot's directory of a table or side directory: the runs of that snapshot, below it. */
  public static String snapshotPath(String root, String table, LocalDate date) {
    return new Path(new Path(root, table), Columns.SNAPSHOT_DATE + "=" + date).toString();
  }

  /** One run's directory of a table (or of the model, the report, the publish pointer). */
  public static String runPath(String root, String table, LocalDate date, String runId) {
    return new Path(snapshotPath(root, table, date), RUN_DIRECTORY_PREFIX + runId).toString();
  }

  /** This run's directory of a table. */
  public String runPath(String table) {
    return runPath(root, table, snapshotDate, runId);
  }

  /** This run's fitted segmentation model: {@code <root>/_models/snapshot_date=S/run_id=R}. */
  public String modelPath() {
    return runPath(Tables.MODELS);
  }

  /** This run's HTML report: {@code <root>/reports/snapshot_date=S/run_id=R/report.html}. */
  public String reportPath() {
    return new Path(runPath(Tables.REPORTS), "report.html").toString();
  }

  /** The snapshot's manifest: it names the published run. */
  public String manifestPath() {
    return manifestPath(root, snapshotDate);
  }

  public static String manifestPath(String root, LocalDate date) {
    return new Path(snapshotPath(root, Tables.MANIFESTS, date), "manifest.json").toString();
  }
}
