package io.customerpyramid.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.TableLocations;
import io.customerpyramid.schema.Tables;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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

  private final TableLocations locations;

  public TableWriter(TableLocations locations) {
    this.locations = locations;
  }

  public TableWriter(String root, LocalDate snapshotDate) {
    this(new TableLocations(root, snapshotDate));
  }

  /** A table of a few hundred rows at most: one file, which BI tools read faster than many tiny ones. */
  public WrittenTable writeSmall(Dataset<Row> table, String name) {
    return write(table.coalesce(1), name);
  }

  /** snapshot_date first, then the table's columns; partition snapshot_date=S of the table replaced. */
  public WrittenTable write(Dataset<Row> table, String name) {
    List<Column> columns = new ArrayList<>();
    columns.add(lit(java.sql.Date.valueOf(locations.snapshotDate())).as(Columns.SNAPSHOT_DATE));
    for (String column : table.columns()) {
      columns.add(col("`" + column + "`"));
    }
    Dataset<Row> withSnapshot = table.select(columns.toArray(Column[]::new));
    SparkSession spark = withSnapshot.sparkSession();
    // A run has at least one customer (no accepted order stops it first), so only tables that may
    // legitimately be empty pay for the check.
    if (!Tables.ALWAYS_HAVE_ROWS.contains(name) && withSnapshot.isEmpty()) {
      // Dynamic overwrite of no rows touches no partition: an earlier run's rows would survive.
      deletePartition(spark, name);
    } else {
      withSnapshot
          .write()
          .mode(SaveMode.Overwrite)
          .option("partitionOverwriteMode", "dynamic")
          .partitionBy(Columns.SNAPSHOT_DATE)
          .parquet(locations.tablePath(name));
    }
    return new WrittenTable(name, qualifiedTablePath(spark, name), withSnapshot.schema(), locations.snapshotDate());
  }

  private String qualifiedTablePath(SparkSession spark, String name) {
    Path path = new Path(locations.tablePath(name));
    try {
      return path.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(path).toString();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot resolve " + path + ": " + e.getMessage(), e);
    }
  }

  private void deletePartition(SparkSession spark, String table) {
    Path partition = new Path(locations.partitionPath(table));
    try {
      partition.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(partition, true);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot delete " + partition + ": " + e.getMessage(), e);
    }
  }
}
