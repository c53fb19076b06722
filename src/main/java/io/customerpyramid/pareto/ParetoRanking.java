package io.customerpyramid.pareto;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.spark_partition_id;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Ranks customers by the Pareto measure (descending, ties by customer id) and gives each its
 * cumulative share of the total positive measure, without a global window: a range-partitioned
 * sort, per-partition totals (one small row per partition to the driver), then a running sum inside
 * each partition starting from its offset.
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
    Dataset<Row> sorted =
        customers
            .withColumn(Columns.PARETO_MEASURE, Money.stored(col(measureColumn)))
            .withColumn(POSITIVE, Money.stored(greatest(col(Columns.PARETO_MEASURE), lit(BigDecimal.ZERO))))
            .orderBy(col(Columns.PARETO_MEASURE).desc_nulls_last(), col(Columns.CUSTOMER_ID).asc())
            .withColumn(PARTITION, spark_partition_id())
            .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());

    // One row per partition; decimal sums are exact, so each partition ends exactly where the next
    // begins, the last share is exactly 1 and no share depends on how the customers were partitioned.
    int positiveField = sorted.schema().fieldIndex(POSITIVE);
    int partitionField = sorted.schema().fieldIndex(PARTITION);
    List<Row> stats =
        sorted
            .mapPartitions(new PartitionTotals(partitionField, positiveField), Encoders.row(PARTITION_TOTALS))
            .collectAsList();
    int partitions = stats.stream().mapToInt(r -> r.getInt(0) + 1).max().orElse(0);
    long[] countBefore = new long[partitions + 1];
    BigDecimal[] sumBefore = new BigDecimal[partitions + 1];
    long[] partCount = new long[partitions];
    BigDecimal[] partSum = new BigDecimal[partitions];
    java.util.Arrays.fill(partSum, BigDecimal.ZERO);
    for (Row row : stats) {
      partCount[row.getInt(0)] = row.getLong(1);
      partSum[row.getInt(0)] = row.getDecimal(2);
    }
    sumBefore[0] = BigDecimal.ZERO;
    for (int p = 0; p < partitions; p++) {
      countBefore[p + 1] = countBefore[p] + partCount[p];
      sumBefore[p + 1] = sumBefore[p].add(partSum[p]);
    }
    long total = countBefore[partitions];
    BigDecimal positiveTotal = sumBefore[partitions];

    StructType inputSchema = sorted.schema();
    StructType outputSchema =
        inputSchema
            .add(Columns.PARETO_RANK, DataTypes.LongType, false)
            .add(Columns.CUMULATIVE_SHARE, DataTypes.DoubleType, false)
            .add(Columns.CUMULATIVE_SHARE_BEFORE, DataTypes.DoubleType, false)
            .add(Columns.CUSTOMER_PERCENTILE, DataTypes.DoubleType, false);
    Dataset<Row> ranked =
        sorted
            .mapPartitions(
                new RunningShares(countBefore, sumBefore, partCount, partitionField, positiveField, total, positiveTotal),
                Encoders.row(outputSchema))
            .drop(PARTITION, POSITIVE);
    return new Ranked(ranked, total, positiveTotal, sorted);
  }

  private static final StructType PARTITION_TOTALS =
      new StructType()
          .add(PARTITION, DataTypes.IntegerType, false)
          .add("rows", DataTypes.LongType, false)
          .add("positive_sum", DataTypes.createDecimalType(38, Money.STORED_SCALE), false);

  /** Row count and sequential sum of the positive measure of one partition. */
  private static final class PartitionTotals implements MapPartitionsFunction<Row, Row>, Serializable {
    private final int partitionField;
    private final int positiveField;

    PartitionTotals(int partitionField, int positiveField) {
      this.partitionField = partitionField;
      this.positiveField = positiveField;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      if (!rows.hasNext()) {
        return java.util.Collections.emptyIterator();
      }
      Row first = rows.next();
      long count = 1;
      BigDecimal sum = first.getDecimal(positiveField);
      while (rows.hasNext()) {
        sum = sum.add(rows.next().getDecimal(positiveField));
        count++;
      }
      return List.of(RowFactory.create(first.getInt(partitionField), count, sum)).iterator();
    }
  }

  /** Running sum inside one sorted partition, starting from the totals of the partitions before it. */
  private static final class RunningShares implements MapPartitionsFunction<Row, Row>, Serializable {
    private final long[] countBefore;
    private final BigDecimal[] sumBefore;
    private final long[] partCount;
    private final int partitionField;
    private final int positiveField;
    private final long total;
    private final BigDecimal positiveTotal;

    RunningShares(
        long[] countBefore, BigDecimal[] sumBefore, long[] partCount, int partitionField, int positiveField, long total,
        BigDecimal positiveTotal) {
      this.countBefore = countBefore;
      this.sumBefore = sumBefore;
      this.partCount = partCount;
      this.partitionField = partitionField;
      this.positiveField = positiveField;
      this.total = total;
      this.positiveTotal = positiveTotal;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      return new Iterator<>() {
        private long rank = -1;
        private int partition;
        private BigDecimal offset;
        private BigDecimal running = BigDecimal.ZERO;

        /**
         * The offsets hold only if this pass sees the partitions the totals were taken of; if the
         * sort was ever recomputed differently, fail rather than write wrong ranks.
         */
        @Override
        public boolean hasNext() {
          boolean more = rows.hasNext();
          if (!more && rank >= 0 && (partition >= partCount.length || rank - countBefore[partition] != partCount[partition])) {
            throw new IllegalStateException(
                "Pareto ranking: partition " + partition + " changed between the two passes over the sorted customers");
          }
          return more;
        }

        @Override
        public Row next() {
          Row row = rows.next();
          if (rank < 0) {
            partition = row.getInt(partitionField);
            rank = countBefore[partition];
            offset = sumBefore[partition];
          }
          BigDecimal before = offset.add(running);
          running = running.add(row.getDecimal(positiveField));
          BigDecimal after = offset.add(running);
          rank++;
          List<Object> values = new ArrayList<>(row.size() + 4);
          for (int i = 0; i < row.size(); i++) {
            values.add(row.get(i));
          }
          values.add(rank);
          values.add(share(after));
          values.add(share(before));
          values.add((double) rank / total);
          return RowFactory.create(values.toArray());
        }
      };
    }

    /** Of exact sums, so the same customers give the same share however they were partitioned. */
    private double share(BigDecimal cumulative) {
      return positiveTotal.signum() > 0 ? cumulative.doubleValue() / positiveTotal.doubleValue() : 0.0;
    }
  }
}
