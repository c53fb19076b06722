package io.customerpyramid.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.config.InputSource.Deduplication;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.RejectReason;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Marks rows not rejected yet as {@link RejectReason#DUPLICATE_ROW} when an earlier row of the same
 * natural key (order, customer) has the same {@link Columns#DUPLICATE_KEY}: the compared source
 * columns, as read by {@link InputReader}. The first copy is kept.
 */
final class Duplicates {

  private Duplicates() {}

  /**
   * The rows with duplicates marked, without the duplicate key.
   *
   * @param naturalKey columns that duplicates share; they partition the comparison
   */
  static Dataset<Row> mark(Dataset<Row> checked, Deduplication deduplication, String... naturalKey) {
    if (deduplication.mode() == Deduplication.Mode.OFF) {
      return checked.drop(Columns.DUPLICATE_KEY);
    }
    Column[] partition = Arrays.stream(naturalKey).map(name -> col(name)).toArray(Column[]::new);
    // Within one key, rows still valid come first, so a kept copy is never one rejected for another
    // reason; the raw record makes the choice among valid copies deterministic.
    Column previousKey =
        lag(col(Columns.DUPLICATE_KEY), 1)
            .over(
                Window.partitionBy(partition)
                    .orderBy(col(Columns.DUPLICATE_KEY), col(Columns.REJECT_REASON).isNotNull(), col(Columns.RAW_RECORD)));
    Column duplicate = col(Columns.REJECT_REASON).isNull().and(previousKey.eqNullSafe(col(Columns.DUPLICATE_KEY)));
    return checked
        .withColumn(
            Columns.REJECT_REASON,
            coalesce(col(Columns.REJECT_REASON), when(duplicate, lit(RejectReason.DUPLICATE_ROW.name()))))
        .drop(Columns.DUPLICATE_KEY);
  }
}
