package io.customerpyramid.catalog;

import static io.customerpyramid.catalog.SqlServerQueries.SHARE_TOLERANCE;
import static io.customerpyramid.catalog.SqlServerQueries.assertRowsEqual;
import static io.customerpyramid.catalog.SqlServerQueries.documentedQueries;
import static io.customerpyramid.catalog.SqlServerQueries.hiveArray;
import static io.customerpyramid.catalog.SqlServerQueries.query;
import static io.customerpyramid.testing.Processes.deleteRecursively;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.customerpyramid.cli.ExitCodes;
import io.customerpyramid.migrations.Migrations;
import io.customerpyramid.serve.UsersFile;
import io.customerpyramid.testing.KeyStores;
import io.customerpyramid.testing.SegmentLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The BI path end to end, as docs/bi.md tells an analyst to walk it: jobs/segment backfill on the
 * bundled samples (two month-end snapshots, registered in the embedded Hive metastore), then
 * jobs/segment serve, then the documented example queries through the Hive JDBC driver over the
 * HiveServer2 protocol. Every answer is checked against the job's Parquet output, read directly and
 * recomputed here without SQL. Run by maven-failsafe in {@code mvn verify}.
 */
class SqlServerIT {

  private static final Path WORK = SegmentLauncher.BUILD.resolve("sql-it");
  private static final Path OUTPUT = WORK.resolve("output");
  private static final List<String> SNAPSHOTS = List.of("2026-09-30", "2026-10-31");
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration SERVER_START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(60);
  private static final double MONEY_TOLERANCE = 0.011;

  private static final String USER = "analyst";
  private static final String PASSWORD = "a long pass phrase";

  private static SegmentLauncher segment;
  private static KeyStores tls;
  private static Process server;
  private static int port;
  private static Map<String, String> queries;
  private static SparkSession spark;

  @BeforeAll
  static void runTheJobAndStartTheServer() throws Exception {
    deleteRecursively(WORK);
    Files.createDirectories(WORK);
    queries = documentedQueries();
    segment = new SegmentLauncher(WORK);
    String root = "output.root=" + OUTPUT;
    // One process for both month-ends (a run per snapshot is EndToEndTest's and the other ITs').
    assertEquals(ExitCodes.SUCCESS,
        segment.run("backfill.log", JOB_TIMEOUT, "backfill", "--from", SNAPSHOTS.get(0), "--to", SNAPSHOTS.get(SNAPSHOTS.size() - 1), "--every", "month", "--set", root,
            "--set", "clv.enabled=true"));

    // As docs/bi.md sets a server up for a team: a user added with serve-users, password login, TLS.
    Path users = WORK.resolve("serve-users");
    assertEquals(ExitCodes.SUCCESS,
        segment.runWithInput("serve-users.log", JOB_TIMEOUT, PASSWORD + "\n", "serve-users", "add", USER, "--users-file", users.toString(),
            "--iterations", Integer.toString(UsersFile.MIN_ITERATIONS), "--password-stdin"));
    tls = KeyStores.generate(WORK.resolve("tls"), "keystore-secret");
    segment.withEnvironment("SERVE_KEYSTORE_PASSWORD", tls.password());
    SegmentLauncher.Server started =
        segment.startServer("serve.log", "JDBC URL:", SERVER_START_TIMEOUT, free -> new String[] {"serve", "--port", Integer.toString(free),
            "--set", root, "--set", "serve.login=password", "--set", "serve.users_file=" + users, "--set", "serve.tls.keystore=" + tls.keystore()});
    server = started.process();
    port = started.port();

    spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("sql-it-expected")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate();
  }

