package io.customerpyramid.catalog;

import io.customerpyramid.schema.Tables;
import io.customerpyramid.schema.Columns;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Registers a table written per snapshot (tune-k's k_sweep) in the session's catalog: an external
 * Parquet table at its output directory, partitioned by snapshot_date, carrying its schema version.
 * (A run's snapshot tables are published through {@link SnapshotCatalog}.)
 *
 * <p>After a table is written, {@link #register} makes the catalog agree with the directories for
 * that table: the table exists with the written schema, the snapshot's partition is registered once,
 * and partitions whose directory is gone are dropped. A rerun therefore leaves neither duplicate nor
 * orphaned partitions, and a deleted metastore is rebuilt from the directories by the next run.
 */
public final class TableRegistry {

  /** Table property holding the schema version of {@link Tables#SCHEMA_VERSIONS}. */
  public static final String SCHEMA_VERSION_PROPERTY = SchemaVersions.PROPERTY;

  private static final Logger LOG = LogManager.getLogger(TableRegistry.class);

  private final SparkSession spark;
  private final String database;
  private boolean databaseReady;

  public TableRegistry(SparkSession spark, String database) {
    this.spark = spark;
    this.database = database;
  }

  public String qualifiedName(String table) {
    return database + "." + table;
  }

  /**
   * Registers {@code table} (written at {@code location} with {@code schema}, snapshot_date included)
   * and its partition for {@code snapshotDate}.
   */
  public void register(String table, String location, StructType schema, LocalDate snapshotDate) {
    int version = Tables.schemaVersion(table);
    ensureDatabase();
    String name = qualifiedName(table);
    Optional<CatalogTable> registered = SchemaVersions.lookUp(spark, database, table);
    Optional<Integer> registeredVersion = registered.map(SchemaVersions::version);
    if (registeredVersion.isEmpty()) {
      create(table, location, schema, version);
    } else if (registeredVersion.get() < version) {
      LOG.warn("{}: schema version {} replaces version {}; earlier snapshots read missing columns as null",
          name, version, registeredVersion.get());
      spark.sql("DROP TABLE " + name);
      create(table, location, schema, version);
    } else if (registeredVersion.get() > version) {
      throw SchemaVersions.newerVersion(name, registeredVersion.get(), version);
    } else {
      SchemaVersions.requireSameColumns(name, registered.get().schema(), schema);
    }
    String partition = " PARTITION (" + Columns.SNAPSHOT_DATE + " = '" + snapshotDate + "')";
    if (hasDirectory(new Path(location, Columns.SNAPSHOT_DATE + "=" + snapshotDate))) {
      spark.sql("ALTER TABLE " + name + " ADD IF NOT EXISTS" + partition);
    } else {
      // No rows this time (adding the partition would create an empty directory for it).
      spark.sql("ALTER TABLE " + name + " DROP IF EXISTS" + partition);
    }
    dropPartitionsWithoutData(name, location);
  }

  private boolean hasDirectory(Path path) {
    try {
      return path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path);
    } catch (IOException e) {
      throw new CatalogError("Cannot check " + path + ": " + e.getMessage(), e);
    }
  }

  private void ensureDatabase() {
    if (!databaseReady) {
      spark.sql("CREATE DATABASE IF NOT EXISTS " + database
          + " COMMENT 'customer-pyramid: customer tiers, segments and Pareto shares per snapshot (docs/tables.md)'");
      databaseReady = true;
    }
  }

  /**
   * Creates the external table over the directory; partitions already there (written before the
   * catalog existed, or before a version change) are recovered from the directory names.
   */
  private void create(String table, String location, StructType schema, int version) {
    spark.sql(
        "CREATE TABLE " + qualifiedName(table) + " (" + SchemaVersions.columnList(schema) + ")"
            + " USING parquet PARTITIONED BY (" + Columns.SNAPSHOT_DATE + ")"
            + " LOCATION " + SchemaVersions.quote(location)
            + " COMMENT " + SchemaVersions.quote(Tables.description(table))
            + " TBLPROPERTIES (" + SchemaVersions.quote(SCHEMA_VERSION_PROPERTY) + " = '" + version + "')");
    if (hasDirectory(new Path(location))) {
      spark.sql("ALTER TABLE " + qualifiedName(table) + " RECOVER PARTITIONS");
    }
  }

  /**
   * A partition directory deleted by hand (or by a retention job) must not stay in the catalog. One
   * listing of the table's directory, whatever the number of snapshots.
   */
  private void dropPartitionsWithoutData(String name, String location) {
    List<Row> partitions = spark.sql("SHOW PARTITIONS " + name).collectAsList();
    try {
      Path root = new Path(location);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      java.util.Set<String> directories = new java.util.HashSet<>();
      if (fs.exists(root)) {
        for (org.apache.hadoop.fs.FileStatus status : fs.listStatus(root)) {
          if (status.isDirectory()) {
            directories.add(status.getPath().getName());
          }
        }
      }
      for (Row partition : partitions) {
        String spec = partition.getString(0);
        if (!directories.contains(spec)) {
          String date = spec.substring(spec.indexOf('=') + 1);
          LOG.warn("{}: partition {} has no directory any more; dropping it from the catalog", name, spec);
          spark.sql("ALTER TABLE " + name + " DROP IF EXISTS PARTITION (" + Columns.SNAPSHOT_DATE + " = '" + date + "')");
        }
      }
    } catch (IOException e) {
      throw new CatalogError("Cannot list the partitions of " + name + " at " + location + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "catalog database %s", database);
  }
}
