package io.customerpyramid.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import io.customerpyramid.schema.Columns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Order rows hash-partitioned by customer, on {@link Columns#CUSTOMER_PLACEMENT}: an accepted row's
 * placement is its customer id, and {@link CheckedInput#accepted()} hands it on under that name, so
 * Spark knows the accepted lines are partitioned by customer and groups them per order, per day and
 * per customer without another shuffle. A row without a customer id is a reject; it is placed by a
 * hash of its source columns, because an export with many such rows (a quarter of some public retail
 * sets) would otherwise put them all in one task.
 */
final class CustomerPlacement {

  private CustomerPlacement() {}

  static Dataset<Row> place(Dataset<Row> checked) {
    // The NUL prefix keeps a spread value apart from real ids; a clash would only share a partition.
    var spread = concat(lit("\u0000"), xxhash64(Duplicates.comparable(checked, Columns.SOURCE_ROW)).cast("string"));
    return checked
        .withColumn(Columns.CUSTOMER_PLACEMENT, coalesce(col(Columns.CUSTOMER_ID), spread))
        .repartition(col(Columns.CUSTOMER_PLACEMENT));
  }
}