  @AfterAll
  static void stopEverything() {
    if (segment != null) {
      segment.close();
    }
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void everyTableIsAViewShowingThePublishedRunOfEachSnapshot() throws Exception {
    try (Connection c = connect()) {
      List<String> names = query(c, "SHOW TABLES").stream().map(row -> (String) row.get(1)).sorted().toList();
      assertEquals(
          List.of("clv_model", "clv_targets", "clv_tier_matrix", "customer_clv", "customer_features", "customer_segments",
              "loyalty_migrations", "pareto_curve", "rejects", "rfm_bins", "segment_migrations", "segment_profiles",
              "tier_migrations", "tier_summary"),
          names);
      for (String table : names) {
        List<String> runs = query(c, "SELECT snapshot_date, run_id, count(*) FROM " + table + " GROUP BY snapshot_date, run_id ORDER BY 1")
            .stream().map(row -> row.get(0) + " " + row.get(1) + " " + row.get(2)).toList();
        List<String> expected = new ArrayList<>();
        for (String date : SNAPSHOTS) {
          long rows = table(table).filter(col("snapshot_date").equalTo(date)).count();
          // The first snapshot has no earlier one to move from: its migrations have no rows.
          if (rows > 0) {
            expected.add(date + " " + publishedRun(date) + " " + rows);
          }
        }
        assertEquals(expected, runs, table + ": one run per snapshot, the one its manifest names");
      }
    }
  }

  private static String publishedRun(String date) throws java.io.IOException {
    Path manifest = OUTPUT.resolve("_manifests/snapshot_date=" + date + "/manifest.json");
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest.toFile()).get("run_id").asText();
  }

  @Test
  void tierDistributionOverTime() throws SQLException {
    List<List<Object>> answer = run("tier_distribution_over_time");
    List<List<Object>> expected = new ArrayList<>();
    for (Row r : table("tier_summary").orderBy("snapshot_date", "tier_rank").collectAsList()) {
      expected.add(List.of(r.getAs("snapshot_date").toString(), r.getAs("tier"), r.getAs("customers"),
          r.getAs("customer_share"), r.getAs("contribution_share"), r.getAs("avg_contribution")));
    }
    assertEquals(SNAPSHOTS.size() * 4, expected.size());
    assertRowsEqual(expected, answer);
  }

  @Test
  void topVipsOfTheLatestSnapshot() throws SQLException {
    List<List<Object>> answer = run("top_vips");
    List<List<Object>> expected = new ArrayList<>();
    for (Row r : latest("customer_segments").filter(col("tier").equalTo("VIP")).orderBy("pareto_rank").limit(20).collectAsList()) {
      expected.add(List.of(r.getAs("customer_id"), r.getAs("pareto_rank"), r.getAs("contribution"), r.getAs("net_revenue"),
          r.getAs("frequency"), r.getAs("rfm_segment"), r.getAs("tier_strategy")));
    }
    assertEquals(20, expected.size());
    assertRowsEqual(expected, answer);
  }

  @Test
  void abandonmentCandidatesOfTheLatestSnapshot() throws SQLException {
    List<List<Object>> answer = run("abandonment_candidates");
    Dataset<Row> candidates = latest("customer_segments").filter(col("abandonment_candidate"));
    List<List<Object>> expected = new ArrayList<>();
    for (Row r : candidates.orderBy("contribution", "customer_id").collectAsList()) {
      expected.add(List.of(r.getAs("customer_id"), r.getAs("contribution"), r.getAs("service_cost"), r.getAs("bad_debt"),
          hiveArray(r.getList(r.fieldIndex("quality_reasons"))), r.getAs("loyalty_stage")));
    }
    long inSummary =
        latest("tier_summary").agg(org.apache.spark.sql.functions.sum("abandonment_candidates")).first().getLong(0);
    assertTrue(inSummary > 0, "the samples have abandonment candidates");
    assertEquals(inSummary, answer.size());
    assertRowsEqual(expected, answer);
  }

  @Test
  void developmentTargetsOfTheLatestSnapshot() throws SQLException {
    List<List<Object>> answer = run("development_targets");
    List<List<Object>> expected = new ArrayList<>();
    for (Row r : latest("clv_targets").orderBy("forward_rank").limit(50).collectAsList()) {
      expected.add(List.of(r.getAs("customer_id"), r.getAs("tier"), r.getAs("forward_tier"), r.getAs("p_alive"),
          r.getAs("predicted_clv"), r.getAs("target_reason")));
    }
    assertEquals(50, expected.size(), "the samples have at least 50 development targets");
    assertRowsEqual(expected, answer);
  }

