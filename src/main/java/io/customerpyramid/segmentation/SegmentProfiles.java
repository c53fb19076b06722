package io.customerpyramid.segmentation;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The segment_profiles table: per segment its size, shares and descriptive name, and per feature its
 * mean and median in original units and the z-score of its mean against the population; one row per
 * (segment, feature), so the shape does not change with the features. Names, unless overridden in
 * {@code segmentation.segment_names}, come from {@link SegmentNames}: unique within the snapshot,
 * from the clustering features that set each segment apart.
 *
 * <p>The table has k × features rows: it is computed once, brought to the driver to name the
 * segments, and returned as a local table.
 */
public final class SegmentProfiles {

  private static final int MEDIAN_ACCURACY = 10_000;
  private static final String TOTAL_SUFFIX = "_total";
  private static final String POPULATION_MEAN = "population_mean_";
  private static final String POPULATION_STD = "population_std_";

  private SegmentProfiles() {}

  /**
   * @param segmented one row per customer with segment_id and every numeric feature
   * @param features the clustering features: the names are made of them
   * @param names segment id to name, replacing the derived name of those segments
   * @param outliers segments kept under segmentation.min_segment_share, named "outliers"
   */
  public static Dataset<Row> build(
      Dataset<Row> segmented, List<String> features, Map<Integer, String> names, java.util.Set<Integer> outliers) {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(Money.storedSum(col(Columns.REVENUE)).as(Columns.REVENUE));
    aggregates.add(Money.storedSum(col(Columns.CONTRIBUTION)).as(Columns.CONTRIBUTION));
    for (String feature : Columns.NUMERIC_FEATURES) {
      aggregates.add(avg(feature).as("mean_" + feature));
      aggregates.add(percentile_approx(col(feature), lit(0.5), lit(MEDIAN_ACCURACY)).as("median_" + feature));
    }
    Dataset<Row> perSegment =
        segmented.groupBy(Columns.SEGMENT_ID).agg(count(lit(1)).as(Columns.CUSTOMERS), aggregates.toArray(Column[]::new));
    // k rows: the totals are one small aggregate over them, joined back.
    Dataset<Row> totals =
        perSegment.agg(
            sum(Columns.CUSTOMERS).as(Columns.CUSTOMERS + TOTAL_SUFFIX),
            Money.storedSum(col(Columns.REVENUE)).as(Columns.REVENUE + TOTAL_SUFFIX),
            Money.storedSum(col(Columns.CONTRIBUTION)).as(Columns.CONTRIBUTION + TOTAL_SUFFIX));
    List<Column> populationStats = new ArrayList<>();
    for (String feature : Columns.NUMERIC_FEATURES) {
      populationStats.add(avg(feature).as(POPULATION_MEAN + feature));
      populationStats.add(stddev_pop(feature).as(POPULATION_STD + feature));
    }
    Dataset<Row> population =
        segmented.agg(populationStats.get(0), populationStats.subList(1, populationStats.size()).toArray(Column[]::new));
    Column[] featureStats =
        Columns.NUMERIC_FEATURES.stream()
            .map(f -> struct(lit(f).as(Columns.FEATURE), col("mean_" + f).cast("double").as(Columns.MEAN),
                col("median_" + f).cast("double").as(Columns.MEDIAN), zScore(f).as(Columns.Z_SCORE)))
            .toArray(Column[]::new);
    Dataset<Row> profiles = perSegment
        .crossJoin(functions.broadcast(totals))
        .crossJoin(functions.broadcast(population))
        .select(
            col(Columns.SEGMENT_ID),
            col(Columns.CUSTOMERS),
            share(Columns.CUSTOMERS).as(Columns.CUSTOMER_SHARE),
            col(Columns.REVENUE),
            share(Columns.REVENUE).as(Columns.REVENUE_SHARE),
            col(Columns.CONTRIBUTION),
            share(Columns.CONTRIBUTION).as(Columns.CONTRIBUTION_SHARE),
            explode(array(featureStats)).as("stats"))
        .select(
            col(Columns.SEGMENT_ID),
            col(Columns.CUSTOMERS),
            col(Columns.CUSTOMER_SHARE),
            col(Columns.REVENUE),
            col(Columns.REVENUE_SHARE),
            col(Columns.CONTRIBUTION),
            col(Columns.CONTRIBUTION_SHARE),
            col("stats." + Columns.FEATURE).as(Columns.FEATURE),
            functions.round(col("stats." + Columns.MEAN), 4).as(Columns.MEAN),
            functions.round(col("stats." + Columns.MEDIAN), 4).as(Columns.MEDIAN),
            functions.round(col("stats." + Columns.Z_SCORE), 4).as(Columns.Z_SCORE));
    return named(profiles, features, names, outliers);
  }

