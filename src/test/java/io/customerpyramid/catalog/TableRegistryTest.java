package io.customerpyramid.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.output.TableWriter;
import io.customerpyramid.output.WrittenTable;
import io.customerpyramid.schema.Tables;
import io.customerpyramid.testing.Processes;
import io.customerpyramid.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
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
 * Registration of written tables in the session's catalog: one partition per snapshot whatever the
 * reruns, orphaned partitions dropped, a raised schema version re-registers the table over the same
 * data, and columns changed without a raised version are refused. (The Hive metastore itself, behind
 * a JDBC server, is covered by SqlServerIT.)
 */
class TableRegistryTest {

  private static final String DATABASE = "registry_test";
  // A table that may have no rows for a snapshot (the writer checks only those for emptiness).
  private static final String TABLE = Tables.TIER_MIGRATIONS;
  private static final LocalDate FIRST = LocalDate.of(2026, 9, 30);
  private static final LocalDate SECOND = LocalDate.of(2026, 10, 31);
  private static final StructType SCHEMA =
      new StructType().add("tier", DataTypes.StringType).add("customers", DataTypes.LongType);

  @TempDir Path output;
  private static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = SparkTestSession.get();
  }

  @BeforeEach
  void noDatabaseYet() {
    spark.sql("DROP DATABASE IF EXISTS " + DATABASE + " CASCADE");
  }

  @Test
  void eachSnapshotIsOnePartitionAndRerunsReplaceIt() {
    write(FIRST, rows("VIP", 3L, "Small", 7L));
    write(SECOND, rows("VIP", 4L, "Small", 9L));
    write(SECOND, rows("VIP", 5L, "Small", 11L));

    assertEquals(List.of("snapshot_date=2026-09-30", "snapshot_date=2026-10-31"), partitions());
    Dataset<Row> table = spark.table(DATABASE + "." + TABLE);
    assertEquals(4, table.count(), "two rows per snapshot, the rerun replaced the second");
    assertEquals(16L, spark.sql("SELECT sum(customers) FROM " + DATABASE + "." + TABLE + " WHERE snapshot_date = DATE'2026-10-31'").first().getLong(0));
    assertEquals(String.valueOf(Tables.schemaVersion(TABLE)), property(TableRegistry.SCHEMA_VERSION_PROPERTY));
    assertEquals(Tables.description(TABLE), spark.sql("DESCRIBE TABLE EXTENDED " + DATABASE + "." + TABLE)
        .filter("col_name = 'Comment'").first().getString(1));
  }

  @Test
  void noRowsForASnapshotRemoveItsEarlierRowsButKeepTheTable() {
    write(FIRST, rows("VIP", 3L, "Small", 7L));
    write(SECOND, rows("VIP", 4L, "Small", 9L));

    write(SECOND, rows("VIP", 4L, "Small", 9L).limit(0));

    assertEquals(List.of("snapshot_date=2026-09-30"), partitions());
    assertEquals(2, spark.table(DATABASE + "." + TABLE).count(), "only the first snapshot's rows are left");
    spark.sql("DROP DATABASE IF EXISTS " + DATABASE + " CASCADE");
    write(FIRST, rows("VIP", 3L, "Small", 7L).limit(0));
    assertTrue(spark.catalog().tableExists(DATABASE, TABLE), "registered from the first run, even without rows");
  }

  @Test
  void aPartitionWhoseDirectoryIsGoneIsDroppedAtTheNextRegistration() throws IOException {
    write(FIRST, rows("VIP", 3L, "Small", 7L));
    write(SECOND, rows("VIP", 4L, "Small", 9L));
    Processes.deleteRecursively(output.resolve(TABLE).resolve("snapshot_date=2026-09-30"));

    write(SECOND, rows("VIP", 4L, "Small", 9L));

    assertEquals(List.of("snapshot_date=2026-10-31"), partitions());
    assertEquals(2, spark.table(DATABASE + "." + TABLE).count());
  }

  @Test
  void directoriesWrittenBeforeTheTableWasRegisteredAreRecovered() {
    new TableWriter(output.toString(), FIRST).write(rows("VIP", 3L, "Small", 7L), TABLE);

    write(SECOND, rows("VIP", 4L, "Small", 9L));

    assertEquals(List.of("snapshot_date=2026-09-30", "snapshot_date=2026-10-31"), partitions());
  }

  @Test
  void anOlderSchemaVersionIsReplacedOverTheSameData() {
    write(FIRST, rows("VIP", 3L, "Small", 7L));
    spark.sql("ALTER TABLE " + DATABASE + "." + TABLE + " SET TBLPROPERTIES ('" + TableRegistry.SCHEMA_VERSION_PROPERTY + "' = '0')");

    write(SECOND, rows("VIP", 4L, "Small", 9L));

    assertEquals(String.valueOf(Tables.schemaVersion(TABLE)), property(TableRegistry.SCHEMA_VERSION_PROPERTY));
    assertEquals(List.of("snapshot_date=2026-09-30", "snapshot_date=2026-10-31"), partitions(), "the earlier snapshot is kept");
    assertEquals(4, spark.table(DATABASE + "." + TABLE).count());
  }

  @Test
  void changedColumnsUnderTheSameVersionAreRefused() {
    write(FIRST, rows("VIP", 3L, "Small", 7L));
    StructType wider = SCHEMA.add("avg_contribution", DataTypes.DoubleType);
    Dataset<Row> changed = spark.createDataFrame(List.of(RowFactory.create("VIP", 4L, 10.0)), wider);

    CatalogError error = assertThrows(CatalogError.class, () -> write(SECOND, changed));

    assertTrue(error.getMessage().contains("registry_test.tier_migrations is registered with columns (tier string, customers bigint, snapshot_date date)"), error.getMessage());
    assertTrue(error.getMessage().contains("raise its version"), error.getMessage());
  }

  @Test
  void aTableFromANewerJobVersionIsLeftAlone() {
    write(FIRST, rows("VIP", 3L, "Small", 7L));
    spark.sql("ALTER TABLE " + DATABASE + "." + TABLE + " SET TBLPROPERTIES ('" + TableRegistry.SCHEMA_VERSION_PROPERTY + "' = '99')");

    CatalogError error = assertThrows(CatalogError.class, () -> write(SECOND, rows("VIP", 4L, "Small", 9L)));

    assertTrue(error.getMessage().contains("has schema version 99, written by a newer customer-pyramid"), error.getMessage());
  }

  /** As a run publishes a table: written, then registered. */
  private void write(LocalDate snapshot, Dataset<Row> rows) {
    WrittenTable written = new TableWriter(output.toString(), snapshot).write(rows, TABLE);
    new TableRegistry(spark, DATABASE).register(written.table(), written.location(), written.schema(), written.snapshotDate());
  }

  private Dataset<Row> rows(String tier1, long customers1, String tier2, long customers2) {
    return spark.createDataFrame(List.of(RowFactory.create(tier1, customers1), RowFactory.create(tier2, customers2)), SCHEMA);
  }

  private List<String> partitions() {
    return spark.sql("SHOW PARTITIONS " + DATABASE + "." + TABLE).collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
  }

  private String property(String key) {
    return spark.sql("SHOW TBLPROPERTIES " + DATABASE + "." + TABLE + " ('" + key + "')").first().getString(1);
  }
}
