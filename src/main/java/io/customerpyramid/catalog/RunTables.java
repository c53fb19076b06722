package io.customerpyramid.catalog;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Tables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.catalog.CatalogTablePartition;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The tables of every run, in the database {@code <catalog.database>_runs}: external Parquet tables
 * over the table directories, partitioned by (snapshot_date, run_id). They hold the published run of
 * each snapshot and, while a run writes, that run too; readers query the views of {@link
 * PublishedViews}, which show the published runs only.
 */
final class RunTables {

  private static final Logger LOG = LogManager.getLogger(RunTables.class);

  /** A run's partition of a table. */
  record RunKey(LocalDate snapshotDate, String runId) {}

  private final SparkSession spark;
  private final String database;

  RunTables(SparkSession spark, String database) {
    this.spark = spark;
    this.database = database;
  }

  /** The database of the run tables beside the readers' database. */
  static String runsDatabase(String database) {
    return database + "_runs";
  }

  String qualifiedName(String table) {
    return database + "." + table;
  }

  /** The names of the tables in the runs database (which must exist): one metastore call for all. */
  Set<String> names() {
    Set<String> names = new HashSet<>();
    scala.collection.JavaConverters.seqAsJavaListConverter(spark.sharedState().externalCatalog().listTables(database)).asJava()
        .forEach(name -> names.add(name.toLowerCase(Locale.ROOT)));
    return names;
  }

  /** The table's columns as registered: the written ones, then snapshot_date and run_id. */
  static StructType registeredColumns(StructType written) {
    return written.add(Columns.SNAPSHOT_DATE, DataTypes.DateType).add(Columns.RUN_ID, DataTypes.StringType);
  }

  /**
   * Creates the table at {@code location} if it is not there, or replaces it when an older schema
   * version of it is; a newer version or other columns under the same version are errors.
   *
   * @return whether the table was (re)created
   */
  boolean ensure(String table, String location, StructType written) {
    int version = Tables.schemaVersion(table);
    StructType columns = registeredColumns(written);
    Optional<CatalogTable> found = SchemaVersions.lookUp(spark, database, table);
    Optional<Integer> registered = found.map(SchemaVersions::version);
    if (registered.isPresent() && registered.get() == version) {
      SchemaVersions.requireSameColumns(qualifiedName(table), found.get().schema(), columns);
      return false;
    }
    if (registered.isPresent() && registered.get() > version) {
      throw SchemaVersions.newerVersion(qualifiedName(table), registered.get(), version);
    }
    if (registered.isPresent()) {
      LOG.warn("{}: schema version {} replaces version {}", qualifiedName(table), version, registered.get());
      spark.sql("DROP TABLE " + qualifiedName(table));
    }
    spark.sql(
        "CREATE TABLE " + qualifiedName(table) + " (" + SchemaVersions.columnList(columns) + ")"
            + " USING parquet PARTITIONED BY (" + Columns.SNAPSHOT_DATE + ", " + Columns.RUN_ID + ")"
            + " LOCATION " + SchemaVersions.quote(location)
            + " COMMENT " + SchemaVersions.quote("Every run of " + table + "; query the view " + table + " for the published runs")
            + " TBLPROPERTIES (" + SchemaVersions.quote(SchemaVersions.PROPERTY) + " = '" + version + "')");
    return true;
  }

  void addRun(String table, RunKey run, String runLocation) {
    spark.sql("ALTER TABLE " + qualifiedName(table) + " ADD IF NOT EXISTS" + spec(run) + " LOCATION " + SchemaVersions.quote(runLocation));
  }

  void dropRun(String table, RunKey run) {
    spark.sql("ALTER TABLE " + qualifiedName(table) + " DROP IF EXISTS" + spec(run));
  }

  /** The runs registered in the table, with their locations: one metastore call. */
  Map<RunKey, String> runs(String table) {
    Map<RunKey, String> runs = new HashMap<>();
    for (CatalogTablePartition partition : partitions(spark, database, table)) {
      scala.collection.Map<String, String> spec = partition.spec();
      runs.put(
          new RunKey(LocalDate.parse(spec.apply(Columns.SNAPSHOT_DATE)), spec.apply(Columns.RUN_ID)),
          partition.location().toString());
    }
    return runs;
  }

  static List<CatalogTablePartition> partitions(SparkSession spark, String database, String table) {
    TableIdentifier name = new TableIdentifier(table, scala.Option.apply(database));
    return new ArrayList<>(
        scala.collection.JavaConverters.seqAsJavaListConverter(spark.sessionState().catalog().listPartitions(name, scala.Option.empty()))
            .asJava());
  }

  private static String spec(RunKey run) {
    return " PARTITION (" + Columns.SNAPSHOT_DATE + " = '" + run.snapshotDate() + "', " + Columns.RUN_ID + " = "
        + SchemaVersions.quote(run.runId()) + ")";
  }
}
