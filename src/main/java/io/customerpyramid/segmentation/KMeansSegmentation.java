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
  public record Result(PipelineModel model, Dataset<Row> assignments, double trainingCost, int[] clusterToSegment) {

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

  /** Per feature its lower and upper percentile (one approxQuantile pass over all features); empty when off. */
  private static Map<String, double[]> winsorizingBounds(JobConfig.Segmentation config, Dataset<Row> training) {
    Map<String, double[]> bounds = new HashMap<>();
    double p = config.winsorizePercentile();
    if (p <= 0) {
      return bounds;
    }
    String[] columns = config.features().toArray(String[]::new);
    Column[] values = Arrays.stream(columns).map(f -> functions.expr(valueExpression(f)).as(f)).toArray(Column[]::new);
    double[][] quantiles = training.select(values).stat().approxQuantile(columns, new double[] {p, 1 - p}, WINSORIZE_ERROR);
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
   * Fits and assigns segments. Rows are put in a fixed order first (hash partitions by customer id,
   * sorted), so that the same data and seed give the same clusters on every run.
   *
   * @param customers one row per customer with customer_id, the features and contribution
   * @return assignments with columns customer_id, segment_id
   */
  public static Result fit(Dataset<Row> customers, JobConfig.Segmentation config, int partitions) {
    // Cached once: the percentiles, the scaler, the clustering and the ranking of the clusters (by
    // contribution) each pass over these rows.
    Dataset<Row> ordered =
        inFixedOrder(customers, config, partitions, Columns.CONTRIBUTION).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      PipelineModel clustering = pipeline(config, ordered).fit(ordered);
      Dataset<Row> predicted = clustering.transform(ordered);
      int[] clusterToSegment = rankClustersByContribution(predicted, config.k());
      PipelineModel model = withSegmentNumbering(clustering, clusterToSegment, ordered);
      double cost = Clusterers.trainingCost(clustering, predicted);
      Dataset<Row> assignments = model.transform(customers).select(Columns.CUSTOMER_ID, Columns.SEGMENT_ID);
      return new Result(model, assignments, cost, clusterToSegment);
    } finally {
      ordered.unpersist();
    }
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
    return new Result(model, predicted.select(Columns.CUSTOMER_ID, Columns.SEGMENT_ID), cost, clusterToSegment);
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

  /** k rows come back to the driver: mean contribution per cluster, ties broken by cluster number. */
  static int[] rankClustersByContribution(Dataset<Row> predicted, int k) {
    record ClusterValue(int cluster, double meanContribution) {}
    List<ClusterValue> values = new ArrayList<>();
    for (Row row : predicted.groupBy(CLUSTER).agg(avg(Columns.CONTRIBUTION)).collectAsList()) {
      values.add(new ClusterValue(row.getInt(0), row.isNullAt(1) ? 0.0 : ((Number) row.get(1)).doubleValue()));
    }
    values.sort(
        Comparator.comparingDouble(ClusterValue::meanContribution).reversed().thenComparingInt(ClusterValue::cluster));
    // k-means can return fewer clusters than k (duplicate centres); unused numbers map nowhere.
    int[] mapping = new int[k];
    java.util.Arrays.fill(mapping, -1);
    for (int i = 0; i < values.size(); i++) {
      mapping[values.get(i).cluster()] = i + 1;
    }
    return mapping;
  }
}
