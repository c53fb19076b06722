package io.customerpyramid.segmentation;

import static org.apache.spark.sql.functions.col;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Fits the configured segmentation pipeline for each k and seed, measures each fit (WSSSE,
 * silhouette, Calinski–Harabasz, Davies–Bouldin, smallest cluster) and the agreement between seeds,
 * and recommends a k by a rule it states.
 */
public final class KSweep {

  private static final String LABEL_PREFIX = "label_seed_";

  private KSweep() {}

  /** One fit: k, seed and its metrics (silhouette on a sample; the rest exact). */
  public record Trial(
      int k, long seed, double wssse, double silhouette, double calinskiHarabasz, double daviesBouldin,
      double smallestClusterShare, int clustersFound, double previousMatch) {}

  /**
   * One k over its seeds: mean metrics, the smallest cluster share of its worst seed, and stability
   * (mean pairwise adjusted Rand index of the seeds' labelings; empty with a single seed).
   */
  public record KSummary(
      int k, double wssse, double silhouette, double calinskiHarabasz, double daviesBouldin,
      double smallestClusterShare, Optional<Double> stability, boolean eligible, Optional<Double> previousMatch) {}

  /** The sweep: every trial, one summary per k, the recommended k and the rule that chose it. */
  public record Result(List<Trial> trials, List<KSummary> byK, int recommendedK, String rule, boolean fallback) {

    /** The k_sweep table: one row per k and seed, with the k's stability and whether it is recommended. */
    public Dataset<Row> table(SparkSession spark) {
      StructType schema =
          new StructType()
              .add(Columns.K, DataTypes.IntegerType, false)
              .add(Columns.SEED, DataTypes.LongType, false)
              .add(Columns.WSSSE, DataTypes.DoubleType, false)
              .add(Columns.SILHOUETTE, DataTypes.DoubleType, false)
              .add(Columns.CALINSKI_HARABASZ, DataTypes.DoubleType, false)
              .add(Columns.DAVIES_BOULDIN, DataTypes.DoubleType, false)
              .add(Columns.SMALLEST_CLUSTER_SHARE, DataTypes.DoubleType, false)
              .add(Columns.CLUSTERS_FOUND, DataTypes.IntegerType, false)
              .add(Columns.STABILITY, DataTypes.DoubleType, true)
              .add(Columns.RECOMMENDED, DataTypes.BooleanType, false)
              .add(Columns.PREVIOUS_MATCH, DataTypes.DoubleType, true);
      List<Row> rows = new ArrayList<>();
      for (Trial t : trials) {
        KSummary summary = byK.stream().filter(s -> s.k() == t.k()).findFirst().orElseThrow();
        rows.add(
            RowFactory.create(
                t.k(), t.seed(), t.wssse(), t.silhouette(), t.calinskiHarabasz(), t.daviesBouldin(),
                t.smallestClusterShare(), t.clustersFound(), summary.stability().orElse(null), t.k() == recommendedK,
                Double.isNaN(t.previousMatch()) ? null : t.previousMatch()));
      }
      return spark.createDataFrame(rows, schema);
    }
  }

  /**
   * Runs the sweep.
   *
   * @param customers one row per customer with customer_id and the configured features
   * @param seeds seeds per k: the configured seed, seed + 1, ...
   * @param partitions partitions the customers are put in before fitting (about one per core)
   * @param progress receives one line per finished k
   */
  public static Result run(
      Dataset<Row> customers, JobConfig.Segmentation segmentation, JobConfig.Tuning tuning, List<Integer> ks,
      int seeds, int partitions, Consumer<String> progress) {
    return run(customers, segmentation, tuning, ks, seeds, partitions, Optional.empty(), progress);
  }

