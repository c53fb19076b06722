package io.customerpyramid.cli;

import static io.customerpyramid.testing.DataFrameAssertions.assertTableEquals;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerpyramid.schema.Tables;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.DocumentedSchemas;
import io.customerpyramid.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real entry point on the bundled data-samples: every table, row accounting, reruns, exit codes. */
class EndToEndTest {

  private static final String SNAPSHOT = "2026-11-01";
  private static final String EARLIER_SNAPSHOT = "2026-08-01";
  private static final List<String> INPUTS = List.of("orders", "returns", "contacts", "invoices");

  @TempDir static Path output;
  private static String firstRunSummary;
  private static String earlierRunSummary;
  private static SparkSession sessionBeforeTheRuns;

  @BeforeAll
  static void runTwoSnapshots() {
    sessionBeforeTheRuns = SparkTestSession.get();
    // The earlier snapshot runs first (the later one then has movement to report) and without two
    // optional inputs: one missing, one not configured.
    earlierRunSummary =
        runJob(EARLIER_SNAPSHOT, "--set", "input.contacts.path=" + output.resolve("no-contacts.csv"), "--set", "input.invoices.path=");
    firstRunSummary = runJob(SNAPSHOT);
  }

  private static String runJob(String snapshot, String... extraArgs) {
    // The shared session (and its catalog) serves the run; the Hive metastore path is SqlServerIT's.
    SparkTestSession.get();
    PrintStream originalOut = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int exit;
    try {
      List<String> args = new java.util.ArrayList<>(List.of("run", "--set", "output.root=" + output, "--set", "snapshot.date=" + snapshot));
      args.addAll(List.of(extraArgs));
      exit = SegmentCli.execute(args.toArray(String[]::new));
    } finally {
      System.setOut(originalOut);
    }
    String summary = captured.toString(StandardCharsets.UTF_8);
    assertEquals(ExitCodes.SUCCESS, exit, "run for " + snapshot + " failed:\n" + summary);
    return summary;
  }

  private static Dataset<Row> table(String name, String snapshot) {
    return spark().read().parquet(output.resolve(name).toString()).filter(col(Columns.SNAPSHOT_DATE).equalTo(Date.valueOf(snapshot)));
  }

  private static SparkSession spark() {
    return SparkTestSession.get();
  }

  private static JsonNode manifest(String snapshot) throws IOException {
    return new ObjectMapper()
        .readTree(output.resolve(Tables.MANIFESTS).resolve(Columns.SNAPSHOT_DATE + "=" + snapshot).resolve("manifest.json").toFile());
  }

  @Test
  void everyInputRowIsAcceptedOrRejectedAndTheRejectsTableHoldsTheRejected() throws IOException {
    JsonNode inputs = manifest(SNAPSHOT).get("inputs");
    long rejectedTotal = 0;
    for (String input : INPUTS) {
      JsonNode counts = inputs.get(input);
      long dataLines;
      try (Stream<String> lines = Files.lines(Path.of("data-samples", input + ".csv"))) {
        dataLines = lines.count() - 1;
      }
      assertEquals(dataLines, counts.get("read").asLong(), input + ": rows read = data lines of the file");
      assertEquals(
          counts.get("read").asLong(),
          counts.get("accepted").asLong() + counts.get("rejected").asLong() + counts.get("after_snapshot").asLong(),
          input + ": read = accepted + rejected + after_snapshot");
      assertTrue(counts.get("rejected").asLong() > 0, input + ": the sample has deliberately bad rows");
      assertEquals(
          counts.get("rejected").asLong(),
          table(Tables.REJECTS, SNAPSHOT).filter(col(Columns.INPUT).equalTo(input)).count(),
          input + ": one reject row per rejected row");
      rejectedTotal += counts.get("rejected").asLong();
    }
    assertEquals(rejectedTotal, table(Tables.REJECTS, SNAPSHOT).count());
    assertTrue(table(Tables.REJECTS, SNAPSHOT).filter(col(Columns.RAW_RECORD).isNull()).isEmpty(), "every reject keeps its raw row");
  }