  /** The profiles with segment_name as their second column, named on the driver (k × features rows). */
  private static Dataset<Row> named(
      Dataset<Row> profiles, List<String> features, Map<Integer, String> overrides, java.util.Set<Integer> outliers) {
    List<Row> rows = new ArrayList<>(profiles.collectAsList());
    // By segment, then features in the table's order (Columns.NUMERIC_FEATURES); a null segment (none found) last.
    rows.sort(Comparator.comparing((Row row) -> row.<Integer>getAs(Columns.SEGMENT_ID), Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparingInt(row -> Columns.NUMERIC_FEATURES.indexOf(row.<String>getAs(Columns.FEATURE))));
    Map<Integer, Double> meanContribution = new TreeMap<>();
    Map<Integer, Map<String, Double>> zScores = new TreeMap<>();
    for (Row row : rows) {
      Integer id = row.<Integer>getAs(Columns.SEGMENT_ID);
      if (id == null) {
        continue;
      }
      String feature = row.getAs(Columns.FEATURE);
      Double z = row.isNullAt(row.fieldIndex(Columns.Z_SCORE)) ? null : row.<Double>getAs(Columns.Z_SCORE);
      zScores.computeIfAbsent(id, s -> new HashMap<>()).put(feature, z);
      if (feature.equals(Columns.CONTRIBUTION)) {
        meanContribution.put(id, row.isNullAt(row.fieldIndex(Columns.MEAN)) ? 0.0 : row.<Double>getAs(Columns.MEAN));
      }
    }
    List<SegmentNames.Profile> segments = new ArrayList<>();
    zScores.forEach((id, z) -> segments.add(new SegmentNames.Profile(id, meanContribution.getOrDefault(id, 0.0), z)));
    Map<Integer, String> names = SegmentNames.names(segments, features, overrides, outliers);
    StructType schema = new StructType();
    for (StructField field : profiles.schema().fields()) {
      schema = schema.add(field);
      if (field.name().equals(Columns.SEGMENT_ID)) {
        schema = schema.add(Columns.SEGMENT_NAME, DataTypes.StringType, true);
      }
    }
    List<Row> named = new ArrayList<>(rows.size());
    for (Row row : rows) {
      Object[] values = new Object[row.size() + 1];
      values[0] = row.get(0);
      Integer id = row.<Integer>getAs(Columns.SEGMENT_ID);
      values[1] = id == null ? null : names.get(id);
      for (int i = 1; i < row.size(); i++) {
        values[i + 1] = row.get(i);
      }
      named.add(RowFactory.create(values));
    }
    return profiles.sparkSession().createDataFrame(named, schema);
  }

  /** (segment mean − population mean) / population standard deviation; null for a constant feature. */
  private static Column zScore(String feature) {
    Column std = col(POPULATION_STD + feature);
    Column difference = col("mean_" + feature).minus(col(POPULATION_MEAN + feature)).cast("double");
    return functions.when(std.gt(0), difference.divide(std));
  }

  private static Column share(String column) {
    Column total = col(column + TOTAL_SUFFIX);
    return functions.round(functions.when(total.notEqual(0), col(column).divide(total).cast("double")), 6);
  }
}
