package io.customerpyramid.catalog;

import static io.customerpyramid.testing.Processes.deleteRecursively;
import static io.customerpyramid.testing.Processes.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerpyramid.cli.ExitCodes;
import io.customerpyramid.output.CrashPoints;
import io.customerpyramid.schema.Tables;
import io.customerpyramid.testing.SegmentLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run killed with {@code kill -9} at every stage boundary and in the middle of the write and the
 * publish, one after the other on the same snapshot: after each kill, a reader over JDBC sees the
 * snapshot whole, as the last published run or the new one, never a mix; the next run finishes or
 * removes what the killed one left. The job and {@code jobs/segment serve} share a Hive metastore
 * service (Hive's HiveMetaStore over Derby, from the job's class path), which stays up throughout.
 * Run by maven-failsafe in {@code mvn verify}.
 */
class PublishCrashIT {

  private static final Path WORK = SegmentLauncher.BUILD.resolve("publish-crash-it");
  private static final Path OUTPUT = WORK.resolve("output");
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final String SNAPSHOT = "2026-10-15";
  private static final String NEW_SNAPSHOT = "2026-10-29";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RUN_ID = Pattern.compile("\\(run ([0-9a-f-]{36})\\)");

  /** Every stage boundary, two points inside the write, and each step of the publish, in run order. */
  private static final List<String> ALL_KILL_POINTS =
      List.of("after:ingest-orders", "after:ingest-others", "after:features", "after:books", "after:kmeans", "after:pareto",
          "after:tiers", "after:migrations", "write:customer_features", "write:rejects", "after:write", "after:report",
          "publish:before-manifest", "publish:after-manifest", "publish:after-catalog", "after:publish");

  /**
   * The points in {@code mvn verify}: one per distinct state a killed run leaves (checkpoints only; some
   * tables written and registered; the publish pointer written; the manifest replaced; the catalog
   * switched). Left to {@code -Dcrash.points=all} (docs/reliability.md): the other stage boundaries
   * before the write, which leave what after:features leaves but for which checkpoints exist;
   * after:write, which leaves what write:customer_features leaves with more tables, and which the
   * next run removes the same way; and after:report and after:publish, which leave a published run
   * like a finished one. Each run of the job costs about half a minute here.
   */
  private static final List<String> KILL_POINTS =
      "all".equals(System.getProperty("crash.points"))
          ? ALL_KILL_POINTS
          : List.of("after:features", "write:customer_features", "publish:before-manifest", "publish:after-manifest",
              "publish:after-catalog");

  private static SegmentLauncher segment;
  private static String[] settings;
  private static int serverPort;

  @BeforeAll
  static void startTheMetastoreAndTheServer() throws Exception {
    deleteRecursively(WORK);
    Files.createDirectories(WORK);
    TinyInputs.write(WORK.resolve("inputs"));
    segment = new SegmentLauncher(WORK);
    int metastorePort = freePort(1);
    Process metastore = segment.startCommand("metastore.log", MetastoreService.command(WORK, metastorePort));
    MetastoreService.awaitPort(metastore, metastorePort, Duration.ofMinutes(3));
    List<String> all = new ArrayList<>(List.of("--set", "catalog.metastore_uri=thrift://localhost:" + metastorePort, "--set", "output.root=" + OUTPUT));
    for (String input : TinyInputs.NAMES) {
      all.addAll(List.of("--set", "input." + input + ".path=" + WORK.resolve("inputs").resolve(input + ".csv")));
    }
    settings = all.toArray(String[]::new);
    // The server first, on a database with no table yet: the job creates the tables while it runs.
    serverPort = segment.startServer("serve.log", "JDBC URL:", Duration.ofMinutes(3), free -> with("serve", "--port", Integer.toString(free))).port();
  }

