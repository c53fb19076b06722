package io.customerpyramid.ingest;

import static io.customerpyramid.ingest.Parse.isBlank;
import static io.customerpyramid.ingest.Parse.text;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.config.InputSource;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.ingest.Parse.Check;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.schema.RejectReason;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Checks order rows (orders or order lines) and derives each line's value, cost and whether it is a
 * return: a negative value, or an order id with the cancellation prefix.
 */
public final class OrdersIngest {

  public static final String NAME = "orders";

  private OrdersIngest() {}

  /**
   * Output columns: order_id, customer_id, order_ts, line_value, discount, line_cost,
   * is_return_line, reject_reason, raw_record, source_file.
   */
  public static CheckedInput check(
      Dataset<Row> raw, InputSource source, JobConfig.OrderRules rules, double grossMarginRate) {
    Column orderTs = Parse.timestamp(raw, Columns.ORDER_TS, source.timePattern());
    List<Check> checks = new ArrayList<>();
    checks.add(new Check(col(Columns.CORRUPT_RECORD).isNotNull(), RejectReason.MALFORMED_ROW));
    checks.add(new Check(isBlank(col(Columns.ORDER_ID)), RejectReason.MISSING_ORDER_ID));
    checks.add(new Check(isBlank(col(Columns.CUSTOMER_ID)), RejectReason.MISSING_CUSTOMER_ID));
    checks.add(new Check(isBlank(col(Columns.ORDER_TS)), RejectReason.MISSING_TIMESTAMP));
    checks.add(new Check(orderTs.isNull(), RejectReason.UNPARSABLE_TIMESTAMP));

    Column lineValue;
    if (rules.lineGranularity()) {
      Column quantity = Parse.decimal(raw, Columns.QUANTITY, Money.QUANTITY);
      Column unitPrice = Parse.decimal(raw, Columns.UNIT_PRICE, Money.INPUT);
      checks.add(new Check(isBlank(col(Columns.QUANTITY)).or(isBlank(col(Columns.UNIT_PRICE))), RejectReason.MISSING_AMOUNT));
      checks.add(new Check(quantity.isNull(), RejectReason.NON_NUMERIC_QUANTITY));
      checks.add(new Check(unitPrice.isNull(), RejectReason.NON_NUMERIC_UNIT_PRICE));
      lineValue = Money.work(quantity.multiply(unitPrice));
    } else {
      Column amount = Parse.decimal(raw, Columns.AMOUNT, Money.INPUT);
      checks.add(new Check(isBlank(col(Columns.AMOUNT)), RejectReason.MISSING_AMOUNT));
      checks.add(new Check(amount.isNull(), RejectReason.NON_NUMERIC_AMOUNT));
      lineValue = Money.work(amount);
    }
    Column discount = optionalNumber(raw, source, Columns.DISCOUNT, checks, RejectReason.NON_NUMERIC_DISCOUNT);
    Column cost = optionalNumber(raw, source, Columns.COST_OF_GOODS, checks, RejectReason.NON_NUMERIC_COST);

    Column orderId = text(col(Columns.ORDER_ID));
    String prefix = rules.cancellationPrefix();
    Column cancelled = prefix.isEmpty() ? lit(false) : orderId.startsWith(prefix);
    Column isReturn = cancelled.or(lineValue.lt(0));
    Column lineCost = Money.work(abs(coalesce(cost, lineValue.multiply(Money.costShare(grossMarginRate)))));

    Dataset<Row> checked =
        raw.select(
            orderId.as(Columns.ORDER_ID),
            text(col(Columns.CUSTOMER_ID)).as(Columns.CUSTOMER_ID),
            orderTs.as(Columns.ORDER_TS),
            lineValue.as(Columns.LINE_VALUE),
            coalesce(discount, Money.zero()).as(Columns.DISCOUNT),
            lineCost.as(Columns.LINE_COST),
            isReturn.as(Columns.IS_RETURN_LINE),
            Parse.firstReason(checks.toArray(Check[]::new)).as(Columns.REJECT_REASON),
            // The whole source row, mapped columns or not (a product code tells two lines of one
            // invoice apart even at equal quantity and price).
            col(Columns.RAW_RECORD).as("raw_key"),
            col(Columns.RAW_RECORD),
            col(Columns.SOURCE_FILE),
            col(Columns.CORRUPT_RECORD));
    return new CheckedInput(NAME, markDuplicates(checked));
  }

  private static Column optionalNumber(
      Dataset<Row> raw, InputSource source, String column, List<Check> checks, RejectReason reason) {
    if (!source.hasColumn(column)) {
      return lit(null).cast(Money.WORK);
    }
    Column value = Parse.decimal(raw, column, Money.INPUT);
    checks.add(new Check(Parse.presentButUnparsable(value, column), reason));
    return Money.work(value);
  }

  /**
   * A row identical to another of its order in every source column, as read, is a duplicate: the
   * same line exported twice. Lines that look alike in the mapped columns only are not. Partitioning
   * by order id means the later per-order aggregation needs no further shuffle.
   */
  private static Dataset<Row> markDuplicates(Dataset<Row> checked) {
    Column previousKey = lag(col("raw_key"), 1).over(Window.partitionBy(Columns.ORDER_ID).orderBy("raw_key"));
    Column duplicate = col(Columns.REJECT_REASON).isNull().and(previousKey.eqNullSafe(col("raw_key")));
    return checked
        .withColumn(
            Columns.REJECT_REASON,
            coalesce(col(Columns.REJECT_REASON), when(duplicate, lit(RejectReason.DUPLICATE_ROW.name()))))
        .drop("raw_key");
  }
}
