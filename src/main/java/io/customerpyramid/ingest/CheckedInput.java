package io.customerpyramid.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.RejectReason;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One input after row checks: every row read, each with a reject reason or null. Accepted rows and
 * rejects are two filters of the same rows, so read = accepted + rejected by construction.
 */
public record CheckedInput(String name, Dataset<Row> rows) {

  /** Rows without a reject reason, without the bookkeeping columns. */
  public Dataset<Row> accepted() {
    return rows.filter(col(Columns.REJECT_REASON).isNull())
        .drop(Columns.REJECT_REASON, Columns.RAW_RECORD, Columns.SOURCE_FILE, Columns.CORRUPT_RECORD);
  }

  /** Rejected rows in the rejects table's shape (without snapshot_date). */
  public Dataset<Row> rejects() {
    return rows.filter(col(Columns.REJECT_REASON).isNotNull())
        .select(
            lit(name).as(Columns.INPUT),
            col(Columns.REJECT_REASON),
            col(Columns.RAW_RECORD),
            col(Columns.SOURCE_FILE));
  }

  /** The same rows with a further check applied to rows not rejected yet. */
  public CheckedInput withCheck(Column failed, RejectReason reason) {
    Column reasonColumn =
        coalesce(col(Columns.REJECT_REASON), when(failed, lit(reason.name())));
    return new CheckedInput(name, rows.withColumn(Columns.REJECT_REASON, reasonColumn));
  }

  public CheckedInput persist() {
    return new CheckedInput(name, rows.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK()));
  }

  public void unpersist() {
    rows.unpersist();
  }
}
