package io.customerpyramid.output;

import java.time.LocalDate;
import org.apache.spark.sql.types.StructType;

/**
 * One run's partition of a table, as written: what the catalog needs to register it.
 *
 * @param tableLocation the table's directory (all its runs), fully qualified, as a catalog stores locations
 * @param runLocation this run's directory {@code snapshot_date=S/run_id=R} below it, fully qualified
 * @param columns the columns in the files: the table's own, without the snapshot_date and run_id partition columns
 */
public record WrittenRun(
    String table, String tableLocation, String runLocation, StructType columns, LocalDate snapshotDate, String runId) {}
