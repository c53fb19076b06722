package io.customerpyramid.testing;

import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark session a test JVM shares: local[2], few shuffle partitions, UI off.
 *
 * <p>Test classes call {@link #get()} in {@code @BeforeAll}; the session lives until the JVM exits,
 * so no test class pays for starting Spark again.
 */
public final class SparkTestSession {

  private static SparkSession session;

  private SparkTestSession() {}

  /** One warehouse directory per test JVM: Surefire runs two JVMs side by side. */
  private static String warehouse() {
    try {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("cp-test-warehouse");
      dir.toFile().deleteOnExit();
      return dir.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static synchronized SparkSession get() {
    // A command stops a session it started itself: a test that ran one before any get() leaves it stopped.
    if (session == null || session.sparkContext().isStopped()) {
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("customer-pyramid-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.default.parallelism", "4")
              .config("spark.sql.adaptive.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.sql.session.timeZone", "UTC")
              // As the job's own session (cli.SparkSessions): an unfitting timestamp pattern gives null.
              .config("spark.sql.legacy.timeParserPolicy", "CORRECTED")
              // As the job's own session: sorted input is aggregated by streaming through it.
              .config("spark.sql.execution.replaceHashWithSortAgg", "true")
              .config("spark.sql.warehouse.dir", warehouse())
              .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }
}
