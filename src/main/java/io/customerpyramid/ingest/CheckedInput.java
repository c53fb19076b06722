package io.customerpyramid.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.RejectReason;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One input after row checks: every row read, each with a status in {@link Columns#REJECT_REASON}:
 * null (accepted), {@link #AFTER_SNAPSHOT} (valid data of a later snapshot: neither accepted nor
 * rejected) or a reject reason. Accepted rows, later rows and rejects are three filters of the same
 * rows, so read = accepted + rejected + after snapshot by construction.
 */
public record CheckedInput(String name, Dataset<Row> rows) {

  /**
   * Status of a valid row dated at or after the start of the snapshot day (but not in the future).
   * Not a {@link RejectReason}: such rows belong to later snapshots and never reach the rejects table.
   */
  public static final String AFTER_SNAPSHOT = "AFTER_SNAPSHOT";

  /**
   * Rows without a reject reason or later-snapshot status, without the bookkeeping columns. Order rows
   * placed by customer ({@link CustomerPlacement}) take their customer id from the placement, equal for
   * every accepted row: that way Spark sees that they are partitioned by customer.
   */
  public Dataset<Row> accepted() {
    Dataset<Row> accepted = rows.filter(col(Columns.REJECT_REASON).isNull());
    List<String> names = Arrays.asList(accepted.columns());
    if (names.contains(Columns.CUSTOMER_PLACEMENT)) {
      accepted = accepted.select(names.stream()
          .filter(name -> !name.equals(Columns.CUSTOMER_PLACEMENT))
          .map(name -> name.equals(Columns.CUSTOMER_ID) ? col(Columns.CUSTOMER_PLACEMENT).as(name) : col(name))
          .toArray(Column[]::new));
    }
    return accepted.drop(BOOKKEEPING);
  }

  /** Rejected rows in the rejects table's shape (without snapshot_date); rows of later snapshots are not rejects. */
  public Dataset<Row> rejects() {
    return rows.filter(rejected())
        .select(lit(name).as(Columns.INPUT), col(Columns.REJECT_REASON), rawRecord().as(Columns.RAW_RECORD), col(Columns.SOURCE_FILE));
  }

  /** The columns that only a reject shows. */
  private static final String[] BOOKKEEPING = {
    Columns.REJECT_REASON, Columns.RAW_RECORD, Columns.SOURCE_FILE, Columns.CORRUPT_RECORD, Columns.SOURCE_ROW
  };

  private static Column rejected() {
    return col(Columns.REJECT_REASON).isNotNull().and(col(Columns.REJECT_REASON).notEqual(AFTER_SNAPSHOT));
  }

  /**
   * The row as the file holds it: the line that did not fit the header, else the source columns as
   * JSON (or what stands for a file left out). Rendered only for rejects: most rows never need it.
   */
  Column rawRecord() {
    if (!Arrays.asList(rows.columns()).contains(Columns.SOURCE_ROW)) {
      return col(Columns.RAW_RECORD);
    }
    return coalesce(col(Columns.RAW_RECORD), col(Columns.CORRUPT_RECORD), to_json(col(Columns.SOURCE_ROW)));
  }

  /** The same rows with a further check applied to rows not rejected (or marked) yet. */
  public CheckedInput withCheck(Column failed, RejectReason reason) {
    return withStatus(failed, reason.name());
  }

  /**
   * Rows not rejected yet and dated after the run's own clock ({@code current_timestamp()}, fixed
   * per query) rejected as {@link RejectReason#FUTURE_TIMESTAMP}: such a date cannot be real.
   */
  public CheckedInput withFutureCheck(String timestampColumn) {
    return withCheck(col(timestampColumn).gt(current_timestamp()), RejectReason.FUTURE_TIMESTAMP);
  }

  /** Rows not rejected yet and dated at or after {@code snapshotStart} marked {@link #AFTER_SNAPSHOT}. */
  public CheckedInput withAfterSnapshot(String timestampColumn, Column snapshotStart) {
    return withStatus(col(timestampColumn).geq(snapshotStart), AFTER_SNAPSHOT);
  }

  private CheckedInput withStatus(Column condition, String status) {
    Column statusColumn = coalesce(col(Columns.REJECT_REASON), when(condition, lit(status)));
    return new CheckedInput(name, rows.withColumn(Columns.REJECT_REASON, statusColumn));
  }

  /**
   * The rows cached, each with its raw record and file only if it is rejected by now: the source
   * columns of accepted rows are not kept, which keeps the cache about the size of the typed columns.
   * Only the later-snapshot status may be applied after this; it never needs a raw record.
   */
  public CheckedInput persist() {
    Column rejected = rejected();
    Dataset<Row> slim =
        rows.withColumn(Columns.RAW_RECORD, when(rejected, rawRecord()))
            .withColumn(Columns.SOURCE_FILE, when(rejected, col(Columns.SOURCE_FILE)))
            .drop(Columns.SOURCE_ROW, Columns.CORRUPT_RECORD);
    return new CheckedInput(name, slim.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK()));
  }

  /**
   * The rows cached as they are, source columns included: for checks still to come that may reject a
   * row (the look-ups of each snapshot of a backfill); {@link #persist()} after those slims them again.
   */
  public CheckedInput persistWithSources() {
    return new CheckedInput(name, rows.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK()));
  }

  public void unpersist() {
    rows.unpersist();
  }
}