  @AfterAll
  static void stopEverything() {
    if (segment != null) {
      segment.close();
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 25, unit = java.util.concurrent.TimeUnit.MINUTES)
  void aRunKilledAnywhereLeavesEverySnapshotWholeAndTheNextRunFinishesTheJob() throws Exception {
    assertEquals(ExitCodes.SUCCESS, segment.run("first.log", TIMEOUT, run(SNAPSHOT, 3)));
    String published = manifestRun(SNAPSHOT);
    int publishedK = 3;
    assertShown(SNAPSHOT, published, publishedK, "after the first run");
    assertTrue(Files.notExists(OUTPUT.resolve(MetastoreSettings.METASTORE_DIR)), "no embedded metastore was made");

    for (String point : KILL_POINTS) {
      int k = publishedK == 3 ? 4 : 3;
      String killed = killAt(point, run(SNAPSHOT, k));
      boolean manifestReplaced = point.equals("publish:after-manifest") || point.equals("publish:after-catalog") || point.equals("after:publish");
      boolean catalogSwitched = point.equals("publish:after-catalog") || point.equals("after:publish");
      assertEquals(manifestReplaced ? killed : published, manifestRun(SNAPSHOT), point + ": the manifest names the published run");
      assertShown(SNAPSHOT, catalogSwitched ? killed : published, catalogSwitched ? k : publishedK, "killed at " + point);
      if (manifestReplaced) {
        // The next run finishes the publish (the catalog follows the manifest) before anything else.
        published = killed;
        publishedK = k;
      }
    }

    // A new snapshot stays invisible until it is published.
    killAt("write:customer_segments", run(NEW_SNAPSHOT, 3));
    try (Connection c = connect()) {
      assertEquals(List.of("0"), column(c, "SELECT count(*) FROM customer_segments WHERE snapshot_date = '" + NEW_SNAPSHOT + "'"));
    }
    assertTrue(Files.notExists(manifest(NEW_SNAPSHOT)), "no manifest for the unpublished snapshot");

    assertEquals(ExitCodes.SUCCESS, segment.run("last.log", TIMEOUT, run(SNAPSHOT, 3)));
    String last = manifestRun(SNAPSHOT);
    assertShown(SNAPSHOT, last, 3, "after a run to the end");
    assertOnlyThePublishedRunIsLeft(last);
  }

  /** Starts a run that stops at {@code point}, kills it there with kill -9; returns its run id (empty before the write). */
  private static String killAt(String point, String... args) throws Exception {
    String log = point.replace(':', '-') + ".log";
    segment.withEnvironment("SEGMENT_JAVA_OPTS", SegmentLauncher.JIT_OPTIONS + " -Dspark.ui.enabled=false -D" + CrashPoints.PROPERTY + "=" + point);
    try {
      Process job = segment.start(log, args);
      segment.awaitLine(job, log, "CRASH POINT " + point, TIMEOUT);
      Process kill = new ProcessBuilder("kill", "-9", Long.toString(job.pid())).inheritIO().start();
      assertEquals(0, kill.waitFor(), "kill -9 " + job.pid());
      job.waitFor();
      assertEquals(137, job.exitValue(), point + ": the JVM was killed by SIGKILL");
    } finally {
      segment.withEnvironment("SEGMENT_JAVA_OPTS", SegmentLauncher.JIT_OPTIONS);
    }
    Matcher runId = RUN_ID.matcher(segment.log(log));
    return runId.find() ? runId.group(1) : "";
  }

  /** Over JDBC: every table shows one run of the snapshot, that run, and its segments agree across tables. */
  private static void assertShown(String snapshot, String runId, int k, String when) throws SQLException {
    try (Connection c = connect()) {
      for (String table : Tables.ALL) {
        Set<String> runs = new TreeSet<>(column(c, "SELECT DISTINCT run_id FROM " + table + " WHERE snapshot_date = '" + snapshot + "'"));
        // A table can be empty for a snapshot (the first one's migrations): it shows no run, never another.
        assertTrue(runs.isEmpty() && !Tables.ALWAYS_HAVE_ROWS.contains(table) || runs.equals(Set.of(runId)),
            when + ": " + table + " shows runs " + runs + ", expected " + runId);
      }
      String where = " WHERE snapshot_date = '" + snapshot + "'";
      assertEquals(List.of(Integer.toString(k)), column(c, "SELECT count(DISTINCT segment_id) FROM customer_segments" + where), when);
      assertEquals(List.of(Integer.toString(k)), column(c, "SELECT count(DISTINCT segment_id) FROM segment_profiles" + where), when);
    }
  }

  private static void assertOnlyThePublishedRunIsLeft(String runId) throws IOException, SQLException {
    for (String directory : io.customerpyramid.output.RunDirectories.runScoped()) {
      Path snapshots = OUTPUT.resolve(directory);
      if (Tables.CLV.contains(directory)) {
        // Written only with clv.enabled, which these runs leave off.
        assertTrue(Files.notExists(snapshots), directory + " without clv.enabled");
        continue;
      }
      try (Stream<Path> entries = Files.list(snapshots)) {
        assertEquals(List.of("snapshot_date=" + SNAPSHOT), entries.map(p -> p.getFileName().toString()).sorted().toList(), directory);
      }
      try (Stream<Path> runs = Files.list(snapshots.resolve("snapshot_date=" + SNAPSHOT))) {
        assertEquals(List.of("run_id=" + runId), runs.map(p -> p.getFileName().toString()).toList(), directory);
      }
    }
    JsonNode tables = JSON.readTree(manifest(SNAPSHOT).toFile()).get("tables");
    for (String table : Tables.ALL) {
      assertTrue(Files.isDirectory(Path.of(tables.get(table).asText())), "the manifest locates " + table);
    }
    try (Connection c = connect()) {
      for (String table : Tables.ALL) {
        assertEquals(List.of("snapshot_date=" + SNAPSHOT + "/run_id=" + runId),
            column(c, "SHOW PARTITIONS customer_pyramid_runs." + table), table + ": the killed runs' partitions are dropped");
      }
    }
  }

  private static String manifestRun(String snapshot) throws IOException {
    return JSON.readTree(manifest(snapshot).toFile()).get("run_id").asText();
  }

  private static Path manifest(String snapshot) {
    return OUTPUT.resolve("_manifests/snapshot_date=" + snapshot + "/manifest.json");
  }

  private static String[] run(String snapshot, int k) {
    return with("run", "--set", "snapshot.date=" + snapshot, "--set", "segmentation.k=" + k);
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:hive2://localhost:" + serverPort + "/customer_pyramid", "it", "");
  }

  private static List<String> column(Connection c, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  private static String[] with(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(settings));
    return all.toArray(String[]::new);
  }
}
