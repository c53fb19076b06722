package io.customerpyramid.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.customerpyramid.schema.Columns;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writes tables as Parquet partitioned by snapshot_date with dynamic partition overwrite: a run
 * replaces exactly its own snapshot's partition, and other snapshots are never touched.
 */
public final class TableWriter {

  private final String root;
  private final LocalDate snapshotDate;

  public TableWriter(String root, LocalDate snapshotDate) {
    this.root = root;
    this.snapshotDate = snapshotDate;
  }

  public String tablePath(String table) {
    return new Path(root, table).toString();
  }

  /** A table of a few hundred rows at most: one file, which BI tools read faster than many tiny ones. */
  public void writeSmall(Dataset<Row> table, String name) {
    write(table.coalesce(1), name);
  }

  /** snapshot_date first, then the table's columns; partition snapshot_date=S of the table replaced. */
  public void write(Dataset<Row> table, String name) {
    List<Column> columns = new ArrayList<>();
    columns.add(lit(java.sql.Date.valueOf(snapshotDate)).as(Columns.SNAPSHOT_DATE));
    for (String column : table.columns()) {
      columns.add(col("`" + column + "`"));
    }
    table
        .select(columns.toArray(Column[]::new))
        .write()
        .mode(SaveMode.Overwrite)
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy(Columns.SNAPSHOT_DATE)
        .parquet(tablePath(name));
  }

  /** Writes the run manifest last (write to a temporary name, then rename), so its presence marks a finished run. */
  public String writeManifest(SparkSession spark, String json) {
    Path dir = new Path(new Path(root, Tables.MANIFESTS), Columns.SNAPSHOT_DATE + "=" + snapshotDate);
    Path target = new Path(dir, "manifest.json");
    Path temporary = new Path(dir, ".manifest.json.tmp");
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.mkdirs(dir);
      try (OutputStream out = fs.create(temporary, true)) {
        out.write(json.getBytes(StandardCharsets.UTF_8));
      }
      fs.delete(target, false);
      if (!fs.rename(temporary, target)) {
        throw new IOException("rename of " + temporary + " to " + target + " failed");
      }
      return target.toString();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write the run manifest under " + dir + ": " + e.getMessage(), e);
    }
  }
}
