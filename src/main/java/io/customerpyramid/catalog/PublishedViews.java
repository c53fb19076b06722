package io.customerpyramid.catalog;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.RunLocations;
import io.customerpyramid.schema.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.catalog.CatalogTablePartition;
import org.apache.spark.sql.catalyst.catalog.CatalogTableType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What readers query: in the database {@code catalog.database}, one view per table showing, for every
 * snapshot, the rows of its published run only. A view joins its run table with {@code
 * published_runs}, which has one row per snapshot: the published run. Its partition of a snapshot
 * has a location per run ({@code _published/snapshot_date=S/run_id=R}, one tiny file), so publishing
 * a run is one metastore call, the switch of that location, and every view follows at once.
 */
final class PublishedViews {

  static final String POINTER_TABLE = "published_runs";
  private static final StructType POINTER_COLUMNS =
      new StructType().add(Columns.RUN_ID, DataTypes.StringType).add("published_at", DataTypes.TimestampType);

  private final SparkSession spark;
  private final String database;
  private final String runsDatabase;
  private final String outputRoot;
  /** Once ensured, the pointer table stays: it is ensured for every table a run registers. */
  private boolean pointerReady;

  PublishedViews(SparkSession spark, String database, String outputRoot) {
    this.spark = spark;
    this.database = database;
    this.runsDatabase = RunTables.runsDatabase(database);
    this.outputRoot = outputRoot;
  }

  private String pointer() {
    return runsDatabase + "." + POINTER_TABLE;
  }

  boolean pointerExists() {
    return spark.catalog().databaseExists(runsDatabase) && spark.catalog().tableExists(runsDatabase, POINTER_TABLE);
  }

  void ensurePointerTable(String location) {
    if (pointerReady) {
      return;
    }
    if (!pointerExists()) {
      spark.sql(
          "CREATE TABLE " + pointer() + " (" + SchemaVersions.columnList(POINTER_COLUMNS) + ", " + Columns.SNAPSHOT_DATE + " DATE)"
              + " USING parquet PARTITIONED BY (" + Columns.SNAPSHOT_DATE + ") LOCATION " + SchemaVersions.quote(location)
              + " COMMENT 'The published run of each snapshot: the views of " + database + " show its rows'");
    }
    pointerReady = true;
  }

  /**
   * Creates or replaces the view of a table when it is missing, older, or a table of an earlier
   * version of the job (which registered the tables themselves): columns, then snapshot_date and run_id.
   */
  void ensureView(String table, StructType written) {
    int version = Tables.schemaVersion(table);
    String name = database + "." + table;
    Optional<CatalogTable> found = SchemaVersions.lookUp(spark, database, table);
    if (found.isPresent()) {
      int registered = SchemaVersions.version(found.get());
      boolean view = CatalogTableType.VIEW().equals(found.get().tableType());
      if (view && registered == version) {
        return;
      }
      if (view && registered > version) {
        throw SchemaVersions.newerVersion(name, registered, version);
      }
      if (!view) {
        // The external table of an earlier layout: dropping it leaves its files.
        spark.sql("DROP TABLE " + name);
      }
    }
    List<String> viewColumns = new ArrayList<>();
    List<String> selected = new ArrayList<>();
    for (StructField field : RunTables.registeredColumns(written).fields()) {
      viewColumns.add("`" + field.name() + "`" + SchemaVersions.comment(field));
      selected.add("t.`" + field.name() + "`");
    }
    spark.sql(
        "CREATE OR REPLACE VIEW " + name + " (" + String.join(", ", viewColumns) + ")"
            + " COMMENT " + SchemaVersions.quote(Tables.description(table))
            + " TBLPROPERTIES (" + SchemaVersions.quote(SchemaVersions.PROPERTY) + " = '" + version + "')"
            + " AS SELECT " + String.join(", ", selected) + " FROM " + runsDatabase + "." + table + " t"
            + " LEFT SEMI JOIN " + pointer() + " p"
            + " ON t." + Columns.SNAPSHOT_DATE + " = p." + Columns.SNAPSHOT_DATE + " AND t." + Columns.RUN_ID + " = p." + Columns.RUN_ID);
  }

  /** Writes the pointer file of a run: the directory a publish switches the snapshot's partition to. */
  String writePointer(LocalDate date, String runId) {
    String location = RunLocations.runPath(outputRoot, Tables.PUBLISHED, date, runId);
    spark.createDataFrame(List.of(RowFactory.create(runId, Timestamp.from(Instant.now()))), POINTER_COLUMNS)
        .coalesce(1).write().mode(SaveMode.Overwrite).parquet(location);
    return location;
  }

  /** The switch: the snapshot's partition of the pointer now locates this run's pointer file. One metastore call. */
  void publish(LocalDate date, String runId, String pointerLocation, boolean snapshotPublishedBefore) {
    String partition = " PARTITION (" + Columns.SNAPSHOT_DATE + " = '" + date + "')";
    String location = " LOCATION " + SchemaVersions.quote(pointerLocation);
    if (snapshotPublishedBefore) {
      spark.sql("ALTER TABLE " + pointer() + partition + " SET" + location);
    } else {
      spark.sql("ALTER TABLE " + pointer() + " ADD" + partition + location);
    }
  }

  void unpublish(LocalDate date) {
    spark.sql("ALTER TABLE " + pointer() + " DROP IF EXISTS PARTITION (" + Columns.SNAPSHOT_DATE + " = '" + date + "')");
  }

  /** The run each snapshot's pointer locates, read from the partition locations: one metastore call. */
  Map<LocalDate, String> published() {
    Map<LocalDate, String> published = new HashMap<>();
    for (CatalogTablePartition partition : RunTables.partitions(spark, runsDatabase, POINTER_TABLE)) {
      String directory = new org.apache.hadoop.fs.Path(partition.location()).getName();
      String runId = directory.startsWith(RunLocations.RUN_DIRECTORY_PREFIX)
          ? directory.substring(RunLocations.RUN_DIRECTORY_PREFIX.length()) : "";
      published.put(LocalDate.parse(partition.spec().apply(Columns.SNAPSHOT_DATE)), runId);
    }
    return published;
  }
}
