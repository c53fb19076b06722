package io.customerpyramid.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.customerpyramid.catalog.TableRegistry;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Tables;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.MLWritable;
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
  private final Optional<TableRegistry> registry;

  public TableWriter(String root, LocalDate snapshotDate) {
    this(root, snapshotDate, Optional.empty());
  }

  /** @param registry where each written table and its snapshot partition are registered; empty = directories only */
  public TableWriter(String root, LocalDate snapshotDate, Optional<TableRegistry> registry) {
    this.root = root;
    this.snapshotDate = snapshotDate;
    this.registry = registry;
  }

  /** A writer for a job's session: it registers the tables when the config's catalog is enabled. */
  public static TableWriter forJob(SparkSession spark, JobConfig config, LocalDate snapshotDate) {
    Optional<TableRegistry> registry =
        config.catalog().enabled() ? Optional.of(new TableRegistry(spark, config.catalog().database())) : Optional.empty();
    return new TableWriter(config.outputRoot(), snapshotDate, registry);
  }

  /** The catalog name of a table, when tables are registered. */
  public Optional<String> catalogName(String table) {
    return registry.map(r -> r.qualifiedName(table));
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
    Dataset<Row> withSnapshot = table.select(columns.toArray(Column[]::new));
    SparkSession spark = withSnapshot.sparkSession();
    // A run has at least one customer (no accepted order stops it first), so only tables that may
    // legitimately be empty pay for the check.
    if (!Tables.ALWAYS_HAVE_ROWS.contains(name) && withSnapshot.isEmpty()) {
      // Dynamic overwrite of no rows touches no partition: an earlier run's rows would survive.
      deletePartition(spark, name);
      registry.ifPresent(r -> r.register(name, qualifiedTablePath(spark, name), withSnapshot.schema(), snapshotDate));
      return;
    }
    withSnapshot
        .write()
        .mode(SaveMode.Overwrite)
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy(Columns.SNAPSHOT_DATE)
        .parquet(tablePath(name));
    registry.ifPresent(r -> r.register(name, qualifiedTablePath(withSnapshot.sparkSession(), name), withSnapshot.schema(), snapshotDate));
  }

  /** The table's directory as a fully qualified URI, as a catalog stores locations. */
  private String qualifiedTablePath(SparkSession spark, String name) {
    Path path = new Path(tablePath(name));
    try {
      return path.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(path).toString();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot resolve " + path + ": " + e.getMessage(), e);
    }
  }

  /** The directory of one snapshot's partition of a table. */
  public String partitionPath(String table, LocalDate date) {
    return new Path(tablePath(table), Columns.SNAPSHOT_DATE + "=" + date).toString();
  }

  private void deletePartition(SparkSession spark, String table) {
    Path partition = new Path(partitionPath(table, snapshotDate));
    try {
      partition.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(partition, true);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot delete " + partition + ": " + e.getMessage(), e);
    }
  }

  /** Where this snapshot's fitted segmentation model is saved: {@code <root>/_models/snapshot_date=S}. */
  public String modelPath() {
    return new Path(new Path(root, Tables.MODELS), Columns.SNAPSHOT_DATE + "=" + snapshotDate).toString();
  }

  /** Saves the fitted segmentation model next to the tables, replacing this snapshot's. */
  public String writeModel(MLWritable model) {
    try {
      model.write().overwrite().save(modelPath());
      return modelPath();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot save the model to " + modelPath() + ": " + e.getMessage(), e);
    }
  }

  /** Writes a small file (a chart, a report) to {@code <root>/<directory>/snapshot_date=S/<name>}, replacing it. */
  public String writeFile(SparkSession spark, String directory, String name, byte[] content) {
    Path dir = new Path(new Path(root, directory), Columns.SNAPSHOT_DATE + "=" + snapshotDate);
    Path target = new Path(dir, name);
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      // A chart or page for people: no .crc sidecar next to it on a local file system.
      fs.setWriteChecksum(false);
      fs.mkdirs(dir);
      try (OutputStream out = fs.create(target, true)) {
        out.write(content);
      }
      return target.toString();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write " + target + ": " + e.getMessage(), e);
    }
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