  /**
   * Runs the sweep and, with a previous snapshot, measures for every fit the share of its segments
   * that match one of the previous snapshot's within {@code segmentation.match_max_distance}: how
   * well a run with that k would keep the segments' ids and meaning.
   */
  public static Result run(
      Dataset<Row> customers, JobConfig.Segmentation segmentation, JobConfig.Tuning tuning, List<Integer> ks,
      int seeds, int partitions, Optional<KMeansSegmentation.Previous> previous, Consumer<String> progress) {
    // Fixed row order, as in a run: same data and seed, same clusters.
    Dataset<Row> ordered =
        KMeansSegmentation.inFixedOrder(customers, segmentation, partitions).persist(StorageLevel.MEMORY_AND_DISK());
    long rows = ordered.count();
    Dataset<Row> stabilitySample =
        (rows > tuning.stabilitySampleSize()
                ? ordered.sample(false, tuning.stabilitySampleSize() / (double) rows, segmentation.seed())
                : ordered)
            .persist(StorageLevel.MEMORY_AND_DISK());
    // The preprocessing (winsorising bounds, scaler) does not depend on k or the seed: fitted once,
    // its scaled vectors cached, and only the clustering is fitted per (k, seed).
    PipelineModel preprocessing = KMeansSegmentation.preprocessing(segmentation, ordered);
    Dataset<Row> scaled = scaledVectors(preprocessing, ordered);
    // The fits read a projection of the cached vectors, which is not itself cached: MLlib's k-means
    // then keeps the vectors as Java objects with their norms for its iterations, where from a cached
    // Dataset every iteration would decode every row again.
    Dataset<Row> toFit = scaled.select(KMeansSegmentation.SCALED);
    Dataset<Row> scaledSample = scaledVectors(preprocessing, stabilitySample);
    Map<Integer, double[]> previousCentres =
        previous.map(p -> KMeansSegmentation.previousCentres(preprocessing, p.customers(), segmentation.features()))
            .orElse(Map.of());
    List<Trial> trials = new ArrayList<>();
    List<KSummary> summaries = new ArrayList<>();
    try {
      for (int k : ks) {
        List<Trial> kTrials = new ArrayList<>();
        Dataset<Row> labels = scaledSample.select(Columns.CUSTOMER_ID);
        for (int s = 0; s < seeds; s++) {
          long seed = segmentation.seed() + s;
          JobConfig.Segmentation config = segmentation.withKAndSeed(k, seed);
          Model<?> clustering = Clusterers.fit(config, toFit);
          kTrials.add(measure(clustering, scaled, rows, k, seed, tuning, previousCentres, segmentation.matchMaxDistance()));
          labels =
              labels.join(
                  clustering
                      .transform(scaledSample)
                      .select(col(Columns.CUSTOMER_ID), col(KMeansSegmentation.CLUSTER).as(LABEL_PREFIX + s)),
                  Columns.CUSTOMER_ID);
        }
        Optional<Double> stability = stability(labels.persist(StorageLevel.MEMORY_AND_DISK()), seeds);
        labels.unpersist();
        KSummary summary = summarise(k, kTrials, stability, tuning);
        trials.addAll(kTrials);
        summaries.add(summary);
        progress.accept(progressLine(summary));
      }
    } finally {
      scaled.unpersist();
      scaledSample.unpersist();
      ordered.unpersist();
      stabilitySample.unpersist();
    }
    return recommend(trials, summaries, tuning);
  }

  /**
   * The configuration with k fixed: as configured, or for {@code segmentation.k = "auto"} the k that
   * a sweep over {@code auto_k_range} recommends (the rule of {@link #recommend}).
   *
   * @param notes receives the summary's line on the choice
   */
  public static JobConfig.Segmentation chooseK(
      Dataset<Row> customers, JobConfig.Segmentation segmentation, JobConfig.Tuning tuning, int partitions,
      Consumer<String> notes) {
    if (segmentation.autoK().isEmpty()) {
      return segmentation;
    }
    JobConfig.AutoK auto = segmentation.autoK().get();
    List<Integer> ks = new ArrayList<>();
    for (int k = auto.min(); k <= auto.max(); k++) {
      ks.add(k);
    }
    JobConfig.Segmentation features = FeatureCorrelations.select(customers, segmentation).config();
    Result sweep = run(customers, features, tuning, ks, auto.seeds(), partitions, line -> {});
    KSummary chosen = sweep.byK().stream().filter(s -> s.k() == sweep.recommendedK()).findFirst().orElseThrow();
    notes.accept(String.format(
        Locale.ROOT, "k = %d chosen by tune-k's rule over k = %d..%d with %d seed(s)%s: silhouette %.3f, smallest cluster %.1f%%%s",
        chosen.k(), auto.min(), auto.max(), auto.seeds(), sweep.fallback() ? " (fallback: no k was stable with no tiny cluster)" : "",
        chosen.silhouette(), 100 * chosen.smallestClusterShare(),
        chosen.stability().map(v -> String.format(Locale.ROOT, ", stability %.3f", v)).orElse("")));
    return segmentation.withKAndSeed(sweep.recommendedK(), segmentation.seed());
  }

  /** Customer id and scaled feature vector, in the rows' order, cached. */
  private static Dataset<Row> scaledVectors(PipelineModel preprocessing, Dataset<Row> rows) {
    return preprocessing
        .transform(rows)
        .select(Columns.CUSTOMER_ID, KMeansSegmentation.SCALED)
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  private static Trial measure(
      Model<?> clustering, Dataset<Row> scaled, long rows, int k, long seed, JobConfig.Tuning tuning,
      Map<Integer, double[]> previousCentres, double matchMaxDistance) {
    Dataset<Row> predicted =
        clustering
            .transform(scaled)
            .select(KMeansSegmentation.SCALED, KMeansSegmentation.CLUSTER)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<ClusterMetrics.ClusterSums> sums =
          ClusterMetrics.clusterSums(predicted, KMeansSegmentation.SCALED, KMeansSegmentation.CLUSTER);
      double silhouette =
          sums.size() < 2
              ? Double.NaN
              : ClusterMetrics.silhouette(
                  predicted, KMeansSegmentation.SCALED, KMeansSegmentation.CLUSTER, rows, tuning.silhouetteSampleSize(), seed);
      return new Trial(
          k, seed, Clusterers.trainingCost(clustering, sums), silhouette, ClusterMetrics.calinskiHarabasz(sums),
          ClusterMetrics.daviesBouldin(sums), ClusterMetrics.smallestClusterShare(sums), sums.size(),
          previousMatch(sums, previousCentres, matchMaxDistance));
    } finally {
      predicted.unpersist();
    }
  }

