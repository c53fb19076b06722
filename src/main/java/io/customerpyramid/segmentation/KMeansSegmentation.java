package io.customerpyramid.segmentation;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.RobustScaler;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * Market segmentation with an MLlib pipeline: configured features, optional winsorising, signed log1p
 * on skewed ones, standard or robust scaling, then k-means, bisecting k-means or a Gaussian mixture
 * with a fixed seed. Cluster ids are renumbered by mean contribution
 * (1 = most valuable) so that labels do not depend on k-means' internal numbering.
 */
public final class KMeansSegmentation {

  static final String FEATURE_PREFIX = "kmeans_in_";
  private static final double WINSORIZE_ERROR = 0.001;
  public static final String ASSEMBLED = "kmeans_features";
  public static final String SCALED = "kmeans_scaled";
  public static final String CLUSTER = "kmeans_cluster";

  private KMeansSegmentation() {}

  /**
   * The fitted model and each customer's segment. The model ends with the cluster-to-segment
   * numbering, so a saved model scores new customers with the segment ids of the run that fitted it.
   */
  public record Result(
      PipelineModel model, Dataset<Row> assignments, double trainingCost, int[] clusterToSegment, List<SmallSegment> smallSegments,
      List<String> notes) {

    /** The segments published as "outliers" (small_segments = outliers). */
    public java.util.Set<Integer> outlierSegments() {
      return smallSegments.stream().filter(s -> !s.merged()).map(SmallSegment::segmentId).collect(Collectors.toSet());
    }

    /**
     * The customers with their segment_id added: the model applied row by row (no join, no shuffle),
     * which gives each customer the segment of {@link #assignments()}.
     */
    public Dataset<Row> withSegments(Dataset<Row> customers) {
      List<Column> columns = new ArrayList<>();
      for (String name : customers.columns()) {
        columns.add(col(name));
      }
      columns.add(col(Columns.SEGMENT_ID));
      return model.transform(customers).select(columns.toArray(Column[]::new));
    }

    /** The features the model clusters on, in its order (a saved model's may differ from the configuration's). */
    public List<String> features() {
      return clusteringFeatures(model);
    }
  }

  /**
   * A cluster under segmentation.min_segment_share of customers.
   *
   * @param segmentId the segment it was merged into, or its own (published as outliers)
   */
  public record SmallSegment(long customers, double share, int segmentId, boolean merged) {

    /** The line the run summary prints. */
    public String describe(double minShare) {
      String size = String.format(java.util.Locale.ROOT, "%,d customer%s (%.2f%%)", customers, customers == 1 ? "" : "s", 100 * share);
      String threshold = String.format(java.util.Locale.ROOT, "segmentation.min_segment_share %.2f%%", 100 * minShare);
      return merged
          ? "a cluster of " + size + " is under " + threshold + ": merged into segment " + segmentId + " (nearest centre)"
          : "segment " + segmentId + " holds " + size + ", under " + threshold + ": published as \"outliers\"";
    }
  }

  /** The input features of the model's assembler, without the pipeline's column prefix. */
  static List<String> clusteringFeatures(PipelineModel model) {
    for (Transformer stage : model.stages()) {
      if (stage instanceof VectorAssembler assembler) {
        return Arrays.stream(assembler.getInputCols()).map(c -> c.substring(FEATURE_PREFIX.length())).toList();
      }
      if (stage instanceof PipelineModel inner) {
        List<String> features = clusteringFeatures(inner);
        if (!features.isEmpty()) {
          return features;
        }
      }
    }
    return List.of();
  }