  @Test
  void rowsOfLaterSnapshotsAreCountedApartAndRowsFromTheFutureAreRejected() {
    JsonNode latest = manifestInputs(SNAPSHOT);
    for (String input : List.of("orders", "returns", "contacts")) {
      assertEquals(0L, latest.get(input).get("after_snapshot").asLong(), input + ": nothing valid is dated after the latest order");
    }
    // Counted in invoices.csv: invoices due from 2026-11-01 on (the latest is due 2026-11-28).
    assertEquals(334L, latest.get("invoices").get("after_snapshot").asLong());
    // The generator's bad rows dated ten years after the data are after the run's clock.
    assertEquals(1L, latest.get("orders").get("rejected_by_reason").get("FUTURE_TIMESTAMP").asLong());
    assertEquals(1L, latest.get("contacts").get("rejected_by_reason").get("FUTURE_TIMESTAMP").asLong());

    JsonNode earlier = manifestInputs(EARLIER_SNAPSHOT);
    // Counted in the CSV files: rows with a valid timestamp from 2026-08-01 00:00 to 2026-10-31 and
    // no row-level fault (orders: the MISSING_CUSTOMER_ID and NON_NUMERIC_AMOUNT rows of 2026-10-01 excluded).
    assertEquals(3845L, earlier.get("orders").get("after_snapshot").asLong());
    assertEquals(335L, earlier.get("returns").get("after_snapshot").asLong());
    assertEquals(latest.get("orders").get("rejected_by_reason"), earlier.get("orders").get("rejected_by_reason"),
        "the orders' rejects do not depend on the snapshot");
    // The return of an unknown order is dated 2026-10-01: a reject of the snapshots that include it, not of this one.
    assertEquals(Set.of("NON_NUMERIC_AMOUNT", "UNPARSABLE_TIMESTAMP"), fieldNames(earlier.get("returns").get("rejected_by_reason")));
    assertTrue(latest.get("returns").get("rejected_by_reason").has("UNKNOWN_ORDER"));
    for (String snapshot : List.of(SNAPSHOT, EARLIER_SNAPSHOT)) {
      assertTrue(
          table(Tables.REJECTS, snapshot).filter(col(Columns.REJECT_REASON).equalTo("AFTER_SNAPSHOT")).isEmpty(),
          snapshot + ": rows of later snapshots are not in the rejects table");
    }
    assertTrue(earlierRunSummary.contains("after S"), earlierRunSummary);

    // The summary shows duplicates apart: read = accepted + rejected + duplicates + after S on the line.
    assertTrue(firstRunSummary.contains("read    accepted    rejected  duplicates     after S"), firstRunSummary);
    String ordersLine =
        firstRunSummary.lines().filter(line -> line.startsWith("  orders ")).findFirst().orElseThrow();
    String[] counts = ordersLine.trim().split("\\s+");
    long read = Long.parseLong(counts[1]);
    long duplicates = Long.parseLong(counts[4]);
    assertEquals(read, Long.parseLong(counts[2]) + Long.parseLong(counts[3]) + duplicates + Long.parseLong(counts[5]), ordersLine);
    assertEquals(latest.get("orders").get("rejected_by_reason").get("DUPLICATE_ROW").asLong(), duplicates, ordersLine);
    assertEquals(1L, duplicates, "the sample's one order line exported twice: " + ordersLine);
    assertFalse(ordersLine.contains("DUPLICATE_ROW"), "the reasons list explains the rejected column: " + ordersLine);
  }

