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
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The segment_profiles table: per segment its size, shares and descriptive name, and per feature its
 * mean and median in original units and the z-score of its mean against the population; one row per
 * (segment, feature), so the shape does not change with the features.
 *
 * <p>Segment names, unless overridden in {@code segmentation.segment_names}, follow from the z-scores
 * (segment mean − population mean, over the population standard deviation) of three features:
 * value from contribution ("loss-making" when the segment's mean contribution is negative, else
 * "high value" at z ≥ 0.5, "low value" at z ≤ −0.5, "mid value" between), then "frequent" /
 * "occasional" from frequency (z ≥ 0.5 / z ≤ −0.5), then "recent" / "lapsed" from recency_days
 * (z ≤ −0.5 / z ≥ 0.5), joined with " · ", e.g. "high value · frequent · recent".
 */
public final class SegmentProfiles {

  private static final int MEDIAN_ACCURACY = 10_000;
  private static final String TOTAL_SUFFIX = "_total";
  private static final String POPULATION_MEAN = "population_mean_";
  private static final String POPULATION_STD = "population_std_";
  private static final double NOTABLE_Z = 0.5;
  private static final String NAME_SEPARATOR = " · ";

  private SegmentProfiles() {}

  /** @param segmented one row per customer with segment_id and every numeric feature */
  public static Dataset<Row> build(Dataset<Row> segmented) {
    return build(segmented, Map.of());
  }

  /**
   * @param segmented one row per customer with segment_id and every numeric feature
   * @param names segment id to name, replacing the derived name of those segments
   */
  public static Dataset<Row> build(Dataset<Row> segmented, Map<Integer, String> names) {
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
    return perSegment
        .crossJoin(functions.broadcast(totals))
        .crossJoin(functions.broadcast(population))
        .select(
            col(Columns.SEGMENT_ID),
            segmentName(names).as(Columns.SEGMENT_NAME),
            col(Columns.CUSTOMERS),
            share(Columns.CUSTOMERS).as(Columns.CUSTOMER_SHARE),
            col(Columns.REVENUE),
            share(Columns.REVENUE).as(Columns.REVENUE_SHARE),
            col(Columns.CONTRIBUTION),
            share(Columns.CONTRIBUTION).as(Columns.CONTRIBUTION_SHARE),
            explode(array(featureStats)).as("stats"))
        .select(
            col(Columns.SEGMENT_ID),
            col(Columns.SEGMENT_NAME),
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
  }

  /** (segment mean − population mean) / population standard deviation; null for a constant feature. */
  private static Column zScore(String feature) {
    Column std = col(POPULATION_STD + feature);
    Column difference = col("mean_" + feature).minus(col(POPULATION_MEAN + feature)).cast("double");
    return functions.when(std.gt(0), difference.divide(std));
  }

  private static Column segmentName(Map<Integer, String> names) {
    Column contribution = zScore(Columns.CONTRIBUTION);
    Column value =
        functions.when(col("mean_" + Columns.CONTRIBUTION).lt(0), lit("loss-making"))
            .when(contribution.geq(NOTABLE_Z), lit("high value"))
            .when(contribution.leq(-NOTABLE_Z), lit("low value"))
            .otherwise(lit("mid value"));
    Column frequency = zScore(Columns.FREQUENCY);
    Column recency = zScore(Columns.RECENCY_DAYS);
    Column derived =
        functions.concat_ws(
            NAME_SEPARATOR,
            value,
            functions.when(frequency.geq(NOTABLE_Z), lit("frequent")).when(frequency.leq(-NOTABLE_Z), lit("occasional")),
            functions.when(recency.leq(-NOTABLE_Z), lit("recent")).when(recency.geq(NOTABLE_Z), lit("lapsed")));
    Column name = derived;
    for (Map.Entry<Integer, String> entry : names.entrySet()) {
      name = functions.when(col(Columns.SEGMENT_ID).equalTo(entry.getKey()), lit(entry.getValue())).otherwise(name);
    }
    return name;
  }

  private static Column share(String column) {
    Column total = col(column + TOTAL_SUFFIX);
    return functions.round(functions.when(total.notEqual(0), col(column).divide(total).cast("double")), 6);
  }
}