  /**
   * The unfitted pipeline; stages connect by column name: feature expressions (winsorising, signed
   * log), assembly, scaling, then the configured clustering algorithm.
   *
   * @param training the rows it will be fitted on: winsorising bounds are their percentiles, fixed in the pipeline
   */
  public static Pipeline pipeline(JobConfig.Segmentation config, Dataset<Row> training) {
    Map<String, double[]> bounds = winsorizingBounds(config, training);
    String selectList =
        config.features().stream()
            .map(f -> transformExpression(f, config.logFeatures().contains(f), bounds.get(f)) + " AS " + FEATURE_PREFIX + f)
            .collect(Collectors.joining(", "));
    SQLTransformer transform = new SQLTransformer().setStatement("SELECT *, " + selectList + " FROM __THIS__");
    VectorAssembler assembler =
        new VectorAssembler()
            .setInputCols(config.features().stream().map(f -> FEATURE_PREFIX + f).toArray(String[]::new))
            .setOutputCol(ASSEMBLED);
    // Bisecting k-means splits a cluster by nudging its centre by 1e-4 of the centre's norm: at the
    // origin (centred data) the nudge is zero and it never splits. Distances do not depend on centring.
    boolean centre = config.algorithm() != JobConfig.Algorithm.BISECTING_KMEANS;
    PipelineStage scaler =
        config.scaling() == JobConfig.Scaling.ROBUST
            ? new RobustScaler().setInputCol(ASSEMBLED).setOutputCol(SCALED).setWithCentering(centre).setWithScaling(true)
            : new StandardScaler().setInputCol(ASSEMBLED).setOutputCol(SCALED).setWithMean(centre).setWithStd(true);
    return new Pipeline().setStages(new PipelineStage[] {transform, assembler, scaler, Clusterers.estimator(config)});
  }

  /**
   * The preprocessing alone, fitted: feature expressions (with the winsorising bounds of {@code
   * training}), assembly and scaling. It does not depend on k or the seed, so a sweep fits it once.
   */
  public static PipelineModel preprocessing(JobConfig.Segmentation config, Dataset<Row> training) {
    PipelineStage[] stages = pipeline(config, training).getStages();
    return new Pipeline().setStages(java.util.Arrays.copyOf(stages, stages.length - 1)).fit(training);
  }

  /** The feature expressions and assembly only (no scaling, no clustering): what correlations are computed on. */
  public static Dataset<Row> assembledFeatures(JobConfig.Segmentation config, Dataset<Row> customers) {
    Pipeline full = pipeline(config, customers);
    PipelineStage[] stages = full.getStages();
    return new Pipeline().setStages(new PipelineStage[] {stages[0], stages[1]}).fit(customers).transform(customers);
  }

  /**
   * Per feature its lower and upper percentile, exact (the same on every run: approximate ones
   * depend on the order in which tasks finish, and move border customers to other clusters); empty
   * when off.
   */
  private static Map<String, double[]> winsorizingBounds(JobConfig.Segmentation config, Dataset<Row> training) {
    Map<String, double[]> bounds = new HashMap<>();
    double p = config.winsorizePercentile();
    if (p <= 0) {
      return bounds;
    }
    String[] columns = config.features().toArray(String[]::new);
    Column[] values = Arrays.stream(columns).map(f -> functions.expr(valueExpression(f)).as(f)).toArray(Column[]::new);
    double[][] quantiles = io.customerpyramid.features.ExactQuantiles.of(training.select(values), columns, new double[] {p, 1 - p}, WINSORIZE_ERROR);
    for (int i = 0; i < columns.length; i++) {
      if (quantiles[i].length == 2) {
        bounds.put(columns[i], quantiles[i]);
      }
    }
    return bounds;
  }

  /** A missing value (rate without a denominator) clusters as 0; money may be negative, hence the signed log. */
  private static String transformExpression(String feature, boolean log, double[] bounds) {
    String value = valueExpression(feature);
    if (bounds != null) {
      value = "least(greatest(" + value + ", " + bounds[0] + "D), " + bounds[1] + "D)";
    }
    return log ? "signum(" + value + ") * log1p(abs(" + value + "))" : value;
  }

  private static String valueExpression(String feature) {
    return "coalesce(CAST(`" + feature + "` AS DOUBLE), 0D)";
  }

  /**
   * The previous snapshot's customers with their segment, to keep segment ids meaning the same thing
   * ({@link SegmentMatching}).
   *
   * @param customers customer_id, segment_id and the features (customer_features joined with customer_segments)
   */
  public record Previous(String snapshotDate, Dataset<Row> customers) {}

  /** Fits and assigns segments, numbered by mean contribution (no previous snapshot to follow). */
  public static Result fit(Dataset<Row> customers, JobConfig.Segmentation config, int partitions) {
    return fit(customers, config, partitions, java.util.Optional.empty());
  }

