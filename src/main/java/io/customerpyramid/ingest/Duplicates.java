package io.customerpyramid.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.customerpyramid.config.InputSource.Deduplication;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.RejectReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.RowOrdering;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;

/**
 * Marks rows not rejected yet as {@link RejectReason#DUPLICATE_ROW} when an earlier row of the same
 * natural key (order, customer) has the same compared columns: the whole source row as read ({@link
 * Columns#SOURCE_ROW}), or the configured columns ({@link Columns#DUPLICATE_KEY}). The first copy
 * is kept. Values are compared exactly; a 64-bit hash of them only orders the rows, so that equal
 * rows sort next to each other without comparing long texts.
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
    String keyColumn = deduplication.mode() == Deduplication.Mode.COLUMNS ? Columns.DUPLICATE_KEY : Columns.SOURCE_ROW;
    Column key = comparable(checked, keyColumn);
    Column[] partition = Arrays.stream(naturalKey).map(name -> col(name)).toArray(Column[]::new);
    // Within one key, rows still valid come first, so a kept copy is never one rejected for another
    // reason; when only some columns are compared, the whole source row makes the choice among valid
    // copies deterministic.
    List<Column> order = new ArrayList<>(List.of(xxhash64(key), key, col(Columns.REJECT_REASON).isNotNull()));
    if (deduplication.mode() == Deduplication.Mode.COLUMNS) {
      order.add(comparable(checked, Columns.SOURCE_ROW));
    }
    Column previousKey = lag(key, 1).over(Window.partitionBy(partition).orderBy(order.toArray(Column[]::new)));
    Column duplicate = col(Columns.REJECT_REASON).isNull().and(previousKey.eqNullSafe(key));
    return checked
        .withColumn(
            Columns.REJECT_REASON,
            coalesce(col(Columns.REJECT_REASON), when(duplicate, lit(RejectReason.DUPLICATE_ROW.name()))))
        .drop(Columns.DUPLICATE_KEY);
  }

  /** The column as it is, or as JSON text when its type cannot be sorted or hashed (a Parquet map). */
  static Column comparable(Dataset<Row> rows, String column) {
    DataType type = rows.schema().apply(column).dataType();
    return RowOrdering.isOrderable(type) ? col(column) : to_json(col(column));
  }
}
