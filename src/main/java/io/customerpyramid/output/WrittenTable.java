package io.customerpyramid.output;

import java.time.LocalDate;
import org.apache.spark.sql.types.StructType;

/**
 * A table partition as written: what a catalog needs to register it.
 *
 * @param location the table's directory as a fully qualified URI, as a catalog stores locations
 * @param schema the written columns, snapshot_date included
 */
public record WrittenTable(String table, String location, StructType schema, LocalDate snapshotDate) {}