  /**
   * Fits and assigns segments. Rows are put in a fixed order first (hash partitions by customer id,
   * sorted), so that the same data and seed give the same clusters on every run. Segment ids go by
   * mean contribution (1 = highest), unless there is a previous snapshot: then each segment takes the
   * id of the previous segment it is matched with.
   *
   * @param customers one row per customer with customer_id, the features and contribution
   * @return assignments with columns customer_id, segment_id
   */
  public static Result fit(
      Dataset<Row> customers, JobConfig.Segmentation config, int partitions, java.util.Optional<Previous> previous) {
    // Cached once: the percentiles, the scaler, the clustering and the ranking of the clusters (by
    // contribution) each pass over these rows.
    Dataset<Row> ordered =
        inFixedOrder(customers, config, partitions, Columns.CONTRIBUTION).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      FeatureCorrelations.Selection selection = FeatureCorrelations.select(ordered, config);
      JobConfig.Segmentation used = selection.config();
      List<String> notes = new ArrayList<>(selection.notes());
      PipelineModel preprocessing = preprocessing(used, ordered);
      // The previous segments' centres in this fit's scaled space (one pass over its customers).
      Map<Integer, double[]> previousCentres =
          previous.map(p -> previousCentres(preprocessing, p.customers(), used.features())).orElse(Map.of());
      Transformer clusterer;
      if (used.algorithm() == JobConfig.Algorithm.KMEANS && previousCentres.size() == used.k()) {
        // Lloyd's iterations from last month's centres: the refit finds the same segments where the
        // data still has them, instead of whichever local optimum a random start falls into.
        clusterer = warmStartedKMeans(used, preprocessing.transform(ordered), previousCentres);
        notes.add("k-means started from " + previous.get().snapshotDate() + "'s segment centres (same k)");
      } else {
        clusterer = Clusterers.fit(used, preprocessing.transform(ordered));
      }
      // Transformers only: assembling the pipeline touches no rows.
      PipelineModel clustering = new Pipeline().setStages(new PipelineStage[] {preprocessing, clusterer}).fit(ordered);
      Dataset<Row> predicted = clustering.transform(ordered);
      List<ClusterMetrics.ClusterSums> sums = ClusterMetrics.clusterSums(predicted, SCALED, CLUSTER);
      List<SmallClusters.Small> small = SmallClusters.find(sums, used.minSegmentShare(), used.smallSegments());
      int[] byContribution = rankClustersByContribution(predicted, config.k(), SmallClusters.groups(config.k(), small));
      int[] clusterToSegment = byContribution;
      if (previous.isPresent()) {
        if (previousCentres.isEmpty()) {
          notes.add("segments not matched to " + previous.get().snapshotDate() + "'s: its tables lack the clustering features");
        } else {
          Map<Integer, SegmentMatching.Match> matches =
              SegmentMatching.match(segmentCentres(sums, byContribution), previousCentres, used.matchMaxDistance());
          clusterToSegment = new int[byContribution.length];
          for (int cluster = 0; cluster < byContribution.length; cluster++) {
            clusterToSegment[cluster] = byContribution[cluster] > 0 ? matches.get(byContribution[cluster]).segmentId() : -1;
          }
          notes.add(SegmentMatching.describe(matches, previous.get().snapshotDate(), used.matchMaxDistance()));
        }
      }
      int[] numbering = clusterToSegment;
      PipelineModel model = withSegmentNumbering(clustering, numbering, ordered);
      double cost = Clusterers.trainingCost(clusterer, sums);
      Dataset<Row> assignments = model.transform(customers).select(Columns.CUSTOMER_ID, Columns.SEGMENT_ID);
      List<SmallSegment> smallSegments =
          small.stream()
              .map(c -> new SmallSegment(c.customers(), c.share(), numbering[c.cluster()], c.merged()))
              .toList();
      return new Result(model, assignments, cost, numbering, smallSegments, List.copyOf(notes));
    } finally {
      ordered.unpersist();
    }
  }

  /**
   * k-means (Lloyd's iterations, at most {@code max_iterations}) on the scaled vectors, from the
   * given centres instead of k-means||: MLlib's RDD-based k-means takes an initial model, its
   * DataFrame-based one does not; the result is wrapped as the DataFrame-based model the pipeline saves.
   */
  private static Transformer warmStartedKMeans(JobConfig.Segmentation config, Dataset<Row> scaled, Map<Integer, double[]> centres) {
    org.apache.spark.mllib.linalg.Vector[] initial =
        centres.values().stream().map(org.apache.spark.mllib.linalg.Vectors::dense).toArray(org.apache.spark.mllib.linalg.Vector[]::new);
    org.apache.spark.api.java.JavaRDD<org.apache.spark.mllib.linalg.Vector> points =
        scaled.select(SCALED).javaRDD()
            .map(row -> org.apache.spark.mllib.linalg.Vectors.fromML((org.apache.spark.ml.linalg.Vector) row.get(0)))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      org.apache.spark.mllib.clustering.KMeansModel fitted =
          new org.apache.spark.mllib.clustering.KMeans()
              .setK(config.k())
              .setMaxIterations(config.maxIterations())
              .setSeed(config.seed())
              .setInitialModel(new org.apache.spark.mllib.clustering.KMeansModel(initial))
              .run(points.rdd());
      return new org.apache.spark.ml.clustering.KMeansModel(org.apache.spark.ml.util.Identifiable.randomUID("kmeans"), fitted)
          .setFeaturesCol(SCALED)
          .setPredictionCol(CLUSTER);
    } finally {
      points.unpersist();
    }
  }

  /** Each segment's centre (mean scaled vector), from the per-cluster sums: merged clusters count together. */
  private static Map<Integer, double[]> segmentCentres(List<ClusterMetrics.ClusterSums> sums, int[] clusterToSegment) {
    Map<Integer, double[]> total = new java.util.TreeMap<>();
    Map<Integer, Long> count = new HashMap<>();
    for (ClusterMetrics.ClusterSums c : sums) {
      int segment = clusterToSegment[c.cluster()];
      if (segment <= 0) {
        continue;
      }
      double[] sum = total.computeIfAbsent(segment, s -> new double[c.sum().length]);
      for (int d = 0; d < sum.length; d++) {
        sum[d] += c.sum()[d];
      }
      count.merge(segment, c.count(), Long::sum);
    }
    total.forEach((segment, sum) -> {
      for (int d = 0; d < sum.length; d++) {
        sum[d] /= count.get(segment);
      }
    });
    return total;
  }

  /**
   * The previous snapshot's segment centres in this fit's scaled space: its customers go through this
   * fit's feature transforms and scaler (k rows reach the driver). Empty when a feature is missing.
   *
   * @param clustering a fitted pipeline whose output has the scaled vectors (with or without the clustering)
   */
  static Map<Integer, double[]> previousCentres(PipelineModel clustering, Dataset<Row> previous, List<String> features) {
    java.util.Set<String> columns = java.util.Set.of(previous.columns());
    if (!columns.contains(Columns.SEGMENT_ID) || !columns.containsAll(features)) {
      return Map.of();
    }
    Map<Integer, double[]> centres = new java.util.TreeMap<>();
    Dataset<Row> scaled = clustering.transform(previous.filter(col(Columns.SEGMENT_ID).isNotNull()));
    for (Row row : scaled.groupBy(Columns.SEGMENT_ID).agg(org.apache.spark.ml.stat.Summarizer.mean(col(SCALED))).collectAsList()) {
      centres.put(row.getInt(0), ((org.apache.spark.ml.linalg.Vector) row.get(1)).toArray());
    }
    return centres;
  }

  /**
   * Only customer_id, the features and {@code alsoKept}, hash-partitioned by customer id and sorted:
   * the same data and seed then give the same clusters on every run, however the customers came
   * partitioned.
   */
  public static Dataset<Row> inFixedOrder(
      Dataset<Row> customers, JobConfig.Segmentation config, int partitions, String... alsoKept) {
    Column[] used =
        java.util.stream.Stream.of(
                java.util.stream.Stream.of(Columns.CUSTOMER_ID), config.features().stream(), java.util.Arrays.stream(alsoKept))
            .flatMap(names -> names)
            .distinct()
            .map(functions::col)
            .toArray(Column[]::new);
    return customers.select(used).repartition(partitions, col(Columns.CUSTOMER_ID)).sortWithinPartitions(Columns.CUSTOMER_ID);
  }

  /**
   * Assigns segments with a saved model (from {@link #fit}) without refitting: same features, same
   * centres, same segment numbering. The training cost is the WSSSE of these customers.
   */
  public static Result score(PipelineModel model, Dataset<Row> customers) {
    // Scoring is row by row: no fixed order is needed.
    Dataset<Row> predicted = model.transform(customers);
    // k rows: which cluster number carries which segment id in this model.
    List<Row> pairs = predicted.select(CLUSTER, Columns.SEGMENT_ID).distinct().collectAsList();
    int clusters = pairs.stream().mapToInt(r -> r.getInt(0) + 1).max().orElse(0);
    int[] clusterToSegment = new int[clusters];
    Arrays.fill(clusterToSegment, -1);
    for (Row pair : pairs) {
      clusterToSegment[pair.getInt(0)] = pair.isNullAt(1) ? -1 : pair.getInt(1);
    }
    double cost = ClusterMetrics.withinSquares(ClusterMetrics.clusterSums(predicted, SCALED, CLUSTER));
    return new Result(model, predicted.select(Columns.CUSTOMER_ID, Columns.SEGMENT_ID), cost, clusterToSegment, List.of(), List.of());
  }

  /** The clustering model followed by a stage that turns cluster numbers into segment ids. */
  private static PipelineModel withSegmentNumbering(PipelineModel clustering, int[] clusterToSegment, Dataset<Row> data) {
    StringBuilder cases = new StringBuilder("CASE `" + CLUSTER + "`");
    for (int cluster = 0; cluster < clusterToSegment.length; cluster++) {
      if (clusterToSegment[cluster] > 0) {
        cases.append(" WHEN ").append(cluster).append(" THEN ").append(clusterToSegment[cluster]);
      }
    }
    cases.append(" ELSE NULL END");
    SQLTransformer numbering =
        new SQLTransformer()
            .setStatement("SELECT *, CAST(" + cases + " AS INT) AS " + Columns.SEGMENT_ID + " FROM __THIS__");
    // A pipeline of transformers only: fitting checks the schema and touches no rows.
    return new Pipeline().setStages(new PipelineStage[] {clustering, numbering}).fit(data);
  }

  /**
   * k rows come back to the driver: mean contribution per group of clusters (a cluster merged into
   * another is in that one's group), ranked highest first, ties broken by cluster number; every
   * cluster of a group gets the group's segment id.
   *
   * @param groups cluster number to the cluster whose group it is in ({@link SmallClusters#groups})
   */
  static int[] rankClustersByContribution(Dataset<Row> predicted, int k, int[] groups) {
    double[] contribution = new double[k];
    long[] customers = new long[k];
    for (Row row : predicted.groupBy(CLUSTER).agg(functions.sum(Columns.CONTRIBUTION), functions.count(functions.lit(1))).collectAsList()) {
      int group = groups[row.getInt(0)];
      contribution[group] += row.isNullAt(1) ? 0.0 : ((Number) row.get(1)).doubleValue();
      customers[group] += row.getLong(2);
    }
    record GroupValue(int cluster, double meanContribution) {}
    List<GroupValue> values = new ArrayList<>();
    for (int cluster = 0; cluster < k; cluster++) {
      // k-means can return fewer clusters than k (duplicate centres): a cluster without customers gets no segment.
      if (customers[cluster] > 0) {
        values.add(new GroupValue(cluster, contribution[cluster] / customers[cluster]));
      }
    }
    values.sort(Comparator.comparingDouble(GroupValue::meanContribution).reversed().thenComparingInt(GroupValue::cluster));
    int[] segmentOfGroup = new int[k];
    for (int i = 0; i < values.size(); i++) {
      segmentOfGroup[values.get(i).cluster()] = i + 1;
    }
    int[] mapping = new int[k];
    java.util.Arrays.fill(mapping, -1);
    for (int cluster = 0; cluster < k; cluster++) {
      if (segmentOfGroup[groups[cluster]] > 0) {
        mapping[cluster] = segmentOfGroup[groups[cluster]];
      }
    }
    return mapping;
  }
}
