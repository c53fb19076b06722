package io.customerpyramid.cli;

import io.customerpyramid.config.ConfigError;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.serve.ReadOnlySql;
import io.customerpyramid.serve.ServeSecurity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segment serve}: Spark's Thrift JDBC/ODBC server (HiveServer2 protocol) over the job's
 * catalog, so BI tools and beeline query the tables by name. Runs until stopped (Ctrl-C or SIGTERM).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Start Spark's Thrift JDBC/ODBC server (HiveServer2 protocol) over the tables' catalog; runs until stopped.")
final class ServeCommand implements Callable<Integer> {

  private static final long STARTUP_TIMEOUT_MILLIS = 120_000;
  private static final int POLL_MILLIS = 250;

  @Mixin ConfigOptions configOptions = new ConfigOptions();

  @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default: serve.port, 10000).")
  Integer port;

  @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (default: serve.host, localhost).")
  String host;

  @Option(
      names = "--allow-open-network",
      description = "Listen on a non-loopback address with serve.login = none (anyone who reaches the port can query).")
  boolean allowOpenNetwork;

  @Override
  public Integer call() throws InterruptedException {
    List<String> overrides = new ArrayList<>();
    Optional.ofNullable(port).ifPresent(p -> overrides.add("serve.port=" + p));
    Optional.ofNullable(host).ifPresent(h -> overrides.add("serve.host=" + h));
    JobConfig config = configOptions.load(overrides.toArray(String[]::new));
    if (!config.catalog().enabled()) {
      throw new ConfigError("catalog.enabled = false: serve answers SQL over the catalog's tables, so it needs catalog.enabled = true");
    }
    JobConfig.Serve serve = config.serve();
    ServeSecurity security = ServeSecurity.of(serve, allowOpenNetwork, System.getenv());
    requirePortFree(serve);
    // HiveServer2 takes its settings from the Hadoop configuration the session starts with.
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("spark.hadoop.hive.server2.thrift.port", Integer.toString(serve.port()));
    settings.put("spark.hadoop.hive.server2.thrift.bind.host", serve.host());
    settings.put("spark.hadoop.hive.server2.transport.mode", "binary");
    security.hadoopSettings().forEach((key, value) -> settings.put("spark.hadoop." + key, value));
    security.systemProperties().forEach(System::setProperty);
    // A BI tool's SELECT * over customer_segments streams one partition at a time instead of
    // collecting every row in the server's memory first.
    settings.put("spark.sql.thriftServer.incrementalCollect", "true");
    // Read-only: every client statement is checked after analysis (ReadOnlyCheck), and a path in
    // FROM (csv.`/etc/passwd`) is a table name, never a file.
    settings.put("spark.sql.extensions", ReadOnlySql.class.getName());
    settings.put("spark.sql.runSQLOnFiles", "false");
    SparkSessions.JobSession session = SparkSessions.create("customer-pyramid-sql-server", config, settings);
    SparkSession spark = session.spark();
    String database = config.catalog().database();
    // The server's own statements, before any client can connect.
    List<String> tables = ReadOnlySql.asServer(() -> {
      spark.sql("CREATE DATABASE IF NOT EXISTS " + database);
      return tables(spark, database);
    });

    HiveThriftServer2 server = HiveThriftServer2.startWithContext(spark.sqlContext());
    awaitListening(serve);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop();
      session.close();
      stopped.countDown();
    }, "customer-pyramid-serve-shutdown"));

    String url = "jdbc:hive2://" + addressForClients(serve.host()) + ":" + serve.port() + "/" + database + security.urlSuffix();
    System.out.println();
    System.out.println("Spark Thrift JDBC/ODBC server (HiveServer2 protocol) is listening.");
    System.out.println("  JDBC URL:  " + url);
    System.out.println("  beeline:   jobs/segment beeline -u '" + url + "' -n $USER" + (serve.login().method() == JobConfig.LoginMethod.NONE ? "" : " -p"));
    System.out.println("  Database:  " + database + " (" + (tables.isEmpty() ? "no tables yet: run jobs/segment run first" : String.join(", ", tables)) + ")");
    spark.sparkContext().uiWebUrl().foreach(ui -> {
      System.out.println("  Spark UI:  " + ui + " (JDBC/ODBC Server tab)");
      return null;
    });
    System.out.println("Read-only: queries, SHOW, DESCRIBE, EXPLAIN and USE; everything else is refused.");
    System.out.println("Login:     " + security.description());
    security.warnings().forEach(warning -> System.out.println("WARNING:   " + warning));
    System.out.println("Stop with Ctrl-C.");
    System.out.flush();
    stopped.await();
    return ExitCodes.SUCCESS;
  }

  private static List<String> tables(SparkSession spark, String database) {
    List<String> names = new ArrayList<>();
    for (Row row : spark.sql("SHOW TABLES IN " + database).collectAsList()) {
      names.add(row.getString(1));
    }
    return names;
  }

  /** 0.0.0.0 or :: means every interface: clients connect to this machine's name. */
  private static String addressForClients(String host) {
    try {
      if (java.net.InetAddress.getByName(host).isAnyLocalAddress()) {
        return java.net.InetAddress.getLocalHost().getCanonicalHostName();
      }
    } catch (java.net.UnknownHostException e) {
      // The host resolved when the server bound to it; show it as configured.
    }
    return host;
  }

  /** A port held by another server would answer the readiness check below: refuse it up front. */
  private static void requirePortFree(JobConfig.Serve serve) {
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.bind(new InetSocketAddress(serve.host(), serve.port()));
    } catch (IOException e) {
      throw new ConfigError(
          "serve.port: cannot listen on " + serve.host() + ":" + serve.port() + " (" + e.getMessage()
              + "); another server holds it? choose another with --port");
    }
  }

  /** startWithContext returns before the listener thread binds; the URL is printed only once it answers. */
  private static void awaitListening(JobConfig.Serve serve) throws InterruptedException {
    long deadline = System.currentTimeMillis() + STARTUP_TIMEOUT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(serve.host(), serve.port()), POLL_MILLIS);
        return;
      } catch (IOException notYet) {
        Thread.sleep(POLL_MILLIS);
      }
    }
    throw new IllegalStateException(
        "The Thrift server did not start listening on " + serve.host() + ":" + serve.port()
            + " within " + STARTUP_TIMEOUT_MILLIS / 1000 + " s (is the port taken? see the log above)");
  }
}
