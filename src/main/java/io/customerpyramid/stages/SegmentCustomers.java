package io.customerpyramid.stages;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.output.SavedModels;
import io.customerpyramid.segmentation.KMeansSegmentation;
import java.util.Arrays;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Stage kmeans: each customer's segment, from the configured clustering or from a model saved by an earlier run. */
public final class SegmentCustomers {

  private final JobConfig.Segmentation config;
  private final Optional<String> savedModel;

  /** @param savedModel a model saved by an earlier run ({@code _models/snapshot_date=S}, its published run's): segments are scored with it, not refitted */
  public SegmentCustomers(JobConfig.Segmentation config, Optional<String> savedModel) {
    this.config = config;
    this.savedModel = savedModel;
  }

  /**
   * The customers with their segment_id, and the fit that numbered them.
   *
   * @param customers the labelled customers joined with their segment, cached and cut from the lineage
   */
  public record Segmented(Dataset<Row> customers, KMeansSegmentation.Result fit) {

    /** The segments that hold customers. */
    public int segments() {
      return (int) Arrays.stream(fit.clusterToSegment()).filter(segment -> segment > 0).count();
    }
  }

  /** What the stage does, as the progress line says it. */
  public String description() {
    return savedModel
        .map(path -> "Segments from the saved model " + path)
        .orElse(config.algorithm().configName() + " segmentation (k=" + config.k() + ")");
  }

  /** @param customerCount the customers to segment: fewer than k is the configuration's fault, found before anything is written */
  public Segmented run(Dataset<Row> customers, long customerCount, LineageCuts cuts) {
    if (savedModel.isEmpty() && customerCount < config.k()) {
      throw new io.customerpyramid.config.ConfigError(
          "segmentation.k = " + config.k() + " is more than the " + customerCount + " customers of this snapshot; choose a k below that"
              + " (jobs/segment tune-k measures which k fits the data)");
    }
    // An iterative algorithm wants about one partition per core, not one per shuffle partition.
    int partitions = customers.sparkSession().sparkContext().defaultParallelism();
    KMeansSegmentation.Result fit =
        savedModel.isPresent()
            ? KMeansSegmentation.score(PipelineModel.load(SavedModels.resolve(hadoop(customers), savedModel.get())), customers)
            : KMeansSegmentation.fit(customers, config, partitions);
    return new Segmented(cuts.cut(fit.withSegments(customers)), fit);
  }

  private static org.apache.hadoop.conf.Configuration hadoop(Dataset<Row> rows) {
    return rows.sparkSession().sparkContext().hadoopConfiguration();
  }
}
