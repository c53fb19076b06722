package io.customerpyramid.schema;

import java.time.LocalDate;
import org.apache.hadoop.fs.Path;

/**
 * Where a snapshot's tables and files live: each table a directory under the output root,
 * partitioned by snapshot_date, and each file beside the tables under {@code <root>/<directory>/snapshot_date=S}.
 *
 * @param root the output root, as configured
 */
public record TableLocations(String root, LocalDate snapshotDate) {

  public String tablePath(String table) {
    return new Path(root, table).toString();
  }

  /** The directory of one snapshot's partition of a table (or of a directory of files). */
  public String partitionPath(String table, LocalDate date) {
    return new Path(tablePath(table), Columns.SNAPSHOT_DATE + "=" + date).toString();
  }

  /** This snapshot's partition of a table, or its directory of files such as reports. */
  public String partitionPath(String table) {
    return partitionPath(table, snapshotDate);
  }

  /** Where this snapshot's fitted segmentation model is saved: {@code <root>/_models/snapshot_date=S}. */
  public String modelPath() {
    return partitionPath(Tables.MODELS);
  }

  /** This snapshot's run manifest: {@code <root>/_manifests/snapshot_date=S/manifest.json}. */
  public String manifestPath() {
    return new Path(partitionPath(Tables.MANIFESTS), "manifest.json").toString();
  }
}
