package io.customerpyramid.pipeline;

import io.customerpyramid.catalog.SnapshotCatalog;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.output.Leftovers;
import io.customerpyramid.output.PublishedRuns;
import io.customerpyramid.output.RunDirectories;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * What a run does first, once it holds the output root's lock: it finishes what a killed run left.
 * The catalog is brought back to the manifests (a run killed after its manifest was replaced but
 * before the catalog switched), then the directories of runs that were never published, Spark's
 * staging directories and old checkpoints are removed.
 */
public final class OutputRecovery {

  private OutputRecovery() {}

  /** @return the directories removed */
  public static List<String> recover(SparkSession spark, JobConfig config) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    List<String> removed = new java.util.ArrayList<>(Leftovers.remove(hadoop, config.outputRoot(), config.spark().checkpointDir()));
    Map<LocalDate, String> published = PublishedRuns.read(hadoop, config.outputRoot());
    if (config.catalog().enabled()) {
      new SnapshotCatalog(spark, config.catalog().database(), config.outputRoot()).sync(published);
    }
    removed.addAll(RunDirectories.removeUnpublished(hadoop, config.outputRoot(), published, Optional.empty()));
    return removed;
  }
}
