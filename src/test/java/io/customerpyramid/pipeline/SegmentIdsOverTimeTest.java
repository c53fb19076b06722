package io.customerpyramid.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.generate.GeneratorOptions;
import io.customerpyramid.generate.SyntheticDataGenerator;
import io.customerpyramid.pipeline.SnapshotDates.Step;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Tables;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's data over three month ends (a small drift: a month more of orders, a month more of
 * recency): every refit keeps the segment ids of the month before, the customers mostly stay in
 * their segment, and each snapshot publishes unique names and no segment under 1 %.
 */
class SegmentIdsOverTimeTest {

  private static final List<LocalDate> DATES =
      SnapshotDates.between(LocalDate.of(2026, 8, 31), LocalDate.of(2026, 10, 31), Step.MONTH);

  @TempDir static Path dir;
  private static SparkSession spark;
  private static List<RunResult> runs;
  private static String output;

  @BeforeAll
  static void backfillThreeMonths() {
    spark = SparkTestSession.get();
    String data = dir.resolve("data").toString();
    SyntheticDataGenerator.generate(
        spark, new GeneratorOptions(1500, 42, data, "csv", true, false, LocalDate.of(2026, 10, 31)));
    output = dir.resolve("output").toString();
    JobConfig config =
        Fixtures.config(
            "input.orders.path=" + data + "/orders.csv",
            "input.returns.path=" + data + "/returns.csv",
            "input.contacts.path=" + data + "/contacts.csv",
            "input.invoices.path=" + data + "/invoices.csv",
            "output.root=" + output,
            "catalog.enabled=false");
    runs = new Backfill(spark, config, Optional.empty()).run(DATES, line -> {});
  }

  private static Dataset<Row> table(String table, LocalDate date) {
    return spark.read().parquet(output + "/" + table).filter(col(Columns.SNAPSHOT_DATE).equalTo(java.sql.Date.valueOf(date)));
  }

  @Test
  void everyRefitKeepsTheIdsOfTheMonthBefore() {
    for (int i = 1; i < DATES.size(); i++) {
      String match =
          runs.get(i).segmentationNotes().stream().filter(n -> n.startsWith("segments matched to ")).findFirst().orElse("");
      assertTrue(match.startsWith("segments matched to " + DATES.get(i - 1) + "'s by centre"), DATES.get(i) + ": " + runs.get(i).segmentationNotes());
      assertFalse(match.contains("new:"), DATES.get(i) + ": every segment found its previous one: " + match);
      // Of the customers of the month before, most are in the segment with the same id now.
      Dataset<Row> moved = table(Tables.SEGMENT_MIGRATIONS, DATES.get(i));
      long before = moved.filter(col(Columns.FROM_SEGMENT).notEqual("(new)")).agg(org.apache.spark.sql.functions.sum(Columns.CUSTOMERS)).first().getLong(0);
      long stayed =
          moved.filter(col(Columns.FROM_SEGMENT).equalTo(col(Columns.TO_SEGMENT))).agg(org.apache.spark.sql.functions.sum(Columns.CUSTOMERS)).first().getLong(0);
      assertTrue(stayed >= 0.8 * before, DATES.get(i) + ": " + stayed + " of " + before + " customers kept their segment id");
    }
  }

  @Test
  void everySnapshotHasUniqueNamesAndNoSegmentUnderOnePercent() {
    for (LocalDate date : DATES) {
      List<Row> segments =
          table(Tables.SEGMENT_PROFILES, date).select(Columns.SEGMENT_ID, Columns.SEGMENT_NAME, Columns.CUSTOMER_SHARE).distinct().collectAsList();
      assertEquals(segments.size(), new HashSet<>(segments.stream().map(r -> r.getString(1)).toList()).size(), date + ": " + segments);
      for (Row segment : segments) {
        assertTrue(segment.getDouble(2) >= 0.01, date + ": " + segment);
      }
    }
  }
}
