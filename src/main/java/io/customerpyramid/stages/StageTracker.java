package io.customerpyramid.stages;

import io.customerpyramid.output.CrashPoints;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.SparkSession;

/**
 * Runs named stages: each under a Spark job group (so the Spark UI and event log say what runs),
 * announced on the console and timed for the run manifest.
 */
public final class StageTracker {

  private static final Logger LOG = LogManager.getLogger(StageTracker.class);

  private final SparkSession spark;
  private final int stageCount;
  private final Map<String, Double> secondsByStage = new LinkedHashMap<>();
  private int started;

  public StageTracker(SparkSession spark, int stageCount) {
    this.spark = spark;
    this.stageCount = stageCount;
  }

  public <T> T run(String id, String description, Supplier<T> work) {
    started++;
    LOG.info("[{}/{}] {} ...", started, stageCount, description);
    spark.sparkContext().setJobGroup(id, description, false);
    long start = System.nanoTime();
    T result;
    try {
      result = work.get();
    } finally {
      double seconds = (System.nanoTime() - start) / 1e9;
      secondsByStage.merge(id, seconds, Double::sum);
      spark.sparkContext().clearJobGroup();
      LOG.info("[{}/{}] {} done in {}", started, stageCount, description, String.format(Locale.ROOT, "%.1f s", seconds));
    }
    CrashPoints.reach("after:" + id);
    return result;
  }

  public void run(String id, String description, Runnable work) {
    run(
        id,
        description,
        () -> {
          work.run();
          return null;
        });
  }

  /** Stage ids in the order they ran, with seconds. */
  public Map<String, Double> orderedSeconds() {
    return new LinkedHashMap<>(secondsByStage);
  }
}
