package io.customerpyramid.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.RejectReason;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Rejects rows of a secondary input whose customer has no accepted order (UNKNOWN_CUSTOMER). */
public final class KnownCustomers {

  private static final String IS_KNOWN = "is_known_customer";
  private static final String KNOWN_ID = "known_customer_id";

  private KnownCustomers() {}

  /** @param customerIds one row per known customer (column customer_id) */
  public static CheckedInput check(CheckedInput input, Dataset<Row> customerIds) {
    // A renamed key: joining on a column of shared lineage would leave two customer_id columns.
    Dataset<Row> known = customerIds.select(col(Columns.CUSTOMER_ID).as(KNOWN_ID), lit(true).as(IS_KNOWN));
    Dataset<Row> joined =
        input.rows().join(known, col(Columns.CUSTOMER_ID).equalTo(col(KNOWN_ID)), "left").drop(KNOWN_ID);
    Dataset<Row> checked =
        joined
            .withColumn(
                Columns.REJECT_REASON,
                coalesce(
                    col(Columns.REJECT_REASON),
                    when(col(IS_KNOWN).isNull(), lit(RejectReason.UNKNOWN_CUSTOMER.name()))))
            .drop(IS_KNOWN);
    return new CheckedInput(input.name(), checked);
  }
}