  @Test
  void paretoHeadlinePerSnapshot() throws SQLException {
    List<List<Object>> answer = run("pareto_headline");
    List<List<Object>> expected = new ArrayList<>();
    for (String date : SNAPSHOTS) {
      // Brute force: walk the customers best first.
      List<Row> ranked =
          table("customer_segments").filter(col("snapshot_date").equalTo(date)).orderBy("pareto_rank")
              .select("customer_percentile", "cumulative_share").collectAsList();
      Double making80 = null;
      Double top20 = null;
      for (Row r : ranked) {
        double percentile = r.getDouble(0);
        double cumulative = r.getDouble(1);
        if (making80 == null && cumulative >= 0.8) {
          making80 = percentile;
        }
        if (percentile <= 0.2) {
          top20 = cumulative;
        }
      }
      expected.add(java.util.Arrays.asList(date, making80, top20, (long) ranked.size()));
    }
    assertRowsEqual(expected, answer);
  }

  @Test
  void tierMigrationSinceThePreviousSnapshot() throws SQLException {
    List<List<Object>> answer = run("tier_migration");
    String previous = SNAPSHOTS.get(SNAPSHOTS.size() - 2);
    String latest = SNAPSHOTS.get(SNAPSHOTS.size() - 1);
    Map<String, double[]> pairs = bruteForceMoves(previous, latest, "tier");
    assertEquals(pairs.size(), answer.size());
    Map<String, Long> fromCustomers = new TreeMap<>();
    pairs.forEach((pair, v) -> fromCustomers.merge(pair.split("->")[0], (long) v[0], Long::sum));
    for (List<Object> row : answer) {
      assertEquals(latest, row.get(0).toString());
      assertEquals(previous, row.get(1).toString());
      String pair = row.get(2) + "->" + row.get(3);
      double[] expected = pairs.get(pair);
      assertTrue(expected != null, "unexpected pair " + pair);
      assertEquals((long) expected[0], ((Number) row.get(4)).longValue(), pair);
      if (Migrations.ENTERED.equals(row.get(2))) {
        assertEquals(null, row.get(5), pair);
      } else {
        assertEquals(expected[0] / fromCustomers.get((String) row.get(2)), ((Number) row.get(5)).doubleValue(), SHARE_TOLERANCE, pair);
      }
      assertEquals(expected[1], ((Number) row.get(6)).doubleValue(), MONEY_TOLERANCE, pair);
      assertEquals(expected[2], ((Number) row.get(7)).doubleValue(), MONEY_TOLERANCE, pair);
    }
    assertTrue(pairs.keySet().stream().anyMatch(p -> p.startsWith(Migrations.ENTERED)), "the samples gain customers each month");
  }

  @Test
  void loyaltyConversionPerSnapshot() throws SQLException {
    List<List<Object>> answer = run("loyalty_conversion");
    List<List<Object>> expected = new ArrayList<>();
    for (int i = 1; i < SNAPSHOTS.size(); i++) {
      Map<String, double[]> pairs = bruteForceMoves(SNAPSHOTS.get(i - 1), SNAPSHOTS.get(i), "loyalty_stage");
      Map<String, Long> fromCustomers = new TreeMap<>();
      pairs.forEach((pair, v) -> fromCustomers.merge(pair.split("->")[0], (long) v[0], Long::sum));
      for (String[] step : List.of(new String[] {"new", "regular"}, new String[] {"regular", "loyal"})) {
        double[] moved = pairs.get(step[0] + "->" + step[1]);
        if (moved != null) {
          expected.add(List.of(SNAPSHOTS.get(i), step[0], step[1], (long) moved[0], moved[0] / fromCustomers.get(step[0])));
        }
      }
    }
    assertFalse(expected.isEmpty(), "the samples have customers moving up the loyalty ladder");
    assertRowsEqual(expected, answer);
  }

  @Test
  void aRunWhileTheServerHoldsTheEmbeddedMetastoreStopsWithAClearMessage() throws Exception {
    int exit = segment.run("run-while-serving.log", JOB_TIMEOUT, "run", "--set", "output.root=" + OUTPUT);
    assertEquals(ExitCodes.RUNTIME_FAILURE, exit);
    String text = segment.log("run-while-serving.log");
    assertTrue(text.contains("Catalog error: The embedded metastore") && text.contains("is in use by another process"), text);
  }

