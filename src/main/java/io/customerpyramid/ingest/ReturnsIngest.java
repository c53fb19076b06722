package io.customerpyramid.ingest;

import static io.customerpyramid.ingest.Parse.isBlank;
import static io.customerpyramid.ingest.Parse.text;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.config.InputSource;
import io.customerpyramid.ingest.Parse.Check;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.schema.RejectReason;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** Checks refund rows and finds their customer through the order when the row has none. */
public final class ReturnsIngest {

  public static final String NAME = "returns";
  private static final String ORDER_CUSTOMER = "order_customer_id";
  private static final String ORDER_KEY = "order_key";

  private ReturnsIngest() {}

  /** Output columns: order_id, customer_id, return_ts, refund_amount and the bookkeeping columns. */
  public static CheckedInput check(Dataset<Row> raw, InputSource source) {
    ParsedColumns parsed = new ParsedColumns();
    Column returnTs = parsed.add(Columns.RETURN_TS, Parse.timestamp(raw, Columns.RETURN_TS, source.timePatterns()));
    Column refund = parsed.add(Columns.REFUND_AMOUNT, Parse.decimal(raw, Columns.REFUND_AMOUNT, Money.INPUT));
    Column orderId = source.hasColumn(Columns.ORDER_ID) ? text(col(Columns.ORDER_ID)) : lit(null).cast(DataTypes.StringType);
    Column customerId =
        source.hasColumn(Columns.CUSTOMER_ID)
            ? parsed.add(Columns.CUSTOMER_ID, Parse.customerId(raw, Columns.CUSTOMER_ID, source.customerIdFormat()))
            : lit(null).cast(DataTypes.StringType);
    Column customerBlank = source.hasColumn(Columns.CUSTOMER_ID) ? isBlank(col(Columns.CUSTOMER_ID)) : lit(true);
    Column notInteger =
        source.hasColumn(Columns.CUSTOMER_ID) ? Parse.presentButUnparsable(customerId, Columns.CUSTOMER_ID) : lit(false);
    Column reason =
        Parse.firstReason(
            new Check(col(Columns.FILE_PROBLEM).isNotNull(), RejectReason.UNREADABLE_FILE),
            new Check(col(Columns.CORRUPT_RECORD).isNotNull(), RejectReason.MALFORMED_ROW),
            new Check(orderId.isNull().and(customerBlank), RejectReason.MISSING_CUSTOMER_ID),
            new Check(notInteger, RejectReason.NON_INTEGER_CUSTOMER_ID),
            new Check(isBlank(col(Columns.RETURN_TS)), RejectReason.MISSING_TIMESTAMP),
            new Check(returnTs.isNull(), RejectReason.UNPARSABLE_TIMESTAMP),
            new Check(Parse.beforeMinDate(returnTs, source.limits().minDate()), RejectReason.DATE_OUT_OF_RANGE),
            new Check(isBlank(col(Columns.REFUND_AMOUNT)), RejectReason.MISSING_AMOUNT),
            new Check(Parse.outOfRange(raw, Columns.REFUND_AMOUNT, source.limits().maxAbsAmount()), RejectReason.AMOUNT_OUT_OF_RANGE),
            new Check(refund.isNull(), RejectReason.NON_NUMERIC_AMOUNT));
    Dataset<Row> checked =
        parsed.on(raw).select(InputReader.withBookkeeping(
            orderId.as(Columns.ORDER_ID),
            customerId.as(Columns.CUSTOMER_ID),
            returnTs.as(Columns.RETURN_TS),
            Money.work(abs(refund)).as(Columns.REFUND_AMOUNT),
            reason.as(Columns.REJECT_REASON)));
    // By order and customer: a return may carry only one of them.
    return new CheckedInput(
        NAME, Duplicates.mark(checked, source.deduplication(), Columns.CUSTOMER_ID, Columns.ORDER_ID));
  }

  /**
   * Fills a missing customer id from the order (UNKNOWN_ORDER when the order is not among the
   * accepted ones).
   *
   * @param acceptedOrderLines accepted order lines (order_id, customer_id)
   */
  public static CheckedInput resolveCustomers(CheckedInput returns, Dataset<Row> acceptedOrderLines) {
    // Only orders that a return without customer id refers to: returns are few, orders many.
    Dataset<Row> wanted =
        returns.rows().filter(col(Columns.CUSTOMER_ID).isNull().and(col(Columns.ORDER_ID).isNotNull()))
            .select(col(Columns.ORDER_ID).as(ORDER_KEY))
            .distinct();
    Dataset<Row> orderCustomers =
        acceptedOrderLines
            .join(wanted, col(Columns.ORDER_ID).equalTo(col(ORDER_KEY)), "left_semi")
            .groupBy(col(Columns.ORDER_ID).as(ORDER_KEY))
            .agg(min(Columns.CUSTOMER_ID).as(ORDER_CUSTOMER));
    // Renamed keys: a join on columns of shared lineage could not tell the two order_id columns apart.
    Dataset<Row> joined =
        returns.rows().join(orderCustomers, col(Columns.ORDER_ID).equalTo(col(ORDER_KEY)), "left").drop(ORDER_KEY);
    Column unknownOrder =
        col(Columns.REJECT_REASON).isNull().and(col(Columns.CUSTOMER_ID).isNull()).and(col(ORDER_CUSTOMER).isNull());
    Dataset<Row> resolved =
        joined
            .withColumn(
                Columns.REJECT_REASON,
                coalesce(col(Columns.REJECT_REASON), when(unknownOrder, lit(RejectReason.UNKNOWN_ORDER.name()))))
            .withColumn(Columns.CUSTOMER_ID, coalesce(col(Columns.CUSTOMER_ID), col(ORDER_CUSTOMER)))
            .drop(ORDER_CUSTOMER);
    return new CheckedInput(NAME, resolved);
  }
}
