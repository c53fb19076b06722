package io.customerpyramid.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerpyramid.config.ConfigError;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.ingest.InputError;
import io.customerpyramid.schema.Tables;
import io.customerpyramid.pipeline.SnapshotDates.Step;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-snapshot backfill on a small order history: one partition per date, only data before each
 * date, no later rows among the rejects, idempotent reruns and no cached data left behind.
 */
class BackfillTest {

  private static final List<LocalDate> DATES =
      SnapshotDates.between(LocalDate.of(2024, 1, 31), LocalDate.of(2024, 3, 31), Step.MONTH);
  private static final int CUSTOMERS = 30;
  private static final LocalDateTime HISTORY_END = LocalDateTime.of(2024, 4, 20, 0, 0);

  @TempDir static Path dir;
  private static SparkSession spark;
  private static JobConfig config;
  /** Valid orders of the fixture: customer id and timestamp, for brute-force counts. */
  private static final List<Map.Entry<String, LocalDateTime>> ORDERS = new ArrayList<>();
  private static final List<LocalDateTime> CONTACTS = new ArrayList<>();
  private static final List<String> BAD_ORDER_LINES = new ArrayList<>();
  private static int persistentRddsBefore;
  private static final List<Integer> persistentRddsAfterEachSnapshot = new ArrayList<>();
  private static int persistentRddsAfterTheBackfill;
  /** The input files, moved away while the snapshots after the first ran: these read only what the first one read. */
  private static final List<Path> INPUT_FILES = new ArrayList<>();
  private static final List<String> SNAPSHOTS_RUN_WITHOUT_THE_FILES = new ArrayList<>();
  private static List<RunResult> firstRun;
  private static Map<String, Long> rowCountsAfterFirstRun;

  @BeforeAll
  static void backfillThreeSnapshots() {
    spark = SparkTestSession.get();
    for (String file : List.of(writeOrders(), writeReturns(), writeContacts())) {
      INPUT_FILES.add(Path.of(file));
    }
    config =
        Fixtures.config(
            "input.orders.path=" + INPUT_FILES.get(0),
            "input.returns.path=" + INPUT_FILES.get(1),
            "input.contacts.path=" + INPUT_FILES.get(2),
            "input.invoices.path=",
            "output.root=" + dir.resolve("output"),
            // Catalog registration is EndToEndTest's and SqlServerIT's to test; here it would only cost time.
            "catalog.enabled=false",
            "segmentation.k=3");
    persistentRddsBefore = spark.sparkContext().getPersistentRDDs().size();
    try {
      firstRun =
          new Backfill(spark, config, Optional.empty())
              .run(DATES, line -> {
                if (line.contains(" done in ")) {
                  persistentRddsAfterEachSnapshot.add(spark.sparkContext().getPersistentRDDs().size());
                  moveTheInputFiles(".away");
                } else if (line.endsWith(" ...") && Files.notExists(INPUT_FILES.get(0))) {
                  SNAPSHOTS_RUN_WITHOUT_THE_FILES.add(line);
                }
              });
    } finally {
      moveTheInputFilesBack(".away");
    }
    persistentRddsAfterTheBackfill = spark.sparkContext().getPersistentRDDs().size();
    rowCountsAfterFirstRun = rowCountsByTableAndDate();
  }

  private static void moveTheInputFiles(String suffix) {
    for (Path file : INPUT_FILES) {
      Path away = file.resolveSibling(file.getFileName() + suffix);
      if (Files.exists(file)) {
        uncheckedMove(file, away);
      }
    }
  }

  private static void moveTheInputFilesBack(String suffix) {
    for (Path file : INPUT_FILES) {
      Path away = file.resolveSibling(file.getFileName() + suffix);
      if (Files.exists(away)) {
        uncheckedMove(away, file);
      }
    }
  }

