package io.customerpyramid.cli;

import io.customerpyramid.catalog.MetastoreSettings;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.output.OutputLock;
import io.customerpyramid.pipeline.OutputRecovery;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the job's Spark session: the master from spark-submit if given, else the config's default.
 *
 * <p>A session already running in this JVM (a notebook, a platform's job wrapper, a test suite)
 * belongs to whoever started it: a command uses it and leaves it running. Only a session the command
 * started itself is stopped when it ends.
 */
final class SparkSessions {

  private static final Logger LOG = LogManager.getLogger(SparkSessions.class);

  private static final int LOCAL_PARTITIONS_PER_CORE = 4;
  private static final String LOCAL_MASTER = "local[*]";
  private static final String UTC = "UTC";

  private SparkSessions() {}

  /** The session a command runs in; {@link #close()} stops it only if the command started it. */
  record JobSession(SparkSession spark, boolean startedHere) implements AutoCloseable {

    /**
     * The output root for this command alone: its lock, then what a killed earlier run left there
     * is finished or removed (safe only once the lock is held).
     */
    OutputLock writeOutput(JobConfig config, String command) {
      OutputLock lock = OutputLock.acquire(spark.sparkContext().hadoopConfiguration(), config.outputRoot(), command);
      try {
        OutputRecovery.recover(spark, config);
        return lock;
      } catch (RuntimeException e) {
        lock.close();
        throw e;
      }
    }

    @Override
    public void close() {
      if (startedHere) {
        spark.stop();
      }
    }
  }

  static JobSession create(String appName, JobConfig config) {
    return create(appName, config, java.util.Map.of());
  }

  /** @param settings further settings of this command's session */
  static JobSession create(String appName, JobConfig config, java.util.Map<String, String> settings) {
    boolean running = isRunning();
    boolean partitionsGiven =
        config.spark().shufflePartitions() > 0 || settings.containsKey(ShufflePartitions.KEY)
            || new SparkConf().contains(ShufflePartitions.KEY);
    SparkConf conf = baseConf(appName, config.spark().defaultMaster(), config.timeZone(), config.spark().shufflePartitions(), settings, running);
    MetastoreSettings.apply(conf, config);
    JobSession session = start(conf, running);
    if (!running && !partitionsGiven) {
      SparkSession spark = session.spark();
      int defaultPartitions = Integer.parseInt(spark.conf().get(ShufflePartitions.KEY));
      int localCores = spark.sparkContext().isLocal() ? spark.sparkContext().defaultParallelism() : 0;
      int sized = ShufflePartitions.forInputs(defaultPartitions, localCores, config, spark.sparkContext().hadoopConfiguration());
      spark.conf().set(ShufflePartitions.KEY, Integer.toString(sized));
      if (sized > defaultPartitions) {
        LOG.info("Shuffle partitions: {}, sized to the inputs (spark.shuffle_partitions sets them)", sized);
      }
    }
    return session;
  }

  /**
   * A plain session without the job configuration or a catalog: what a command that only writes
   * files (generate) needs. The master and time zone are the bundled defaults' ({@code local[*]}, UTC).
   */
  static JobSession local(String appName) {
    boolean running = isRunning();
    return start(baseConf(appName, LOCAL_MASTER, UTC, 0, java.util.Map.of(), running), running);
  }

  private static boolean isRunning() {
    return SparkSession.getDefaultSession().exists(session -> !session.sparkContext().isStopped());
  }

  /** @param shufflePartitions the configured number of shuffle partitions; 0 = chosen from the master */
  private static SparkConf baseConf(
      String appName, String defaultMaster, String timeZone, int shufflePartitions, java.util.Map<String, String> settings,
      boolean running) {
    SparkConf conf = new SparkConf().setAppName(appName);
    settings.forEach(conf::set);
    if (!conf.contains("spark.master")) {
      conf.setMaster(defaultMaster);
      if (!conf.contains("spark.ui.showConsoleProgress")) {
        conf.set("spark.ui.showConsoleProgress", "false");
      }
    }
    conf.set("spark.sql.session.timeZone", timeZone);
    // A text timestamp that a pattern does not fit is null (a reject, or the next pattern's turn), not a
    // failed run: by default Spark fails wherever its pre-3.0 parser would have read the text leniently
    // (dd/MM/yyyy HH:mm reading 12/1/2010 8:26).
    conf.set("spark.sql.legacy.timeParserPolicy", "CORRECTED");
    conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic");
    // Stages cache shuffled data; with this, adaptive execution may coalesce the partitions of a
    // cached plan's inner stages (its last stage keeps its partitioning, which later stages rely on).
    conf.set("spark.sql.optimizer.canChangeCachedPlanOutputPartitioning", "true");
    if (!running && !conf.contains("spark.sql.execution.replaceHashWithSortAgg")) {
      // Cached order lines come sorted by customer and order (the duplicate check's window, unless
      // deduplicate = off), so the features' per-order sums can stream through them instead of
      // building a hash map of ten million orders that spills: 6 s less of 48 at 1 M customers. A
      // session already running keeps its owner's choice.
      conf.set("spark.sql.execution.replaceHashWithSortAgg", "true");
    }
    if (!conf.contains("spark.sql.inMemoryColumnarStorage.compressed")) {
      // The cached rows are mostly ids, timestamps and amounts, unique per row: choosing a compression
      // builds a dictionary of every text value of every batch and cost a third of the ingest's time.
      conf.set("spark.sql.inMemoryColumnarStorage.compressed", "false");
    }
    if (shufflePartitions > 0) {
      conf.set("spark.sql.shuffle.partitions", Integer.toString(shufflePartitions));
    } else if (!running && conf.get("spark.master").startsWith("local") && !conf.contains("spark.sql.shuffle.partitions")) {
      // Spark's 200 suits a cluster; on one machine each tiny task costs more than its data.
      // (A running session keeps the partitioning its owner chose.)
      conf.set("spark.sql.shuffle.partitions", Integer.toString(LOCAL_PARTITIONS_PER_CORE * Runtime.getRuntime().availableProcessors()));
    }
    return conf;
  }

  private static JobSession start(SparkConf conf, boolean running) {
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    // Parquet output is written with Spark's own committer; _SUCCESS markers are not needed per partition.
    spark.sparkContext().hadoopConfiguration().set("parquet.summary.metadata.level", "NONE");
    return new JobSession(spark, !running);
  }
}
