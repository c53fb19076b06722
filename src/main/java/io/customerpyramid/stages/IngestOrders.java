package io.customerpyramid.stages;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.to_date;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.features.Snapshot;
import io.customerpyramid.ingest.CheckedInput;
import io.customerpyramid.ingest.InputCounts;
import io.customerpyramid.ingest.InputError;
import io.customerpyramid.schema.Columns;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Stage ingest-orders: the orders read and checked, the snapshot date (configured, or the day after
 * the latest valid order) and the orders' counts. A snapshot without a valid order before it stops
 * the run here, with the reason.
 */
public final class IngestOrders {

  private IngestOrders() {}

  /** The orders alone (the optional inputs come next, from {@link IngestOthers}); cached until closed. */
  public static Inputs read(SparkSession spark, JobConfig config) {
    return read(CheckedSources.forOneRun(spark, config), config);
  }

  /** The orders of {@code sources} for the configured snapshot; released on close unless the sources are shared. */
  public static Inputs read(CheckedSources sources, JobConfig config) {
    CheckedInput checked = sources.orders();
    Optional<CheckedInput> released = sources.isShared() ? Optional.empty() : Optional.of(checked);
    try {
      LocalDate snapshotDate = config.snapshotDate().orElseGet(() -> dayAfterLatestOrder(checked));
      Snapshot snapshot = new Snapshot(snapshotDate, config.lookbackDays());
      CheckedInput orders = checked.withAfterSnapshot(Columns.ORDER_TS, snapshot.startTimestamp());
      InputCounts counts = InputCounts.of(orders);
      if (counts.accepted() == 0) {
        throw noOrderBefore(snapshot, counts, checked);
      }
      return new Inputs(orders, released, Optional.empty(), Optional.empty(), Optional.empty(), List.of(counts), snapshot);
    } catch (RuntimeException e) {
      released.ifPresent(CheckedInput::unpersist);
      throw e;
    }
  }

  /** Why a snapshot has no orders: all rejected, or all on or after S (a snapshot date before the first order). */
  private static InputError noOrderBefore(Snapshot snapshot, InputCounts counts, CheckedInput orders) {
    if (counts.afterSnapshot() == 0) {
      return new InputError("input orders: none of the " + counts.read() + " rows was accepted " + counts.rejectedByReason());
    }
    Row first =
        orders.rows().filter(col(Columns.REJECT_REASON).isNull()).agg(min(to_date(col(Columns.ORDER_TS)))).first();
    return new InputError(
        "input orders: no valid order is dated before the snapshot date " + snapshot.date() + " (the first one is on "
            + first.getDate(0).toLocalDate() + ", " + counts.afterSnapshot() + " rows are on or after " + snapshot.date()
            + "); a snapshot date must be after the first order");
  }

  /**
   * The day after the latest valid order. An order dated after the run's own clock cannot be real
   * (a typo, a wrong time zone) and must not move the snapshot; it is rejected as FUTURE_TIMESTAMP.
   */
  private static LocalDate dayAfterLatestOrder(CheckedInput orders) {
    Row latest =
        orders
            .rows()
            .filter(col(Columns.REJECT_REASON).isNull())
            .agg(date_add(max(to_date(col(Columns.ORDER_TS))), 1))
            .first();
    if (latest.isNullAt(0)) {
      throw new InputError("input orders: no valid order dated before now, so there is no snapshot date to default to");
    }
    return latest.getDate(0).toLocalDate();
  }
}
