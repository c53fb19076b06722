package io.customerpyramid.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.output.RunTableWriter;
import io.customerpyramid.schema.RunLocations;
import io.customerpyramid.schema.Tables;
import io.customerpyramid.testing.SparkTestSession;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog side of the publish: a registered run stays invisible until its publish, the view
 * switches to it in one call, a sync repairs a publish cut after the manifest, and the table an
 * earlier version registered gives way to the view. (Over JDBC and with kill -9: PublishCrashIT.)
 */
class SnapshotCatalogTest {

  private static final String DATABASE = "snapshot_catalog_test";
  private static final String TABLE = Tables.TIER_MIGRATIONS;
  private static final LocalDate OCTOBER = LocalDate.of(2026, 10, 31);
  private static final LocalDate NOVEMBER = LocalDate.of(2026, 11, 30);
  private static final StructType SCHEMA = new StructType().add("tier", DataTypes.StringType).add("customers", DataTypes.LongType);

  @TempDir Path output;
  private static SparkSession spark;
  private SnapshotCatalog catalog;

  @BeforeAll
  static void session() {
    spark = SparkTestSession.get();
  }

  @BeforeEach
  void emptyCatalog() {
    spark.sql("DROP DATABASE IF EXISTS " + DATABASE + " CASCADE");
    spark.sql("DROP DATABASE IF EXISTS " + RunTables.runsDatabase(DATABASE) + " CASCADE");
    catalog = new SnapshotCatalog(spark, DATABASE, output.toString());
  }

  @Test
  void aRunIsInvisibleUntilPublishedThenReplacesThePreviousOneWhole() {
    writeAndPublish(OCTOBER, "r1", 3L);
    assertEquals(List.of("2026-10-31 r1 VIP 3", "2026-10-31 r1 Small 30"), view());

    register(OCTOBER, "r2", 4L);
    assertEquals(List.of("2026-10-31 r1 VIP 3", "2026-10-31 r1 Small 30"), view(), "registered, not published");
    register(NOVEMBER, "n1", 5L);
    assertEquals(List.of("2026-10-31 r1 VIP 3", "2026-10-31 r1 Small 30"), view(), "a new snapshot stays invisible");

    catalog.publish(OCTOBER, "r2", catalog.preparePublish(OCTOBER, "r2"));
    assertEquals(List.of("2026-10-31 r2 VIP 4", "2026-10-31 r2 Small 40"), view());

    catalog.sync(Map.of(OCTOBER, "r2"));
    assertEquals(List.of("snapshot_date=2026-10-31/run_id=r2"), runPartitions(), "the replaced and the unpublished runs are dropped");
  }

  @Test
  void aSyncFinishesAPublishCutAfterTheManifestAndUnpublishesWhatNoManifestNames() {
    writeAndPublish(OCTOBER, "r1", 3L);
    writeAndPublish(NOVEMBER, "n1", 5L);
    // Killed after its manifest replaced October's, before the catalog switch.
    register(OCTOBER, "r2", 4L);

    catalog.sync(Map.of(OCTOBER, "r2"));

    assertEquals(List.of("2026-10-31 r2 VIP 4", "2026-10-31 r2 Small 40"), view());
    assertEquals(List.of("snapshot_date=2026-10-31/run_id=r2"), runPartitions());
    assertEquals(List.of("2026-10-31"), spark.sql("SHOW PARTITIONS " + RunTables.runsDatabase(DATABASE) + ".published_runs")
        .collectAsList().stream().map(r -> r.getString(0).replace("snapshot_date=", "")).toList());
  }

  @Test
  void theTableOfAnEarlierVersionBecomesAViewAndItsFilesStay() throws Exception {
    Path legacy = output.resolve("legacy-" + TABLE);
    spark.sql("CREATE DATABASE " + DATABASE);
    spark.sql("CREATE TABLE " + DATABASE + "." + TABLE + " (tier STRING, customers BIGINT, snapshot_date DATE)"
        + " USING parquet PARTITIONED BY (snapshot_date) LOCATION '" + legacy.toUri() + "'");
    spark.sql("INSERT INTO " + DATABASE + "." + TABLE + " VALUES ('VIP', 1, DATE'2026-09-30')");

    writeAndPublish(OCTOBER, "r1", 3L);

    assertEquals("VIEW", spark.catalog().getTable(DATABASE, TABLE).tableType());
    assertEquals(List.of("2026-10-31 r1 VIP 3", "2026-10-31 r1 Small 30"), view());
    assertEquals(1L, spark.read().parquet(legacy.toString()).count(), "dropping the old table left its files");
  }

  private void writeAndPublish(LocalDate date, String runId, long vip) {
    register(date, runId, vip);
    catalog.publish(date, runId, catalog.preparePublish(date, runId));
  }

  private void register(LocalDate date, String runId, long vip) {
    Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create("VIP", vip), RowFactory.create("Small", vip * 10)), SCHEMA);
    catalog.registerRun(new RunTableWriter(new RunLocations(output.toString(), date, runId)).writeSmall(rows, TABLE));
  }

  /** The view's rows: snapshot, run, tier, customers; VIP first. */
  private List<String> view() {
    return spark.sql("SELECT snapshot_date, run_id, tier, customers FROM " + DATABASE + "." + TABLE + " ORDER BY snapshot_date, customers")
        .collectAsList().stream().map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2) + " " + r.get(3)).toList();
  }

  private List<String> runPartitions() {
    List<String> partitions = spark.sql("SHOW PARTITIONS " + RunTables.runsDatabase(DATABASE) + "." + TABLE)
        .collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
    assertTrue(partitions.stream().allMatch(p -> p.contains("run_id=")), partitions.toString());
    return partitions;
  }
}