  private static void uncheckedMove(Path from, Path to) {
    try {
      Files.move(from, to);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ---- fixture

  private static String ts(LocalDateTime t) {
    return t.toString().replace('T', ' ') + (t.getSecond() == 0 ? ":00" : "");
  }

  /** c01 by hand; c02..c30 start 3 days apart from 2024-01-04 and order every 5 to 8 days until 2024-04-20. */
  private static String writeOrders() {
    List<String> lines = new ArrayList<>();
    lines.add("order_id,customer_id,order_ts,amount,discount,cost_of_goods");
    int order = 0;
    for (String t : List.of("2024-01-05T10:00", "2024-01-20T10:00", "2024-02-10T10:00", "2024-03-30T23:59:59",
        "2024-03-31T00:00", "2024-04-15T10:00")) {
      LocalDateTime at = LocalDateTime.parse(t);
      lines.add(String.format(Locale.ROOT, "o%04d,c01,%s,%d,,", ++order, ts(at), 150 + order));
      ORDERS.add(Map.entry("c01", at));
    }
    for (int c = 2; c <= CUSTOMERS; c++) {
      String customer = String.format(Locale.ROOT, "c%02d", c);
      for (LocalDateTime at = LocalDateTime.of(2024, 1, 1, 9, 0).plusDays(3L * c);
          at.isBefore(HISTORY_END);
          at = at.plusDays(5 + c % 4)) {
        lines.add(String.format(Locale.ROOT, "o%04d,%s,%s,%d,,", ++order, customer, ts(at), 10 + (c * 37) % 200 + order % 7));
        ORDERS.add(Map.entry(customer, at));
      }
    }
    BAD_ORDER_LINES.add("o9001,c02,2024-01-10 10:00:00,ten,,");
    BAD_ORDER_LINES.add("o9002,c02,2099-01-01 10:00:00,10,,");
    lines.addAll(BAD_ORDER_LINES);
    return Fixtures.csv(dir, "orders.csv", lines.toArray(String[]::new));
  }

  /** One refund per customer two days after the first order, found through the order id only. */
  private static String writeReturns() {
    List<String> lines = new ArrayList<>();
    lines.add("order_id,customer_id,return_ts,refund_amount");
    Set<String> seen = new HashSet<>();
    int order = 0;
    for (Map.Entry<String, LocalDateTime> o : ORDERS) {
      order++;
      if (seen.add(o.getKey())) {
        lines.add(String.format(Locale.ROOT, "o%04d,,%s,5", order, ts(o.getValue().plusDays(2))));
      }
    }
    return Fixtures.csv(dir, "returns.csv", lines.toArray(String[]::new));
  }

  /** One complaint per customer a day after the first order. */
  private static String writeContacts() {
    List<String> lines = new ArrayList<>();
    lines.add("customer_id,contact_ts,contact_type,handling_cost");
    Set<String> seen = new HashSet<>();
    for (Map.Entry<String, LocalDateTime> o : ORDERS) {
      if (seen.add(o.getKey())) {
        LocalDateTime at = o.getValue().plusDays(1);
        lines.add(o.getKey() + "," + ts(at) + ",complaint,");
        CONTACTS.add(at);
      }
    }
    return Fixtures.csv(dir, "contacts.csv", lines.toArray(String[]::new));
  }

  // ---- helpers

  private static Dataset<Row> table(String name) {
    return spark.read().parquet(dir.resolve("output").resolve(name).toString());
  }

  private static Dataset<Row> table(String name, LocalDate date) {
    return table(name).filter(col(Columns.SNAPSHOT_DATE).equalTo(Date.valueOf(date)));
  }

  private static Map<String, Long> rowCountsByTableAndDate() {
    Map<String, Long> counts = new HashMap<>();
    for (String t : Tables.ALL) {
      for (Row row : table(t).groupBy(Columns.SNAPSHOT_DATE).count().collectAsList()) {
        counts.put(t + "@" + row.getDate(0), row.getLong(1));
      }
    }
    return counts;
  }

  private static Set<String> partitionDirectories(String table) throws IOException {
    try (Stream<Path> entries = Files.list(dir.resolve("output").resolve(table))) {
      return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(Columns.SNAPSHOT_DATE + "=")).collect(
          java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }

  private static Set<String> expectedPartitions() {
    Set<String> names = new TreeSet<>();
    DATES.forEach(d -> names.add(Columns.SNAPSHOT_DATE + "=" + d));
    return names;
  }

  private static JsonNode manifestInputs(LocalDate date) throws IOException {
    Path file = dir.resolve("output").resolve(Tables.MANIFESTS).resolve(Columns.SNAPSHOT_DATE + "=" + date).resolve("manifest.json");
    return new ObjectMapper().readTree(file.toFile()).get("inputs");
  }

  // ---- tests

  @Test
  void datesStepByMonthEndsAndEachSnapshotHasOnePartitionPerTable() throws IOException {
    assertEquals(List.of(LocalDate.of(2024, 1, 31), LocalDate.of(2024, 2, 29), LocalDate.of(2024, 3, 31)), DATES);
    assertEquals(DATES, firstRun.stream().map(RunResult::snapshotDate).toList(), "oldest first");
    for (String t : List.of(Tables.CUSTOMER_SEGMENTS, Tables.CUSTOMER_FEATURES, Tables.TIER_SUMMARY, Tables.REJECTS)) {
      assertEquals(expectedPartitions(), partitionDirectories(t), t);
    }
  }

  @Test
  void eachSnapshotHasTheCustomersWithAnOrderBeforeItsDate() {
    for (int i = 0; i < DATES.size(); i++) {
      LocalDateTime start = DATES.get(i).atStartOfDay();
      long expected = ORDERS.stream().filter(o -> o.getValue().isBefore(start)).map(Map.Entry::getKey).distinct().count();
      assertEquals(expected, table(Tables.CUSTOMER_SEGMENTS, DATES.get(i)).count(), "customers at " + DATES.get(i));
      assertEquals(expected, firstRun.get(i).customers());
    }
    // The fixture grows: customers start every 3 days.
    assertTrue(firstRun.get(0).customers() < firstRun.get(1).customers() && firstRun.get(1).customers() < firstRun.get(2).customers());
  }

  @Test
  void noOrderOnOrAfterASnapshotDateIsUsed() {
    // c01 ordered on 01-05, 01-20, 02-10, 03-30 23:59:59, 03-31 00:00 and 04-15.
    Map<LocalDate, Long> expected = Map.of(DATES.get(0), 2L, DATES.get(1), 3L, DATES.get(2), 4L);
    for (LocalDate date : DATES) {
      Row c01 = table(Tables.CUSTOMER_FEATURES, date).filter(col(Columns.CUSTOMER_ID).equalTo("c01")).first();
      assertEquals(expected.get(date), ((Number) c01.getAs(Columns.FREQUENCY)).longValue(), "frequency of c01 at " + date);
    }
    Row last = table(Tables.CUSTOMER_FEATURES, DATES.get(2)).filter(col(Columns.CUSTOMER_ID).equalTo("c01")).first();
    assertEquals(Date.valueOf("2024-03-30"), last.getAs(Columns.LAST_ORDER_DATE));
  }

  @Test
  void laterRowsAreCountedApartAndNeverRejected() throws IOException {
    Set<String> badOrders = Set.of("o9001", "o9002");
    for (LocalDate date : DATES) {
      Dataset<Row> rejects = table(Tables.REJECTS, date);
      Map<String, Long> byReason = new HashMap<>();
      for (Row row : rejects.collectAsList()) {
        byReason.merge(row.getAs(Columns.INPUT) + ":" + row.getAs(Columns.REJECT_REASON), 1L, Long::sum);
        String raw = row.getAs(Columns.RAW_RECORD);
        assertTrue(badOrders.stream().anyMatch(raw::contains), date + ": only the two bad orders are rejects, not " + raw);
      }
      assertEquals(Map.of("orders:NON_NUMERIC_AMOUNT", 1L, "orders:FUTURE_TIMESTAMP", 1L), byReason, date.toString());

      LocalDateTime start = date.atStartOfDay();
      JsonNode inputs = manifestInputs(date);
      long laterOrders = ORDERS.stream().filter(o -> !o.getValue().isBefore(start)).count();
      long laterContacts = CONTACTS.stream().filter(t -> !t.isBefore(start)).count();
      assertEquals(laterOrders, inputs.get("orders").get("after_snapshot").asLong(), "orders after " + date);
      assertEquals(ORDERS.size() - laterOrders, inputs.get("orders").get("accepted").asLong(), "orders before " + date);
      assertEquals(laterContacts, inputs.get("contacts").get("after_snapshot").asLong(), "contacts after " + date);
      assertEquals(CONTACTS.size() - laterContacts, inputs.get("contacts").get("accepted").asLong(), "contacts before " + date);
      for (String input : List.of("orders", "returns", "contacts")) {
        JsonNode c = inputs.get(input);
        assertEquals(
            c.get("read").asLong(), c.get("accepted").asLong() + c.get("rejected").asLong() + c.get("after_snapshot").asLong(),
            input + " at " + date + ": read = accepted + rejected + after_snapshot");
      }
    }
    assertTrue(manifestInputs(DATES.get(0)).get("contacts").get("after_snapshot").asLong() > 10, "the fixture has later customers");
  }

  @Test
  void runningTheBackfillAgainReplacesTheSamePartitions() throws IOException {
    // The middle snapshot again: its partitions are replaced, its neighbours' left as they were.
    new Backfill(spark, config, Optional.empty()).run(DATES.subList(1, 2), line -> {});
    assertEquals(rowCountsAfterFirstRun, rowCountsByTableAndDate(), "same rows per table and snapshot, none appended");
    assertEquals(expectedPartitions(), partitionDirectories(Tables.CUSTOMER_SEGMENTS), "no extra partitions");
  }

  @Test
  void eachInputIsReadOnceForAllTheSnapshots() throws IOException {
    // The files were gone while the second and third snapshots ran; they still counted every row of them.
    assertEquals(List.of("snapshot 2/3: " + DATES.get(1) + " ...", "snapshot 3/3: " + DATES.get(2) + " ..."), SNAPSHOTS_RUN_WITHOUT_THE_FILES);
    for (LocalDate date : DATES) {
      JsonNode inputs = manifestInputs(date);
      for (int i = 0; i < INPUT_FILES.size(); i++) {
        String input = List.of("orders", "returns", "contacts").get(i);
        assertEquals(Files.readAllLines(INPUT_FILES.get(i)).size() - 1, inputs.get(input).get("read").asLong(), input + " read at " + date);
      }
    }
  }

  @Test
  void theSnapshotsLeaveOnlyTheSharedInputsCachedAndTheBackfillReleasesThem() {
    // Orders, returns and contacts (invoices are not configured) stay cached from one snapshot to the next.
    int shared = 3;
    assertEquals(List.of(persistentRddsBefore + shared, persistentRddsBefore + shared, persistentRddsBefore + shared),
        persistentRddsAfterEachSnapshot, "persistent RDDs after each snapshot");
    assertEquals(persistentRddsBefore, persistentRddsAfterTheBackfill, "persistent RDDs after the backfill");
  }

  @Test
  void aSnapshotDateBeforeTheFirstOrderIsAnInputErrorNamingTheFirstOrder() {
    InputError error =
        assertThrows(InputError.class, () -> new Backfill(spark, config, Optional.empty()).run(List.of(LocalDate.of(2024, 1, 5)), line -> {}));
    assertTrue(error.getMessage().contains("no valid order is dated before the snapshot date 2024-01-05"), error.getMessage());
    assertTrue(error.getMessage().contains("the first one is on 2024-01-05"), error.getMessage());
    assertTrue(Files.notExists(dir.resolve("output").resolve(Tables.CUSTOMER_SEGMENTS).resolve(Columns.SNAPSHOT_DATE + "=2024-01-05")));
    assertEquals(persistentRddsBefore, spark.sparkContext().getPersistentRDDs().size(), "a failed backfill releases the inputs it read");
  }

  @Test
  void aConfiguredSnapshotDateIsRejected() {
    ConfigError error =
        assertThrows(ConfigError.class, () -> new Backfill(spark, config.withSnapshotDate(LocalDate.of(2024, 2, 1)), Optional.empty()));
    assertTrue(error.getMessage().contains("snapshot.date is set (2024-02-01)"), error.getMessage());
    assertTrue(error.getMessage().contains("--set snapshot.date="), error.getMessage());
  }

  @Test
  void eachLaterSnapshotKeepsTheSegmentIdsOfTheOneBefore() {
    assertTrue(firstRun.get(0).segmentationNotes().stream().noneMatch(n -> n.startsWith("segments matched")),
        "the first snapshot numbers by contribution: " + firstRun.get(0).segmentationNotes());
    String output = dir.resolve("output").toString();
    for (int i = 1; i < DATES.size(); i++) {
      String previous = DATES.get(i - 1).toString();
      List<String> notes = firstRun.get(i).segmentationNotes();
      assertTrue(notes.stream().anyMatch(n -> n.startsWith("segments matched to " + previous + "'s by centre") && !n.contains(": none")),
          DATES.get(i) + ": " + notes);
      // segment_migrations against the snapshot before: every customer of either snapshot once.
      Dataset<Row> migrations = spark.read().parquet(output + "/" + Tables.SEGMENT_MIGRATIONS)
          .filter(functions.col(Columns.SNAPSHOT_DATE).equalTo(functions.lit(DATES.get(i).toString())));
      long moved = migrations.agg(functions.sum(Columns.CUSTOMERS)).first().getLong(0);
      Dataset<Row> segments = spark.read().parquet(output + "/" + Tables.CUSTOMER_SEGMENTS).select(Columns.SNAPSHOT_DATE, Columns.CUSTOMER_ID);
      long either = segments.filter(functions.col(Columns.SNAPSHOT_DATE).isin(previous, DATES.get(i).toString()))
          .select(Columns.CUSTOMER_ID).distinct().count();
      assertEquals(either, moved, DATES.get(i) + ": segment_migrations covers every customer of both snapshots");
      assertEquals(previous, migrations.select(Columns.PREVIOUS_SNAPSHOT_DATE).distinct().first().get(0).toString());
    }
  }

  @Test
  void theSummaryTableHasOneLinePerSnapshotWithTierCounts() {
    String table = Backfill.table(firstRun);
    List<String> lines = table.lines().toList();
    assertEquals(1 + DATES.size(), lines.size(), table);
    assertTrue(lines.get(0).contains("top 20% share of contribution") && lines.get(0).contains("Ordinary"), table);
    for (int i = 0; i < DATES.size(); i++) {
      RunResult r = firstRun.get(i);
      assertTrue(lines.get(i + 1).startsWith(DATES.get(i) + "  "), lines.get(i + 1));
      long tierTotal = r.tierRows().stream().mapToLong(RunResult.TierLine::customers).sum();
      assertEquals(r.customers(), tierTotal);
      assertTrue(lines.get(i + 1).contains(String.valueOf(r.customers())), lines.get(i + 1));
    }
  }
}
