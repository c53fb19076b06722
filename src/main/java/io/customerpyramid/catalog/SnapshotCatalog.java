package io.customerpyramid.catalog;

import io.customerpyramid.catalog.RunTables.RunKey;
import io.customerpyramid.output.RunTableWriter;
import io.customerpyramid.output.WrittenRun;
import io.customerpyramid.schema.RunLocations;
import io.customerpyramid.schema.Tables;
import java.io.IOException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.SparkSession;

/**
 * The snapshots in the catalog: readers query the views of {@code catalog.database}, which show the
 * published run of every snapshot; a run registers its partitions beside the published ones
 * (invisible to the views), then {@link #publish} switches the snapshot to it in one metastore call.
 * The manifests under the output root are the record of what is published; {@link #sync} brings the
 * catalog back to them after a run was killed between the two, or ran without the catalog.
 */
public final class SnapshotCatalog {

  private static final Logger LOG = LogManager.getLogger(SnapshotCatalog.class);

  private final SparkSession spark;
  private final String database;
  private final String outputRoot;
  private final RunTables runs;
  private final PublishedViews views;
  private boolean databasesReady;

  public SnapshotCatalog(SparkSession spark, String database, String outputRoot) {
    this.spark = spark;
    this.database = database;
    this.outputRoot = outputRoot;
    this.runs = new RunTables(spark, RunTables.runsDatabase(database));
    this.views = new PublishedViews(spark, database, outputRoot);
  }

  /** A run's partition of a table, registered in its run table; the table's view does not show it until the run is published. */
  public void registerRun(WrittenRun written) {
    ensureDatabases();
    runs.ensure(written.table(), written.tableLocation(), written.columns());
    views.ensurePointerTable(qualified(new Path(outputRoot, Tables.PUBLISHED).toString()));
    views.ensureView(written.table(), written.columns());
    runs.addRun(written.table(), new RunKey(written.snapshotDate(), written.runId()), written.runLocation());
  }

  /** Writes what {@link #publish} will point at; nothing a reader sees changes. */
  public String preparePublish(LocalDate date, String runId) {
    return qualified(views.writePointer(date, runId));
  }

  /** The switch: from this call on, every view shows this run for the snapshot. */
  public void publish(LocalDate date, String runId, String pointerLocation) {
    views.publish(date, runId, pointerLocation, views.published().containsKey(date));
  }

  /**
   * Makes the catalog agree with the published runs (snapshot date to run id, from the manifests):
   * the published runs registered, each snapshot's pointer at its published run, every other run's
   * partitions dropped. Switches come after the additions and before the drops, so a reader never
   * sees a snapshot whose run is not registered.
   */
  public void sync(Map<LocalDate, String> published) {
    if (!spark.catalog().databaseExists(RunTables.runsDatabase(database))) {
      return;
    }
    Map<String, Map<RunKey, String>> registered = new LinkedHashMap<>();
    Set<String> tables = runs.names();
    for (String table : Tables.ANY_RUN) {
      if (tables.contains(table.toLowerCase(Locale.ROOT))) {
        registered.put(table, runs.runs(table));
      }
    }
    registered.forEach((table, present) -> published.forEach((date, runId) -> {
      RunKey key = new RunKey(date, runId);
      String location = RunLocations.runPath(outputRoot, table, date, runId);
      if (!present.containsKey(key) && exists(location)) {
        runs.addRun(table, key, qualified(location));
      }
    }));
    if (views.pointerExists()) {
      Map<LocalDate, String> pointed = views.published();
      published.forEach((date, runId) -> {
        if (!runId.equals(pointed.get(date))) {
          LOG.info("catalog: snapshot {} now shows run {} (its manifest's)", date, runId);
          views.publish(date, runId, preparePublish(date, runId), pointed.containsKey(date));
        }
      });
      pointed.keySet().stream().filter(date -> !published.containsKey(date)).forEach(views::unpublish);
    }
    registered.forEach((table, present) -> present.keySet().stream()
        .filter(key -> !key.runId().equals(published.get(key.snapshotDate())))
        .forEach(key -> runs.dropRun(table, key)));
  }

  private void ensureDatabases() {
    if (databasesReady) {
      return;
    }
    databasesReady = true;
    spark.sql("CREATE DATABASE IF NOT EXISTS " + database
        + " COMMENT 'customer-pyramid: customer tiers, segments and Pareto shares per snapshot (docs/tables.md)'");
    spark.sql("CREATE DATABASE IF NOT EXISTS " + RunTables.runsDatabase(database)
        + " COMMENT 'customer-pyramid: every run of the tables of " + database + ", which shows the published ones'");
  }

  private boolean exists(String location) {
    Path path = new Path(location);
    try {
      return path.getFileSystem(hadoop()).exists(path);
    } catch (IOException e) {
      throw new CatalogError("Cannot check " + path + ": " + e.getMessage(), e);
    }
  }

  private String qualified(String location) {
    return RunTableWriter.qualified(hadoop(), location);
  }

  private Configuration hadoop() {
    return spark.sparkContext().hadoopConfiguration();
  }
}
