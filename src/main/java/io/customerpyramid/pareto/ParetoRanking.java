package io.customerpyramid.pareto;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.apache.spark.sql.functions.sum;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * Ranks customers by the Pareto measure (descending, ties by customer id) and gives each its
 * cumulative share of the total positive measure, without a global window: a range-partitioned
 * sort, per-partition totals (one small row per partition to the driver), then a running sum inside
 * each partition (a window partitioned by the sort's partition) starting from its offset. Every step
 * is a built-in expression: no row leaves Spark's binary format.
 */
public final class ParetoRanking {

  private static final String PARTITION = "pareto_partition";
  private static final String POSITIVE = "pareto_positive";

  private ParetoRanking() {}

  /** The ranked customers and the totals the shares are taken of. */
  public record Ranked(Dataset<Row> customers, long customerCount, BigDecimal positiveTotal, Dataset<Row> sortedCache) {
    /** Frees the cached sort once the ranked rows are materialised elsewhere. */
    public void release() {
      sortedCache.unpersist();
    }
  }

  /**
   * Adds pareto_measure, pareto_rank (1 = highest), cumulative_share (share of the positive measure
   * produced by this customer and all ranked above), cumulative_share_before (the same without this
   * customer) and customer_percentile (rank / customers).
   */
  public static Ranked rank(Dataset<Row> customers, String measureColumn) {
    Column[] order = {col(Columns.PARETO_MEASURE).desc_nulls_last(), col(Columns.CUSTOMER_ID).asc()};
    Dataset<Row> sorted =
        customers
            .withColumn(Columns.PARETO_MEASURE, Money.stored(col(measureColumn)))
            .withColumn(POSITIVE, Money.stored(greatest(col(Columns.PARETO_MEASURE), lit(BigDecimal.ZERO))))
            .orderBy(order)
            .withColumn(PARTITION, spark_partition_id())
            .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());

    // One row per partition; decimal sums are exact, so each partition ends exactly where the next
    // begins, the last share is exactly 1 and no share depends on how the customers were partitioned.
    List<Row> stats =
        sorted.groupBy(PARTITION).agg(count(lit(1)), sum(col(POSITIVE)).cast(TOTAL)).collectAsList();
    int partitions = stats.stream().mapToInt(r -> r.getInt(0) + 1).max().orElse(0);
    long[] partCount = new long[partitions];
    BigDecimal[] partSum = new BigDecimal[partitions];
    java.util.Arrays.fill(partSum, BigDecimal.ZERO);
    for (Row row : stats) {
      partCount[row.getInt(0)] = row.getLong(1);
      partSum[row.getInt(0)] = row.isNullAt(2) ? BigDecimal.ZERO : row.getDecimal(2);
    }
    List<Column> countBefore = new ArrayList<>();
    List<Column> sumBefore = new ArrayList<>();
    long count = 0;
    BigDecimal sum = BigDecimal.ZERO;
    for (int p = 0; p < partitions; p++) {
      countBefore.add(lit(count));
      sumBefore.add(lit(sum).cast(TOTAL));
      count += partCount[p];
      sum = sum.add(partSum[p]);
    }
    long total = count;
    BigDecimal positiveTotal = sum;

    WindowSpec inPartition = Window.partitionBy(PARTITION).orderBy(order);
    Column offsetIndex = col(PARTITION).plus(1);
    Column rank = element_at(array(countBefore.toArray(Column[]::new)), offsetIndex).plus(row_number().over(inPartition));
    Column after =
        element_at(array(sumBefore.toArray(Column[]::new)), offsetIndex)
            .plus(sum(col(POSITIVE)).over(inPartition.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
            .cast(TOTAL);
    Column before = after.minus(col(POSITIVE)).cast(TOTAL);
    Dataset<Row> ranked =
        sorted
            .withColumn(Columns.PARETO_RANK, rank)
            .withColumn(Columns.CUMULATIVE_SHARE, share(after, positiveTotal))
            .withColumn(Columns.CUMULATIVE_SHARE_BEFORE, share(before, positiveTotal))
            .withColumn(Columns.CUSTOMER_PERCENTILE, col(Columns.PARETO_RANK).cast(DataTypes.DoubleType).divide(lit((double) total)))
            .drop(PARTITION, POSITIVE);
    return new Ranked(ranked, total, positiveTotal, sorted);
  }

  /** Exact running sums of the positive measure: 38 digits, cents. */
  private static final DecimalType TOTAL = DataTypes.createDecimalType(38, Money.STORED_SCALE);

  /** Of exact sums, so the same customers give the same share however they were partitioned. */
  private static Column share(Column cumulative, BigDecimal positiveTotal) {
    return positiveTotal.signum() > 0
        ? cumulative.cast(DataTypes.DoubleType).divide(lit(positiveTotal.doubleValue()))
        : lit(0.0);
  }
}
