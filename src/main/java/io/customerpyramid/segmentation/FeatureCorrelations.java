package io.customerpyramid.segmentation;

import io.customerpyramid.config.JobConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.stat.Correlation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Pairs of clustering features that move together: two strongly correlated features weigh one
 * aspect of a customer twice in the distance. Pearson correlation of the features as clustered
 * (after winsorising and log, before scaling), in one pass; a d × d matrix comes to the driver.
 */
public final class FeatureCorrelations {

  private FeatureCorrelations() {}

  /** Two features and their Pearson correlation. */
  public record Pair(String first, String second, double correlation) {
    public String describe() {
      return String.format(Locale.ROOT, "%s and %s are correlated (r = %.3f)", first, second, correlation);
    }
  }

  /**
   * The clustering features kept and, for each left out, why: a constant feature (as clustered) says
   * nothing; of two whose |r| exceeds {@code segmentation.correlation_warning}, the one listed later
   * in {@code segmentation.features} is left out, so the distance does not count one aspect twice.
   *
   * @param config the configured segmentation, {@link Selection#config()} the one to cluster with
   */
  public record Selection(JobConfig.Segmentation config, List<String> notes) {}

  /** What {@code segmentation.drop_redundant_features} does (two passes over the customers); the configuration as it is when off. */
  public static Selection select(Dataset<Row> customers, JobConfig.Segmentation config) {
    List<String> features = config.features();
    if (!config.dropRedundantFeatures() || features.size() < 2) {
      return new Selection(config, List.of());
    }
    Dataset<Row> assembled = KMeansSegmentation.assembledFeatures(config, customers);
    Matrix matrix = correlations(assembled);
    org.apache.spark.ml.linalg.Vector variance =
        assembled
            .select(org.apache.spark.ml.stat.Summarizer.variance(org.apache.spark.sql.functions.col(KMeansSegmentation.ASSEMBLED)))
            .head()
            .getAs(0);
    List<String> kept = new ArrayList<>();
    List<Integer> keptIndex = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      String feature = features.get(i);
      if (!(variance.apply(i) > 0)) {
        notes.add(feature + " left out of the clustering: the same value for every customer");
        continue;
      }
      String twin = null;
      double twinR = 0;
      for (int j : keptIndex) {
        double r = matrix.apply(i, j);
        if (!Double.isNaN(r) && Math.abs(r) > config.correlationWarning()) {
          twin = features.get(j);
          twinR = r;
          break;
        }
      }
      if (twin != null) {
        notes.add(String.format(Locale.ROOT,
            "%s left out of the clustering: it moves with %s (r = %.3f, |r| above segmentation.correlation_warning %.2f)",
            feature, twin, twinR, config.correlationWarning()));
        continue;
      }
      kept.add(feature);
      keptIndex.add(i);
    }
    if (kept.isEmpty()) {
      // Every feature is constant: nothing separates the customers, the first feature is as good as any.
      kept.add(features.get(0));
      notes.add("every clustering feature is the same for every customer: " + features.get(0) + " is kept so that the fit runs");
    }
    return new Selection(config.withFeatures(kept), List.copyOf(notes));
  }

  /** Feature pairs whose absolute correlation exceeds {@code segmentation.correlation_warning}; constant features are skipped. */
  public static List<Pair> aboveWarning(Dataset<Row> customers, JobConfig.Segmentation config) {
    List<String> features = config.features();
    List<Pair> pairs = new ArrayList<>();
    if (features.size() < 2) {
      return pairs;
    }
    Matrix matrix = correlations(KMeansSegmentation.assembledFeatures(config, customers));
    for (int i = 0; i < features.size(); i++) {
      for (int j = i + 1; j < features.size(); j++) {
        double r = matrix.apply(i, j);
        if (!Double.isNaN(r) && Math.abs(r) > config.correlationWarning()) {
          pairs.add(new Pair(features.get(i), features.get(j), r));
        }
      }
    }
    return pairs;
  }

  /** Pearson correlations of the assembled features, as clustered (one pass; d × d to the driver). */
  private static Matrix correlations(Dataset<Row> assembled) {
    return Correlation.corr(assembled, KMeansSegmentation.ASSEMBLED, "pearson").head().getAs(0);
  }
}
