package io.customerpyramid.segmentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Gaussian-mixture clustering by expectation–maximisation that always ends: full covariances,
 * started from k-means centres, at most {@code maxIterations} passes over the data.
 *
 * <p>MLlib's own {@code GaussianMixture} starts from random customers, lets a component collapse onto
 * two or three of them (a singular covariance) and hands that covariance to LAPACK; in this project's
 * CI that fit hung. Here a covariance always carries {@link MixtureComponents#COVARIANCE_FLOOR} on its
 * diagonal, a component left with fewer customers than a covariance needs (d + 1) is dropped, and a
 * non-finite log-likelihood or fewer than two surviving components fail the fit with a
 * {@link ClusteringError} that says so. All matrix work is d × d plain Java on the driver.
 */
public final class BoundedGaussianMixture extends Estimator<BoundedGaussianMixtureModel> {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LogManager.getLogger(BoundedGaussianMixture.class);

  /**
   * Converged when the mean log-likelihood per customer changes by less than this between passes
   * (scikit-learn's default): on the samples, 6 components settle in about 20 passes.
   */
  public static final double TOLERANCE = 1e-3;

  private final String uid;
  private final int k;
  private final long seed;
  private final int maxIterations;
  private final String featuresCol;
  private final String predictionCol;

  public BoundedGaussianMixture(int k, long seed, int maxIterations, String featuresCol, String predictionCol) {
    this(Identifiable.randomUID("BoundedGaussianMixture"), k, seed, maxIterations, featuresCol, predictionCol);
  }

  private BoundedGaussianMixture(String uid, int k, long seed, int maxIterations, String featuresCol, String predictionCol) {
    if (k < 2 || maxIterations < 1) {
      throw new IllegalArgumentException("a Gaussian mixture needs k >= 2 and maxIterations >= 1, got k = " + k + ", maxIterations = " + maxIterations);
    }
    this.uid = uid;
    this.k = k;
    this.seed = seed;
    this.maxIterations = maxIterations;
    this.featuresCol = featuresCol;
    this.predictionCol = predictionCol;
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public BoundedGaussianMixture copy(ParamMap extra) {
    return new BoundedGaussianMixture(uid, k, seed, maxIterations, featuresCol, predictionCol);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return BoundedGaussianMixtureModel.outputSchema(schema, featuresCol, predictionCol);
  }

  @Override
  public BoundedGaussianMixtureModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    JavaRDD<double[]> points =
        dataset.select(featuresCol).toJavaRDD().map(row -> row.<Vector>getAs(0).toArray()).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long customers = points.count();
      if (customers <= k) {
        throw new ClusteringError("a Gaussian mixture of k = " + k + " components needs more than " + k + " customers, got " + customers);
      }
      int dimension = points.first().length;
      double minimumMass = dimension + 1;
      double[][] centres = kMeansCentres(dataset);
      MixtureComponents.Update start =
          MixtureComponents.reestimate(nearestCentreSums(points, centres, dimension), centres, minimumMass);
      MixtureComponents components = survivors(start, 0, minimumMass);

      double previous = Double.NEGATIVE_INFINITY;
      double change = Double.POSITIVE_INFINITY;
      int iteration = 0;
      while (iteration < maxIterations && change >= TOLERANCE) {
        iteration++;
        MixtureComponents.Sums sums = expectationSums(points, components);
        double meanLogLikelihood = sums.logLikelihood / sums.points;
        if (!Double.isFinite(meanLogLikelihood)) {
          throw new ClusteringError(String.format(Locale.ROOT,
              "Gaussian mixture: the log-likelihood is %s at iteration %d; a scaled clustering feature is not finite (check segmentation.features)",
              meanLogLikelihood, iteration));
        }
        change = Math.abs(meanLogLikelihood - previous);
        previous = meanLogLikelihood;
        components = survivors(MixtureComponents.reestimate(sums, components.means(), minimumMass), iteration, minimumMass);
      }
      boolean converged = change < TOLERANCE;
      if (converged) {
        LOG.info(String.format(Locale.ROOT, "Gaussian mixture: %d components converged after %d iterations (mean log-likelihood %.6f)",
            components.size(), iteration, previous));
      } else {
        LOG.warn(String.format(Locale.ROOT,
            "Gaussian mixture: stopped at segmentation.max_iterations = %d before converging (last change of the mean log-likelihood %.3g > %.0e); raise it for a tighter fit",
            maxIterations, change, TOLERANCE));
      }
      return new BoundedGaussianMixtureModel(uid, components, featuresCol, predictionCol, iteration, converged);
    } finally {
      points.unpersist(false);
    }
  }

  /** k-means (same k, seed and iteration bound) on the same features: the starting centres. */
  private double[][] kMeansCentres(Dataset<?> dataset) {
    Vector[] centres =
        new KMeans()
            .setK(k)
            .setSeed(seed)
            .setMaxIter(maxIterations)
            .setFeaturesCol(featuresCol)
            .setPredictionCol(uid + "_start")
            .fit(dataset)
            .clusterCenters();
    return Arrays.stream(centres).map(Vector::toArray).toArray(double[][]::new);
  }

  /** The mixture that survived an M-step; fewer than two components is no segmentation. */
  private MixtureComponents survivors(MixtureComponents.Update update, int iteration, double minimumMass) {
    if (!update.dropped().isEmpty()) {
      LOG.warn(String.format(Locale.ROOT,
          "Gaussian mixture: %s held fewer than %.0f customers (too few for a covariance) at iteration %d and %s dropped",
          String.join(", ", update.dropped()), minimumMass, iteration, update.dropped().size() == 1 ? "was" : "were"));
    }
    int left = update.components() == null ? 0 : update.components().size();
    if (left < 2) {
      throw new ClusteringError(String.format(Locale.ROOT,
          "Gaussian mixture: only %d of k = %d components kept at least %.0f customers (dropped: %s); "
              + "the customers do not form %d distinct groups: lower segmentation.k or use segmentation.algorithm = kmeans",
          left, k, minimumMass, String.join(", ", update.dropped()), k));
    }
    return update.components();
  }

  /** Sums of each k-means cluster (every customer to its nearest centre), deviations from the centres. */
  private static MixtureComponents.Sums nearestCentreSums(JavaRDD<double[]> points, double[][] centres, int dimension) {
    int clusters = centres.length;
    return sumPartitions(points.mapPartitions(rows -> {
      MixtureComponents.Sums sums = new MixtureComponents.Sums(clusters, dimension);
      double[] oneHot = new double[clusters];
      while (rows.hasNext()) {
        double[] x = rows.next();
        int nearest = 0;
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < clusters; j++) {
          double distance = 0;
          for (int a = 0; a < dimension; a++) {
            double diff = x[a] - centres[j][a];
            distance += diff * diff;
          }
          if (distance < best) {
            best = distance;
            nearest = j;
          }
        }
        Arrays.fill(oneHot, 0);
        oneHot[nearest] = 1;
        sums.add(x, oneHot, centres);
        sums.points++;
      }
      return List.of(sums).iterator();
    }));
  }

  /** The E-step: each customer's responsibilities, summed with deviations from the current means. */
  private static MixtureComponents.Sums expectationSums(JavaRDD<double[]> points, MixtureComponents components) {
    int size = components.size();
    int dimension = components.dimension();
    double[][] means = components.means();
    return sumPartitions(points.mapPartitions(rows -> {
      MixtureComponents.Sums sums = new MixtureComponents.Sums(size, dimension);
      double[] responsibilities = new double[size];
      while (rows.hasNext()) {
        double[] x = rows.next();
        components.weightedLogDensities(x, responsibilities);
        sums.logLikelihood += MixtureComponents.toResponsibilities(responsibilities);
        sums.points++;
        sums.add(x, responsibilities, means);
      }
      return List.of(sums).iterator();
    }));
  }

  /**
   * One small array per partition comes back and is added up in partition order: the same
   * partitioning gives bit-identical sums, so reruns give the same mixture (a tree reduce adds in
   * task-completion order).
   */
  private static MixtureComponents.Sums sumPartitions(JavaRDD<MixtureComponents.Sums> perPartition) {
    List<MixtureComponents.Sums> parts = new ArrayList<>(perPartition.collect());
    MixtureComponents.Sums total = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      total.merge(parts.get(i));
    }
    return total;
  }
}