  /** Share of the fit's clusters matched to a previous segment within the distance; NaN without a previous snapshot. */
  private static double previousMatch(
      List<ClusterMetrics.ClusterSums> sums, Map<Integer, double[]> previousCentres, double matchMaxDistance) {
    if (previousCentres.isEmpty() || sums.isEmpty()) {
      return Double.NaN;
    }
    Map<Integer, double[]> centres = new TreeMap<>();
    sums.forEach(c -> centres.put(c.cluster(), c.centroid()));
    long matched =
        SegmentMatching.match(centres, previousCentres, matchMaxDistance).values().stream()
            .filter(SegmentMatching.Match::matched)
            .count();
    return matched / (double) centres.size();
  }

  /** Mean adjusted Rand index over every pair of seeds. */
  private static Optional<Double> stability(Dataset<Row> labels, int seeds) {
    if (seeds < 2) {
      return Optional.empty();
    }
    double total = 0;
    int pairs = 0;
    for (int a = 0; a < seeds; a++) {
      for (int b = a + 1; b < seeds; b++) {
        total += ClusterMetrics.adjustedRandIndex(labels, LABEL_PREFIX + a, LABEL_PREFIX + b);
        pairs++;
      }
    }
    return Optional.of(total / pairs);
  }

  public static KSummary summarise(int k, List<Trial> trials, Optional<Double> stability, JobConfig.Tuning tuning) {
    double smallest = trials.stream().mapToDouble(Trial::smallestClusterShare).min().orElse(0);
    boolean eligible = smallest >= tuning.minClusterShare() && stability.map(s -> s >= tuning.minStability()).orElse(true);
    return new KSummary(
        k,
        trials.stream().mapToDouble(Trial::wssse).average().orElse(Double.NaN),
        trials.stream().mapToDouble(Trial::silhouette).average().orElse(Double.NaN),
        trials.stream().mapToDouble(Trial::calinskiHarabasz).average().orElse(Double.NaN),
        trials.stream().mapToDouble(Trial::daviesBouldin).average().orElse(Double.NaN),
        smallest,
        stability,
        eligible,
        trials.stream().anyMatch(t -> !Double.isNaN(t.previousMatch()))
            ? Optional.of(trials.stream().mapToDouble(Trial::previousMatch).filter(v -> !Double.isNaN(v)).average().orElse(0))
            : Optional.empty());
  }

  /** The rule: best mean silhouette among eligible k (ties to the smaller k); with none eligible, among all k. */
  public static Result recommend(List<Trial> trials, List<KSummary> summaries, JobConfig.Tuning tuning) {
    Comparator<KSummary> bySilhouette =
        Comparator.comparingDouble((KSummary s) -> Double.isNaN(s.silhouette()) ? Double.NEGATIVE_INFINITY : s.silhouette())
            .reversed()
            .thenComparingInt(KSummary::k);
    String rule =
        String.format(
            Locale.ROOT,
            "recommended k = the best mean silhouette among the k whose seeds agree (stability >= %.2f, mean adjusted Rand"
                + " index between seeds; not measured with one seed) and whose smallest cluster holds >= %.1f%% of customers",
            tuning.minStability(),
            100 * tuning.minClusterShare());
    Optional<KSummary> best = summaries.stream().filter(KSummary::eligible).min(bySilhouette);
    if (best.isPresent()) {
      return new Result(List.copyOf(trials), List.copyOf(summaries), best.get().k(), rule, false);
    }
    KSummary fallback = summaries.stream().min(bySilhouette).orElseThrow(() -> new IllegalArgumentException("no k to sweep"));
    return new Result(
        List.copyOf(trials), List.copyOf(summaries), fallback.k(),
        rule + "; no k met both conditions, so the fallback is the best mean silhouette over all k", true);
  }

  private static String progressLine(KSummary s) {
    return String.format(
        Locale.ROOT,
        "k=%d: WSSSE %.1f, silhouette %.3f, CH %.1f, DB %.3f, smallest cluster %.1f%%, stability %s%s",
        s.k(), s.wssse(), s.silhouette(), s.calinskiHarabasz(), s.daviesBouldin(), 100 * s.smallestClusterShare(),
        s.stability().map(v -> String.format(Locale.ROOT, "%.3f", v)).orElse("n/a"),
        s.previousMatch().map(v -> String.format(Locale.ROOT, ", %.0f%% of segments match the previous snapshot's", 100 * v)).orElse(""));
  }
}
