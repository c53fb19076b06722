package io.customerpyramid.catalog;

import static io.customerpyramid.testing.Processes.deleteRecursively;
import static io.customerpyramid.testing.Processes.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.cli.ExitCodes;
import io.customerpyramid.testing.SegmentLauncher;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * catalog.metastore_uri = thrift://...: a Hive metastore service of its own (Hive's HiveMetaStore,
 * from the job's class path, over Derby), the job and jobs/segment serve both pointed at it. Unlike
 * the embedded metastore, the server stays up while the job creates the tables and writes a
 * snapshot, and a query over JDBC then sees it. Run by maven-failsafe in {@code mvn verify}.
 */
class ExternalMetastoreIT {

  private static final Path WORK = SegmentLauncher.BUILD.resolve("metastore-it");
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  @Test
  void theServerAnswersWhileTheJobWritesANewSnapshotThroughAThriftMetastore() throws Exception {
    deleteRecursively(WORK);
    Files.createDirectories(WORK);
    try (SegmentLauncher segment = new SegmentLauncher(WORK)) {
      int metastorePort = freePort(1);
      segment.startCommand("metastore.log", metastoreCommand(metastorePort));
      awaitPort(metastorePort, START_TIMEOUT);

      String[] catalog = {"--set", "catalog.metastore_uri=thrift://localhost:" + metastorePort, "--set", "output.root=" + WORK.resolve("output")};
      // The server first, on a database with no table yet; the job then creates the tables and
      // writes a snapshot while the server runs. (Further snapshots only add partitions, which the
      // catalog does alike for every metastore: EndToEndTest and SqlServerIT cover them.)
      int serverPort = freePort(1);
      Process server = segment.start("serve.log", with(catalog, "serve", "--port", Integer.toString(serverPort)));
      segment.awaitLine(server, "serve.log", "JDBC URL:", START_TIMEOUT);

      assertEquals(ExitCodes.SUCCESS,
          segment.run("run.log", TIMEOUT, with(catalog, "run", "--set", "snapshot.date=2026-10-31")));

      assertTrue(server.isAlive(), "the server kept running while the job wrote");
      Map<String, Long> customersBySnapshot = new LinkedHashMap<>();
      try (Connection c = DriverManager.getConnection("jdbc:hive2://localhost:" + serverPort + "/customer_pyramid", "it", "");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT snapshot_date, count(*) FROM customer_segments GROUP BY snapshot_date ORDER BY 1")) {
        while (rs.next()) {
          customersBySnapshot.put(rs.getString(1), rs.getLong(2));
        }
      }
      // The samples: 3,000 customers have an order before 2026-10-31.
      assertEquals(Map.of("2026-10-31", 3000L), customersBySnapshot);
      assertTrue(segment.log("run.log").contains("Catalog:  database customer_pyramid"), segment.log("run.log"));
      assertTrue(Files.notExists(WORK.resolve("output").resolve(MetastoreSettings.METASTORE_DIR)), "no embedded metastore was made");
    }
  }

  /** Hive's metastore service over its own Derby database, started from the job's class path. */
  private static List<String> metastoreCommand(int port) throws IOException {
    String classpath = Files.readString(SegmentLauncher.BUILD.resolve("spark-classpath.txt")).trim();
    Path db = WORK.resolve("metastore_db");
    List<String> command = new ArrayList<>(List.of("java", "-Xmx512m", "-cp", classpath));
    for (String option : SegmentLauncher.JIT_OPTIONS.split(" ")) {
      if (!option.isBlank()) {
        command.add(option);
      }
    }
    command.add("-Dlog4j2.configurationFile=" + SegmentLauncher.ROOT.resolve("conf/log4j2.properties"));
    command.add("-Dhive.async.log.enabled=false"); // its async logging needs a jar Spark does not ship
    command.add("-Djavax.jdo.option.ConnectionURL=jdbc:derby:;databaseName=" + db + ";create=true");
    command.add("-Dhive.metastore.schema.verification=false");
    command.add("-Ddatanucleus.schema.autoCreateAll=true");
    command.add("-Dhive.metastore.warehouse.dir=" + WORK.resolve("warehouse"));
    command.addAll(List.of("org.apache.hadoop.hive.metastore.HiveMetaStore", "-p", Integer.toString(port)));
    return command;
  }

  private static void awaitPort(int port, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("localhost", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(500);
      }
    }
    throw new AssertionError("the metastore did not listen on port " + port + " within " + timeout);
  }

  private static String[] with(String[] settings, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(settings));
    return all.toArray(String[]::new);
  }
}
