package io.customerpyramid.cluster;

import static io.customerpyramid.testing.Processes.deleteRecursively;
import static io.customerpyramid.testing.Processes.destroyTree;
import static io.customerpyramid.testing.Processes.freePort;
import static io.customerpyramid.testing.Processes.waitFor;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerpyramid.cli.ExitCodes;
import io.customerpyramid.cli.SegmentCli;
import io.customerpyramid.testing.Processes;
import io.customerpyramid.testing.SegmentLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged job jar on a real Spark standalone cluster: jobs/cluster starts a master and two
 * workers on 127.0.0.1 from the Maven Spark jars, jobs/submit submits target/customer-pyramid.jar
 * with SparkSubmit, once in cluster deploy mode and once in client deploy mode with one worker (and
 * its executor) killed while the job runs. Run by maven-failsafe in {@code mvn verify}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {

  private static final int CUSTOMERS = 800;
  private static final String SNAPSHOT = "2026-11-01";
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);
  private static final Path ROOT = Path.of(System.getProperty("project.root", ".")).toAbsolutePath();
  private static final Path BUILD = Path.of(System.getProperty("build.dir", ROOT.resolve("target").toString())).toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Data, outputs, event logs and every process's log; kept after the run for CI artifacts. */
  private static final Path work = BUILD.resolve("cluster-it");
  private static Path clusterDir;
  private static Path jobConf;
  private static int masterPort;
  private static int webUiPort;
  private static final List<Process> started = new ArrayList<>();

  @BeforeAll
  static void generateDataAndStartCluster() throws Exception {
    assertTrue(Files.isRegularFile(BUILD.resolve("customer-pyramid.jar")), "run after mvn package: " + BUILD.resolve("customer-pyramid.jar"));
    deleteRecursively(work);
    Files.createDirectories(work);
    System.out.println("StandaloneClusterIT: data, outputs and logs under " + work);
    Path data = work.resolve("data");
    assertEquals(
        ExitCodes.SUCCESS,
        SegmentCli.execute("generate", "--customers", Integer.toString(CUSTOMERS), "--seed", "1", "--out", data.toString(), "--single-file", "--with-bad-rows"));
    jobConf = work.resolve("cluster-test.conf");
    StringBuilder conf = new StringBuilder("# inputs of StandaloneClusterIT\n");
    for (String input : List.of("orders", "returns", "contacts", "invoices")) {
      conf.append("input.").append(input).append(".path = \"").append(data.resolve(input + ".csv")).append("\"\n");
    }
    // The embedded metastore suits one machine only (docs/cluster.md); the catalog has its own ITs.
    conf.append("catalog.enabled = false\n");
    Files.writeString(jobConf, conf);

    clusterDir = work.resolve("cluster");
    masterPort = freePort(1);
    webUiPort = freePort(3); // master UI, worker 1 UI, worker 2 UI
    Process start = startScript(work.resolve("cluster-start.log"), "jobs/cluster", "start", "--workers", "2");
    int exit = waitFor(start, Duration.ofMinutes(2));
    assertEquals(0, exit, "jobs/cluster start failed:\n" + read(work.resolve("cluster-start.log")));
    assertEquals(2, workers("ALIVE").size(), "two workers registered: " + masterJson());
  }

  @AfterAll
  static void stopEverything() throws Exception {
    for (Process p : started) {
      destroyTree(p.toHandle());
    }
    if (clusterDir != null) {
      try {
        waitFor(startScript(work.resolve("cluster-stop.log"), "jobs/cluster", "stop"), Duration.ofSeconds(30));
      } finally {
        // Whatever jobs/cluster stop missed: the daemons by their pid files, with their executors and drivers.
        if (Files.isDirectory(clusterDir)) {
          try (Stream<Path> files = Files.list(clusterDir)) {
            for (Path pidFile : files.filter(f -> f.toString().endsWith(".pid")).collect(Collectors.toList())) {
              ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(Processes::destroyTree);
            }
          }
        }
      }
    }
  }

  @Test
  @Order(1)
  void clusterDeployModeDriverOnAWorkerFinishesAndTasksRunOnBothWorkers() throws Exception {
    Path output = work.resolve("out-cluster");
    Path events = work.resolve("events-cluster");
    Path log = work.resolve("submit-cluster.log");
    Process submit = submit("cluster", output, events, log);
    int exit = waitFor(submit, JOB_TIMEOUT);
    assertEquals(0, exit, "spark-submit (cluster mode) exit code:\n" + read(log));

    JsonNode drivers = masterJson().get("completeddrivers");
    assertEquals(1, drivers.size(), "one completed driver: " + drivers);
    JsonNode driver = drivers.get(0);
    assertEquals("FINISHED", driver.get("state").asText(), "driver " + driver.get("id").asText() + " final state; its log is under " + clusterDir + "/worker-*/" + driver.get("id").asText());

    checkOutputTables(output);
    Map<Integer, Long> tasksByWorker = tasksByWorker(events, Long.MAX_VALUE);
    assertTasksOnBothWorkers(tasksByWorker);
    System.out.println("cluster mode: driver " + driver.get("id").asText() + " FINISHED, tasks per worker " + tasksByWorker);
  }

  @Test
  @Order(2)
  void clientDeployModeSurvivesAWorkerKilledWhileTheJobRuns() throws Exception {
    Path output = work.resolve("out-client");
    Path events = work.resolve("events-client");
    Path log = work.resolve("submit-client.log");
    Process submit = submit("client", output, events, log);

    // Kill worker 2 and its executor once the first stage is done: the job is still running.
    String firstStageDone = "Reading and checking orders done";
    long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
    while (!read(log).contains(firstStageDone)) {
      if (!submit.isAlive()) {
        fail("the job ended before its first stage was logged (exit " + submit.exitValue() + "):\n" + read(log));
      }
      if (System.nanoTime() > deadline) {
        fail("no '" + firstStageDone + "' within " + JOB_TIMEOUT + ":\n" + read(log));
      }
      Thread.sleep(200);
    }
    long killedAt = System.currentTimeMillis();
    long workerPid = Long.parseLong(Files.readString(clusterDir.resolve("worker-2.pid")).trim());
    ProcessHandle worker = ProcessHandle.of(workerPid).orElseThrow(() -> new AssertionError("worker 2 (pid " + workerPid + ") is not running"));
    List<Long> killed = destroyTree(worker);
    assertTrue(killed.size() >= 2, "killed worker 2 and its executor: pids " + killed);
    System.out.println("fault: killed worker 2 and its executor (pids " + killed + ") after the first stage; the job must still complete");

    int exit = waitFor(submit, JOB_TIMEOUT);
    assertEquals(ExitCodes.SUCCESS, exit, "the job must survive losing a worker; driver log:\n" + read(log));
    assertTrue(read(log).contains("customer-pyramid run"), "run summary printed:\n" + read(log));

    checkOutputTables(output);
    Map<Integer, Long> before = tasksByWorker(events, killedAt);
    Map<Integer, Long> all = tasksByWorker(events, Long.MAX_VALUE);
    assertTasksOnBothWorkers(before);
    assertTrue(all.getOrDefault(1, 0L) > before.getOrDefault(1, 0L), "worker 1 ran the rest of the job after worker 2 was killed: " + all);
    System.out.printf(
        "fault: worker 2 killed after the first stage; job completed with exit code 0 and correct output; tasks per worker before the kill %s, in all %s%n",
        before, all);
  }

  // ---- submitting and checking ----

  private static Process submit(String deployMode, Path output, Path events, Path log) throws IOException {
    Files.createDirectories(events);
    return startScript(
        log,
        "jobs/submit",
        "--env", "standalone",
        "--master", "spark://127.0.0.1:" + masterPort,
        "--deploy-mode", deployMode,
        "--conf", "spark.eventLog.dir=file:" + events,
        "--conf", "spark.ui.enabled=false",
        "--conf", "spark.sql.shuffle.partitions=4", // small data: fewer, larger tasks (2 executors x 1 core)
        "--conf", "spark.driver.defaultJavaOptions=" + SegmentLauncher.JIT_OPTIONS,
        "--conf", "spark.executor.defaultJavaOptions=" + SegmentLauncher.JIT_OPTIONS,
        "--config", jobConf.toString(),
        "--set", "output.root=" + output,
        "--set", "snapshot.date=" + SNAPSHOT);
  }

  private static void checkOutputTables(Path output) throws IOException {
    assertTrue(Files.isRegularFile(output.resolve("_manifests/snapshot_date=" + SNAPSHOT + "/manifest.json")), "run manifest written");
    JsonNode manifest = JSON.readTree(output.resolve("_manifests/snapshot_date=" + SNAPSHOT + "/manifest.json").toFile());
    SparkSession spark = localSpark();
    Dataset<Row> segments = spark.read().parquet(output.resolve("customer_segments").toString());
    long rows = segments.count();
    assertEquals(CUSTOMERS, rows, "customer_segments: one row per customer");
    assertEquals(rows, segments.select("customer_id").distinct().count(), "customer ids unique");
    assertEquals(manifest.get("customers").asLong(), rows, "manifest customers");
    Set<String> tiers = new HashSet<>();
    for (Row r : segments.select("tier").distinct().collectAsList()) {
      tiers.add(r.getString(0));
    }
    assertEquals(Set.of("VIP", "Major", "Ordinary", "Small"), tiers, "all four tiers");
    assertTrue(segments.filter(col("tier").isNull().or(col("segment_id").isNull())).isEmpty(), "tier and segment set for every customer");
    for (String table : List.of("customer_features", "segment_profiles", "tier_summary", "pareto_curve", "rfm_bins", "rejects")) {
      assertTrue(spark.read().parquet(output.resolve(table).toString()).count() > 0, table + " has rows");
    }
    assertEquals(4, spark.read().parquet(output.resolve("tier_summary").toString()).count(), "tier_summary: one row per tier");
  }

  private static SparkSession localSpark() {
    return SparkSession.builder()
        .master("local[1]")
        .appName("cluster-it-check")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }

  private static void assertTasksOnBothWorkers(Map<Integer, Long> tasksByWorker) {
    assertTrue(tasksByWorker.getOrDefault(1, 0L) > 0 && tasksByWorker.getOrDefault(2, 0L) > 0, "tasks ran on both workers' executors: " + tasksByWorker);
  }

  /**
   * Tasks launched up to a time, per worker (1, 2; 0 = unknown), from the application's event log:
   * executors are mapped to workers by their log URLs, which point at the worker's web UI port.
   */
  private static Map<Integer, Long> tasksByWorker(Path eventDir, long untilMillis) throws IOException {
    List<Path> logs;
    try (Stream<Path> files = Files.list(eventDir)) {
      logs = files.filter(f -> !f.getFileName().toString().startsWith(".")).collect(Collectors.toList());
    }
    assertEquals(1, logs.size(), "one event log in " + eventDir + ": " + logs);
    Map<String, Integer> workerOfExecutor = new HashMap<>();
    Map<Integer, Long> tasks = new HashMap<>();
    Pattern port = Pattern.compile("^https?://[^:/]+:(\\d+)/");
    for (String line : Files.readAllLines(logs.get(0), StandardCharsets.UTF_8)) {
      if (line.contains("\"SparkListenerExecutorAdded\"")) {
        JsonNode e = JSON.readTree(line);
        Matcher m = port.matcher(e.path("Executor Info").path("Log Urls").path("stderr").asText());
        if (m.find()) {
          workerOfExecutor.put(e.get("Executor ID").asText(), Integer.parseInt(m.group(1)) - webUiPort);
        }
      } else if (line.contains("\"SparkListenerTaskEnd\"")) {
        JsonNode info = JSON.readTree(line).get("Task Info");
        if (info.get("Launch Time").asLong() <= untilMillis) {
          tasks.merge(workerOfExecutor.getOrDefault(info.get("Executor ID").asText(), 0), 1L, Long::sum);
        }
      }
    }
    return tasks;
  }

  // ---- cluster and processes ----

  private static JsonNode masterJson() throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUiPort + "/json/")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private static List<String> workers(String state) throws IOException, InterruptedException {
    List<String> ids = new ArrayList<>();
    for (JsonNode w : masterJson().get("workers")) {
      if (state.equals(w.get("state").asText())) {
        ids.add(w.get("id").asText());
      }
    }
    return ids;
  }

  private static Process startScript(Path log, String script, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve(script).toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("BUILD_DIR", BUILD.toString());
    env.put("CLUSTER_DIR", clusterDir.toString());
    env.put("CLUSTER_MASTER_PORT", Integer.toString(masterPort));
    env.put("CLUSTER_WEBUI_PORT", Integer.toString(webUiPort));
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("CLUSTER_JAVA_OPTS", SegmentLauncher.JIT_OPTIONS);
    env.put("SPARK_SUBMIT_OPTS", SegmentLauncher.JIT_OPTIONS);
    env.remove("SPARK_HOME"); // the Maven jars, not whatever Spark the machine has
    Process p = pb.start();
    started.add(p);
    return p;
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