  /** The attack list of issue 11, over the Hive JDBC driver: each statement refused, nothing changed, the server up. */
  @Test
  void theServerIsReadOnlyAndNoStatementReachesTheHost() throws Exception {
    Path marker = WORK.resolve("marker");
    Files.createDirectories(marker);
    Files.writeString(marker.resolve("keep.txt"), "keep");
    Path jar = WORK.resolve("evil.jar");
    Files.write(jar, new byte[] {'P', 'K', 5, 6});
    Map<String, String> attacks = new LinkedHashMap<>();
    attacks.put("SELECT * FROM csv.`/etc/passwd`", "TABLE_OR_VIEW_NOT_FOUND");
    attacks.put("SELECT * FROM parquet.`" + OUTPUT.resolve("customer_segments") + "`", "TABLE_OR_VIEW_NOT_FOUND");
    // The tables BI sees are views; the data lives in the tables of customer_pyramid_runs, so the writes aim there.
    attacks.put("LOAD DATA LOCAL INPATH '/etc/passwd' INTO TABLE customer_pyramid_runs.rejects", "read-only: LOAD DATA is not allowed");
    attacks.put("INSERT OVERWRITE DIRECTORY '" + marker + "' USING csv SELECT 1", "read-only: INSERT OVERWRITE DIRECTORY is not allowed");
    attacks.put("ADD JAR " + jar, "read-only: ADD JAR is not allowed");
    attacks.put("CREATE TEMPORARY FUNCTION sh AS 'org.example.Shell'", "read-only: CREATE FUNCTION is not allowed");
    attacks.put("SELECT java_method('java.lang.System', 'exit', 3)", "read-only: java_method and reflect are not allowed");
    attacks.put("SELECT reflect('java.lang.Thread', 'sleep', 100000L)", "read-only: java_method and reflect are not allowed");
    attacks.put("SELECT TRANSFORM(customer_id) USING 'id' FROM customer_segments", "read-only: TRANSFORM");
    attacks.put("INSERT INTO customer_pyramid_runs.tier_summary SELECT * FROM customer_pyramid_runs.tier_summary", "read-only: INSERT is not allowed");
    attacks.put("CREATE TABLE copy AS SELECT * FROM customer_segments", "read-only: CREATE TABLE is not allowed");
    attacks.put("DROP TABLE customer_pyramid_runs.customer_segments", "read-only: DROP TABLE is not allowed");
    attacks.put("DROP VIEW customer_segments", "read-only: DROP");
    attacks.put("CREATE OR REPLACE VIEW tier_summary AS SELECT 1 AS x", "read-only: CREATE");
    attacks.put("ALTER TABLE customer_pyramid_runs.customer_segments RENAME TO gone", "read-only: ALTER TABLE is not allowed");
    attacks.put("ALTER TABLE customer_pyramid_runs.published_runs DROP PARTITION (snapshot_date='" + SNAPSHOTS.get(0) + "')",
        "read-only: ALTER");
    attacks.put("SET spark.sql.runSQLOnFiles=true", "read-only: SET spark.sql.runSQLOnFiles is not allowed");
    long segments = count("customer_segments");
    long tiers = count("tier_summary");
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (Map.Entry<String, String> attack : attacks.entrySet()) {
        SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> s.execute(attack.getKey()), attack.getKey());
        assertTrue(refused.getMessage().contains(attack.getValue()), attack.getKey() + " -> " + refused.getMessage());
      }
      // Allowed: what BI tools send.
      assertTrue(s.execute("SET spark.sql.session.timeZone=UTC"));
      assertTrue(s.execute("DESCRIBE TABLE customer_segments"));
      assertTrue(s.execute("EXPLAIN SELECT * FROM tier_summary"));
    }
    assertTrue(server.isAlive(), "the server is still up");
    assertEquals(segments, count("customer_segments"));
    assertEquals(tiers, count("tier_summary"));
    try (java.util.stream.Stream<Path> files = Files.list(marker)) {
      assertEquals(List.of(marker.resolve("keep.txt")), files.toList(), "the marker directory is untouched");
    }
  }

  @Test
  void onlyAListedUserWithTheirPasswordOverTlsGetsIn() throws Exception {
    String overTls = ";ssl=true;sslTrustStore=" + tls.truststore() + ";trustStorePassword=" + tls.password();
    for (String[] login : List.of(new String[] {USER, "a wrong pass phrase"}, new String[] {"intruder", PASSWORD}, new String[] {USER, ""})) {
      SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> connect(login[0], login[1], overTls).close(),
          "login as " + login[0] + " / '" + login[1] + "'");
      assertTrue(String.valueOf(refused.getMessage()).contains("Could not open client transport"), refused.getMessage());
    }
    // A client that does not speak TLS gets nothing, password or not.
    org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> connect(USER, PASSWORD, "").close(), "plain TCP");
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user()")) {
      assertTrue(rs.next());
      assertEquals(USER, rs.getString(1));
    }
    String log = segment.log("serve.log");
    assertTrue(log.contains("Login:     password login, 1 user(s) in " + WORK.resolve("serve-users") + "; TLS (" + tls.keystore() + ")"), log);
    assertTrue(log.contains("JDBC URL:  jdbc:hive2://localhost:" + port + "/customer_pyramid;ssl=true"), log);
    assertTrue(server.isAlive(), "the server is still up");
  }

  private static long count(String table) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void serveRefusesAPortThatIsTaken() throws Exception {
    int exit = segment.run("serve-taken-port.log", JOB_TIMEOUT, "serve", "--port", Integer.toString(port), "--set", "output.root=" + WORK.resolve("other"));
    assertEquals(ExitCodes.CONFIG_ERROR, exit);
    String text = segment.log("serve-taken-port.log");
    assertTrue(text.contains("serve.port: cannot listen on localhost:" + port), text);
  }

  /** customer id -> (value, contribution) per snapshot, joined in Java: pair -> {customers, previous contribution, contribution}. */
  private Map<String, double[]> bruteForceMoves(String previous, String latest, String column) {
    Map<String, Object[]> before = byCustomer(previous, column);
    Map<String, Object[]> after = byCustomer(latest, column);
    Map<String, double[]> pairs = new LinkedHashMap<>();
    java.util.Set<String> customers = new java.util.TreeSet<>(before.keySet());
    customers.addAll(after.keySet());
    for (String customer : customers) {
      Object[] b = before.get(customer);
      Object[] a = after.get(customer);
      String pair = (b == null ? Migrations.ENTERED : b[0]) + "->" + (a == null ? Migrations.LEFT : a[0]);
      double[] sums = pairs.computeIfAbsent(pair, k -> new double[3]);
      sums[0] += 1;
      sums[1] += b == null ? 0 : (Double) b[1];
      sums[2] += a == null ? 0 : (Double) a[1];
    }
    return pairs;
  }

  private Map<String, Object[]> byCustomer(String date, String column) {
    Map<String, Object[]> values = new TreeMap<>();
    for (Row r : table("customer_segments").filter(col("snapshot_date").equalTo(date)).select("customer_id", column, "contribution").collectAsList()) {
      values.put(r.getString(0), new Object[] {r.getString(1), r.getDecimal(2).doubleValue()});
    }
    return values;
  }

  private Dataset<Row> table(String name) {
    return spark.read().parquet(OUTPUT.resolve(name).toString());
  }

  private Dataset<Row> latest(String name) {
    return table(name).filter(col("snapshot_date").equalTo(SNAPSHOTS.get(SNAPSHOTS.size() - 1)));
  }

  private List<List<Object>> run(String name) throws SQLException {
    String sql = queries.get(name);
    assertTrue(sql != null, "docs/bi.md has no query " + name + "; it has " + queries.keySet());
    try (Connection c = connect()) {
      return query(c, sql);
    }
  }

  private static Connection connect() throws SQLException {
    try {
      Class.forName("org.apache.hive.jdbc.HiveDriver");
    } catch (ClassNotFoundException e) {
      fail("the Hive JDBC driver is not on the test class path");
    }
    return connect(USER, PASSWORD, ";ssl=true;sslTrustStore=" + tls.truststore() + ";trustStorePassword=" + tls.password());
  }

  private static Connection connect(String user, String password, String urlOptions) throws SQLException {
    DriverManager.setLoginTimeout((int) LOGIN_TIMEOUT.toSeconds());
    return DriverManager.getConnection("jdbc:hive2://localhost:" + port + "/customer_pyramid" + urlOptions, user, password);
  }

}