  private static String manifestRunId(String snapshot) {
    try {
      return manifest(snapshot).get(Columns.RUN_ID).asText();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode manifestInputs(String snapshot) {
    try {
      return manifest(snapshot).get("inputs");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new java.util.HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void everyTableIsWrittenForTheSnapshotWithConsistentContents() throws IOException {
    long customers = table(Tables.CUSTOMER_FEATURES, SNAPSHOT).count();
    assertEquals(manifest(SNAPSHOT).get("customers").asLong(), customers);
    Dataset<Row> segments = table(Tables.CUSTOMER_SEGMENTS, SNAPSHOT);
    assertEquals(customers, segments.count(), "one customer_segments row per customer");
    assertEquals(customers, segments.select(Columns.CUSTOMER_ID).distinct().count(), "customer ids unique");
    for (String column : List.of(Columns.TIER, Columns.SEGMENT_ID, Columns.RFM_SEGMENT, Columns.LOYALTY_STAGE, Columns.QUALITY, Columns.PARETO_RANK)) {
      assertTrue(segments.filter(col(column).isNull()).isEmpty(), column + " is set for every customer");
    }
    assertEquals(Set.of("VIP", "Major", "Ordinary", "Small"), Set.copyOf(distinct(segments, Columns.TIER)));
    assertTrue(
        segments.filter(col(Columns.PARETO_MEASURE).leq(0).and(col(Columns.TIER).notEqual("Small"))).isEmpty(),
        "non-positive contributors are Small");

    int k = 6;
    assertEquals(k, segments.select(Columns.SEGMENT_ID).distinct().count());
    assertEquals((long) k * Columns.NUMERIC_FEATURES.size(), table(Tables.SEGMENT_PROFILES, SNAPSHOT).count());
    assertEquals(15, table(Tables.RFM_BINS, SNAPSHOT).count());
    long rfmCustomers =
        table(Tables.RFM_BINS, SNAPSHOT).filter(col(Columns.DIMENSION).equalTo("frequency")).agg(org.apache.spark.sql.functions.sum(Columns.CUSTOMERS)).first().getLong(0);
    assertEquals(customers, rfmCustomers, "every customer falls in exactly one frequency bin");

    List<Row> tiers = table(Tables.TIER_SUMMARY, SNAPSHOT).orderBy(Columns.TIER_RANK).collectAsList();
    assertEquals(4, tiers.size());
    assertEquals(customers, tiers.stream().mapToLong(r -> r.<Long>getAs(Columns.CUSTOMERS)).sum());
    double vipMeasureShare = tiers.get(0).getAs("measure_share");
    assertTrue(vipMeasureShare >= 0.5 && vipMeasureShare < 0.6, "VIP is the smallest set reaching 50%: " + vipMeasureShare);

    Dataset<Row> curve = table(Tables.PARETO_CURVE, SNAPSHOT);
    assertEquals(1001, curve.count(), "1,000 points and the origin");
    Row last = curve.orderBy(col(Columns.POINT).desc()).first();
    assertEquals(1.0, last.<Double>getAs(Columns.CUSTOMER_SHARE), 1e-12);
    assertEquals(1.0, last.<Double>getAs(Columns.CUMULATIVE_SHARE), 1e-9);

    JsonNode pareto = manifest(SNAPSHOT).get("pareto");
    assertTrue(pareto.get("topFifthShare").asDouble() > 0.5, "the sample is heavy-tailed: " + pareto);
    assertTrue(firstRunSummary.contains("top 20% of customers produce"), firstRunSummary);
    assertTrue(firstRunSummary.contains("snapshot " + SNAPSHOT), firstRunSummary);
  }

  /** The rerun scores with the model the first run saved: the same segments without refitting. */
  @Test
  void everyTableHasItsDocumentedSchemaVersion() throws IOException {
    for (String t : Tables.ALL) {
      DocumentedSchemas.assertDocumented(t, spark().read().parquet(output.resolve(t).toString()).schema());
    }
  }

  @Test
  void movementSinceTheEarlierSnapshotAccountsForEveryCustomer() {
    Dataset<Row> moves = table(Tables.TIER_MIGRATIONS, SNAPSHOT);
    long before = table(Tables.CUSTOMER_SEGMENTS, EARLIER_SNAPSHOT).count();
    long now = table(Tables.CUSTOMER_SEGMENTS, SNAPSHOT).count();
    long entered = moves.filter(col(Columns.FROM_TIER).equalTo("(new)")).agg(org.apache.spark.sql.functions.sum(Columns.CUSTOMERS)).first().getLong(0);
    long all = moves.agg(org.apache.spark.sql.functions.sum(Columns.CUSTOMERS)).first().getLong(0);
    Dataset<Row> joined =
        table(Tables.CUSTOMER_SEGMENTS, EARLIER_SNAPSHOT).select(Columns.CUSTOMER_ID)
            .join(table(Tables.CUSTOMER_SEGMENTS, SNAPSHOT).select(Columns.CUSTOMER_ID), Columns.CUSTOMER_ID);
    assertEquals(now - joined.count(), entered, "customers new since the earlier snapshot");
    assertEquals(before + now - joined.count(), all, "every customer of either snapshot once");
    assertEquals(java.sql.Date.valueOf(EARLIER_SNAPSHOT), moves.first().getAs(Columns.PREVIOUS_SNAPSHOT_DATE));
    assertTrue(table(Tables.TIER_MIGRATIONS, EARLIER_SNAPSHOT).isEmpty(), "the first snapshot has nothing to move from");
    assertTrue(firstRunSummary.contains("Since " + EARLIER_SNAPSHOT + ": "), firstRunSummary);
    assertTrue(earlierRunSummary.contains("Movement between snapshots: none yet"), earlierRunSummary);
  }

  @Test
  void rerunningASnapshotReplacesExactlyItsOwnPartitionsWithTheSameResults() {
    Map<String, Integer> segmentsBefore = segmentIds(SNAPSHOT);
    long earlierBefore = table(Tables.CUSTOMER_SEGMENTS, EARLIER_SNAPSHOT).count();
    Map<String, Long> countsBefore = new HashMap<>();
    for (String t : Tables.ALL) {
      countsBefore.put(t, table(t, SNAPSHOT).count());
    }
    // The snapshot's model directory: --model takes the published run's model in it.
    Path model = output.resolve(Tables.MODELS).resolve(Columns.SNAPSHOT_DATE + "=" + SNAPSHOT);
    Path publishedModel = model.resolve("run_id=" + manifestRunId(SNAPSHOT));
    assertTrue(Files.isDirectory(publishedModel.resolve("stages")), "the run saved its fitted model under " + publishedModel);
    Dataset<Row> moneyBefore = customerMoney(SNAPSHOT).cache();
    moneyBefore.count();
    Dataset<Row> tiersBefore = table(Tables.TIER_SUMMARY, SNAPSHOT).cache();
    tiersBefore.count();
    String firstRun = manifestRunId(SNAPSHOT);
    String rerun;
    try {
      // Another number of shuffle partitions than the first run's 4: money must not depend on it.
      rerun = runJob(SNAPSHOT, "--model", model.toString(), "--set", "spark.shuffle_partitions=2");
    } finally {
      spark().conf().set("spark.sql.shuffle.partitions", "4");
    }
    assertTrue(rerun.contains("snapshot " + SNAPSHOT), rerun);
    assertTableEquals(moneyBefore, customerMoney(SNAPSHOT), Columns.CUSTOMER_ID);
    assertTableEquals(tiersBefore, table(Tables.TIER_SUMMARY, SNAPSHOT), Columns.TIER);
    moneyBefore.unpersist();
    tiersBefore.unpersist();
    assertEquals(segmentsBefore, segmentIds(SNAPSHOT), "same data and the saved model: same segment per customer");
    for (String t : Tables.ALL) {
      assertEquals(countsBefore.get(t), table(t, SNAPSHOT).count(), t + ": rerun replaces, never appends");
    }
    assertEquals(earlierBefore, table(Tables.CUSTOMER_SEGMENTS, EARLIER_SNAPSHOT).count(), "the other snapshot is untouched");
    String secondRun = manifestRunId(SNAPSHOT);
    assertNotEquals(firstRun, secondRun, "the rerun is published in place of the first run");
    for (String t : Tables.ALL) {
      assertEquals(List.of(secondRun), table(t, SNAPSHOT).select(Columns.RUN_ID).distinct().as(Encoders.STRING()).collectAsList(),
          t + ": only the published run's directory is left");
    }
    assertTrue(earlierBefore < segmentsBefore.size(), "the earlier snapshot has fewer customers");
  }

  private static Dataset<Row> customerMoney(String snapshot) {
    return table(Tables.CUSTOMER_FEATURES, snapshot)
        .select(Columns.CUSTOMER_ID, Columns.REVENUE, Columns.RETURNS, Columns.NET_REVENUE, Columns.AVG_ORDER_VALUE,
            Columns.DISCOUNT_AMOUNT, Columns.COST_OF_GOODS, Columns.SERVICE_COST, Columns.BAD_DEBT, Columns.CONTRIBUTION);
  }

  @Test
  void moneyIsDecimalAndEveryIdentityAndTotalHoldsToTheCent() {
    Dataset<Row> features = table(Tables.CUSTOMER_FEATURES, SNAPSHOT);
    for (String money : List.of(Columns.REVENUE, Columns.NET_REVENUE, Columns.COST_OF_GOODS, Columns.CONTRIBUTION)) {
      assertEquals(Money.STORED, features.schema().apply(money).dataType(), money);
    }
    Column netRevenue = col(Columns.REVENUE).minus(col(Columns.RETURNS));
    Column contribution =
        col(Columns.NET_REVENUE).minus(col(Columns.COST_OF_GOODS)).minus(col(Columns.SERVICE_COST)).minus(col(Columns.BAD_DEBT));
    assertEquals(0, features.filter(col(Columns.NET_REVENUE).notEqual(netRevenue)).count(), "net_revenue = revenue - returns");
    assertEquals(0, features.filter(col(Columns.CONTRIBUTION).notEqual(contribution)).count(), "the contribution identity");

    // Tier and segment totals are the exact sums of the customer rows, and the tiers add up to the whole.
    Dataset<Row> customers = table(Tables.CUSTOMER_SEGMENTS, SNAPSHOT);
    Map<String, Row> byTier =
        Fixtures.byKey(
            customers.groupBy(Columns.TIER).agg(sum(Columns.REVENUE).as("r"), sum(Columns.NET_REVENUE).as("n"), sum(Columns.CONTRIBUTION).as("c")),
            Columns.TIER);
    BigDecimal tierContribution = BigDecimal.ZERO;
    for (Row tier : table(Tables.TIER_SUMMARY, SNAPSHOT).collectAsList()) {
      Row expected = byTier.get(tier.<String>getAs(Columns.TIER));
      BigDecimal revenue = expected == null ? BigDecimal.ZERO : expected.getDecimal(1);
      BigDecimal net = expected == null ? BigDecimal.ZERO : expected.getDecimal(2);
      BigDecimal contributionOfTier = expected == null ? BigDecimal.ZERO : expected.getDecimal(3);
      assertEquals(0, revenue.compareTo(tier.getAs(Columns.REVENUE)), "revenue of " + tier);
      assertEquals(0, net.compareTo(tier.getAs(Columns.NET_REVENUE)), "net revenue of " + tier);
      assertEquals(0, contributionOfTier.compareTo(tier.getAs(Columns.CONTRIBUTION)), "contribution of " + tier);
      tierContribution = tierContribution.add(tier.getAs(Columns.CONTRIBUTION));
    }
    BigDecimal total = features.agg(sum(Columns.CONTRIBUTION)).first().getDecimal(0);
    assertEquals(0, total.compareTo(tierContribution), "the four tiers add up to the customers' total contribution");
    Map<String, Row> bySegment =
        Fixtures.byKey(customers.groupBy(Columns.SEGMENT_ID).agg(sum(Columns.REVENUE).as("r"), sum(Columns.CONTRIBUTION).as("c")), Columns.SEGMENT_ID);
    for (Row profile : table(Tables.SEGMENT_PROFILES, SNAPSHOT).filter(col(Columns.FEATURE).equalTo(Columns.FREQUENCY)).collectAsList()) {
      Row expected = bySegment.get(String.valueOf(profile.<Object>getAs(Columns.SEGMENT_ID)));
      assertEquals(0, expected.getDecimal(1).compareTo(profile.getAs(Columns.REVENUE)), "revenue of segment " + profile);
      assertEquals(0, expected.getDecimal(2).compareTo(profile.getAs(Columns.CONTRIBUTION)), "contribution of segment " + profile);
    }
    // Movement: contribution now, summed over every move, is the snapshot's total.
    BigDecimal moved = table(Tables.TIER_MIGRATIONS, SNAPSHOT).agg(sum(Columns.CONTRIBUTION)).first().getDecimal(0);
    assertEquals(0, total.compareTo(moved), "tier_migrations' contribution adds up to the snapshot's");
  }

  @Test
  void missingOptionalInputsAreSkippedWithALineInTheSummary() throws IOException {
    assertTrue(earlierRunSummary.contains("contacts    (nothing found at " + output.resolve("no-contacts.csv")), earlierRunSummary);
    assertTrue(earlierRunSummary.contains("invoices    (not configured: its features are zero or null)"), earlierRunSummary);
    JsonNode inputs = manifest(EARLIER_SNAPSHOT).get("inputs");
    assertEquals(false, inputs.get("contacts").get("configured").asBoolean());
    assertEquals(0L, inputs.get("invoices").get("read").asLong());
    Dataset<Row> features = table(Tables.CUSTOMER_FEATURES, EARLIER_SNAPSHOT);
    assertTrue(features.filter(col(Columns.SERVICE_COST).notEqual(0.0)).isEmpty(), "no contacts: no service cost");
    assertTrue(features.filter(col(Columns.LATE_PAYMENT_RATE).isNotNull()).isEmpty(), "no invoices: no late payment rate");
    assertTrue(table(Tables.CUSTOMER_FEATURES, SNAPSHOT).filter(col(Columns.SERVICE_COST).gt(0.0)).count() > 0);
  }

  @Test
  void theCommandsUseTheRunningSessionAndLeaveItRunning() {
    assertTrue(!sessionBeforeTheRuns.sparkContext().isStopped(), "a session the command did not start is not stopped");
    assertTrue(sessionBeforeTheRuns == SparkTestSession.get(), "the runs used the session that was already running");
  }

  @Test
  void badConfigurationAndMissingInputEndWithTheirExitCodes() {
    assertEquals(ExitCodes.CONFIG_ERROR, SegmentCli.execute("run", "--set", "segmentation.kk=3"));
    assertEquals(ExitCodes.CONFIG_ERROR, SegmentCli.execute("run", "--set", "segmentation.k=1"));
    assertEquals(
        ExitCodes.INPUT_ERROR,
        SegmentCli.execute("run", "--set", "input.orders.path=" + output.resolve("no-such-file.csv"), "--set", "output.root=" + output.resolve("x")));
    assertEquals(ExitCodes.USAGE, SegmentCli.execute("run", "--no-such-option"));
  }

  private static Map<String, Integer> segmentIds(String snapshot) {
    Map<String, Integer> ids = new HashMap<>();
    for (Row row : table(Tables.CUSTOMER_SEGMENTS, snapshot).select(Columns.CUSTOMER_ID, Columns.SEGMENT_ID).collectAsList()) {
      ids.put(row.getString(0), row.getInt(1));
    }
    return ids;
  }

  private static List<String> distinct(Dataset<Row> frame, String column) {
    return frame.select(column).distinct().collectAsList().stream().map(r -> r.getString(0)).toList();
  }
}
