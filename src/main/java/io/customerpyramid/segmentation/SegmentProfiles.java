package io.customerpyramid.segmentation;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;

import io.customerpyramid.schema.Columns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The segment_profiles table: per segment its size and shares, and per feature its mean and median
 * in original units; one row per (segment, feature), so the shape does not change with the features.
 */
public final class SegmentProfiles {

  private static final int MEDIAN_ACCURACY = 10_000;
  private static final String TOTAL_SUFFIX = "_total";

  private SegmentProfiles() {}

  /** @param segmented one row per customer with segment_id and every numeric feature */
  public static Dataset<Row> build(Dataset<Row> segmented) {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(sum(Columns.REVENUE).as(Columns.REVENUE));
    aggregates.add(sum(Columns.CONTRIBUTION).as(Columns.CONTRIBUTION));
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
            sum(Columns.REVENUE).as(Columns.REVENUE + TOTAL_SUFFIX),
            sum(Columns.CONTRIBUTION).as(Columns.CONTRIBUTION + TOTAL_SUFFIX));
    Column[] featureStats =
        Columns.NUMERIC_FEATURES.stream()
            .map(f -> struct(lit(f).as(Columns.FEATURE), col("mean_" + f).cast("double").as(Columns.MEAN), col("median_" + f).cast("double").as(Columns.MEDIAN)))
            .toArray(Column[]::new);
    return perSegment
        .crossJoin(functions.broadcast(totals))
        .select(
            col(Columns.SEGMENT_ID),
            col(Columns.CUSTOMERS),
            share(Columns.CUSTOMERS).as(Columns.CUSTOMER_SHARE),
            functions.round(col(Columns.REVENUE), 2).as(Columns.REVENUE),
            share(Columns.REVENUE).as(Columns.REVENUE_SHARE),
            functions.round(col(Columns.CONTRIBUTION), 2).as(Columns.CONTRIBUTION),
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
            functions.round(col("stats." + Columns.MEDIAN), 4).as(Columns.MEDIAN));
  }

  private static Column share(String column) {
    Column total = col(column + TOTAL_SUFFIX);
    return functions.round(functions.when(total.notEqual(0), col(column).divide(total)), 6);
  }
}
