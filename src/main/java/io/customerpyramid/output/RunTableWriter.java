package io.customerpyramid.output;

import io.customerpyramid.schema.RunLocations;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Writes a run's tables, each into the run's own directory {@code <table>/snapshot_date=S/run_id=R}:
 * nothing published is overwritten, and a run killed while writing leaves only its own directories,
 * which nobody reads and the next run removes.
 */
public final class RunTableWriter {

  private final RunLocations run;

  public RunTableWriter(RunLocations run) {
    this.run = run;
  }

  /** A table of a few hundred rows at most: one file, which BI tools read faster than many tiny ones. */
  public WrittenRun writeSmall(Dataset<Row> table, String name) {
    return write(table.coalesce(1), name);
  }

  /**
   * The table's rows, without the partition columns, which the directory names carry. A table
   * without rows is written too (one file with the schema): the run's partition then exists, and
   * the published snapshot is empty rather than showing an earlier run's rows.
   */
  public WrittenRun write(Dataset<Row> table, String name) {
    String path = run.runPath(name);
    table.write().mode(SaveMode.ErrorIfExists).parquet(path);
    Configuration hadoop = table.sparkSession().sparkContext().hadoopConfiguration();
    return new WrittenRun(
        name, qualified(hadoop, run.tablePath(name)), qualified(hadoop, path), table.schema(), run.snapshotDate(), run.runId());
  }

  /** A path as a catalog stores locations: with its scheme and authority. */
  public static String qualified(Configuration hadoop, String location) {
    Path path = new Path(location);
    try {
      return path.getFileSystem(hadoop).makeQualified(path).toString();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot resolve " + path + ": " + e.getMessage(), e);
    }
  }
}
