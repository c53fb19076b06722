package io.customerpyramid.tuning;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.segmentation.KMeansSegmentation;
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

  /** Feature pairs whose absolute correlation exceeds {@code segmentation.correlation_warning}; constant features are skipped. */
  public static List<Pair> aboveWarning(Dataset<Row> customers, JobConfig.Segmentation config) {
    List<String> features = config.features();
    List<Pair> pairs = new ArrayList<>();
    if (features.size() < 2) {
      return pairs;
    }
    Dataset<Row> assembled = KMeansSegmentation.assembledFeatures(config, customers);
    Matrix matrix = Correlation.corr(assembled, KMeansSegmentation.ASSEMBLED, "pearson").head().getAs(0);
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
}
