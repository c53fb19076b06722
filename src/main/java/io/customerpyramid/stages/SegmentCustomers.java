package io.customerpyramid.stages;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.output.SavedModels;
import io.customerpyramid.segmentation.KMeansSegmentation;
import io.customerpyramid.segmentation.KSweep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Stage kmeans: each customer's segment, from the configured clustering or from a model saved by an earlier run. */
public final class SegmentCustomers {

  private static final Logger LOG = LogManager.getLogger(SegmentCustomers.class);

  private final JobConfig.Segmentation config;
  private final JobConfig.Tuning tuning;
  private final Optional<String> savedModel;

  /** @param savedModel a model saved by an earlier run ({@code _models/snapshot_date=S}, its published run's): segments are scored with it, not refitted */
  public SegmentCustomers(JobConfig.Segmentation config, JobConfig.Tuning tuning, Optional<String> savedModel) {
    this.config = config;
    this.tuning = tuning;
    this.savedModel = savedModel;
  }

  /**
   * The customers with their segment_id, and the fit that numbered them.
   *
   * @param customers the labelled customers joined with their segment, cached and cut from the lineage
   * @param notes what the run summary says about the segmentation (features left out, small segments merged or kept)
   */
  public record Segmented(Dataset<Row> customers, KMeansSegmentation.Result fit, List<String> notes) {

    /** The segments that hold customers. */
    public int segments() {
      return (int) Arrays.stream(fit.clusterToSegment()).filter(segment -> segment > 0).distinct().count();
    }
  }

  /** What the stage does, as the progress line says it. */
  public String description() {
    return savedModel
        .map(path -> "Segments from the saved model " + path)
        .orElse(config.algorithm().configName() + " segmentation (k="
            + config.autoK().map(a -> "auto, " + a.min() + ".." + a.max()).orElse(Integer.toString(config.k())) + ")");
  }

  /**
   * @param customerCount the customers to segment: fewer than k is the configuration's fault, found before anything is written
   * @param previous the previous snapshot's segmented customers: a refit keeps the ids of its segments
   */
  public Segmented run(
      Dataset<Row> customers, long customerCount, Optional<KMeansSegmentation.Previous> previous, LineageCuts cuts) {
    int largestK = config.autoK().map(JobConfig.AutoK::max).orElse(config.k());
    if (savedModel.isEmpty() && customerCount < largestK) {
      throw new io.customerpyramid.config.ConfigError(
          (config.autoK().isPresent() ? "segmentation.auto_k_range goes up to " + largestK + ", which" : "segmentation.k = " + largestK)
              + " is more than the " + customerCount + " customers of this snapshot; choose a k below that"
              + " (jobs/segment tune-k measures which k fits the data)");
    }
    // An iterative algorithm wants about one partition per core, not one per shuffle partition.
    int partitions = customers.sparkSession().sparkContext().defaultParallelism();
    List<String> notes = new ArrayList<>();
    KMeansSegmentation.Result fit =
        savedModel.isPresent()
            ? KMeansSegmentation.score(PipelineModel.load(SavedModels.resolve(hadoop(customers), savedModel.get())), customers)
            : KMeansSegmentation.fit(customers, KSweep.chooseK(customers, config, tuning, partitions, notes::add), partitions, previous);
    notes.addAll(fit.notes());
    for (KMeansSegmentation.SmallSegment small : fit.smallSegments()) {
      String note = small.describe(config.minSegmentShare());
      if (!small.merged()) {
        LOG.warn(note);
      }
      notes.add(note);
    }
    return new Segmented(cuts.cut(fit.withSegments(customers)), fit, List.copyOf(notes));
  }

  private static org.apache.hadoop.conf.Configuration hadoop(Dataset<Row> rows) {
    return rows.sparkSession().sparkContext().hadoopConfiguration();
  }
}
