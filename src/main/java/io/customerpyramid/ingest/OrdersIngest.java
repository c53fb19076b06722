package io.customerpyramid.ingest;

import static io.customerpyramid.ingest.Parse.isBlank;
import static io.customerpyramid.ingest.Parse.text;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.customerpyramid.config.InputSource;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.ingest.Parse.Check;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.schema.RejectReason;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

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
    ParsedColumns parsed = new ParsedColumns();
    Column orderTs = parsed.add(Columns.ORDER_TS, Parse.timestamp(raw, Columns.ORDER_TS, source.timePatterns()));
    Column customerId = parsed.add(Columns.CUSTOMER_ID, Parse.customerId(raw, Columns.CUSTOMER_ID, source.customerIdFormat()));
    List<Check> checks = Parse.structureChecks();
    checks.add(new Check(isBlank(col(Columns.ORDER_ID)), RejectReason.MISSING_ORDER_ID));
    checks.add(new Check(isBlank(col(Columns.CUSTOMER_ID)), RejectReason.MISSING_CUSTOMER_ID));
    checks.add(new Check(Parse.presentButUnparsable(customerId, Columns.CUSTOMER_ID), RejectReason.NON_INTEGER_CUSTOMER_ID));
    checks.add(new Check(isBlank(col(Columns.ORDER_TS)), RejectReason.MISSING_TIMESTAMP));
    checks.add(new Check(orderTs.isNull(), RejectReason.UNPARSABLE_TIMESTAMP));
    checks.add(new Check(Parse.beforeMinDate(orderTs, source.limits().minDate()), RejectReason.DATE_OUT_OF_RANGE));
    BigDecimal limit = source.limits().maxAbsAmount();

    Column lineValue;
    if (rules.lineGranularity()) {
      Column quantity = parsed.add(Columns.QUANTITY, Parse.decimal(raw, Columns.QUANTITY, Money.QUANTITY));
      Column unitPrice = parsed.add(Columns.UNIT_PRICE, Parse.decimal(raw, Columns.UNIT_PRICE, Money.INPUT));
      checks.add(new Check(isBlank(col(Columns.QUANTITY)).or(isBlank(col(Columns.UNIT_PRICE))), RejectReason.MISSING_AMOUNT));
      checks.add(new Check(Parse.outOfRange(raw, Columns.QUANTITY, limit.min(Money.MAX_QUANTITY))
          .or(Parse.outOfRange(raw, Columns.UNIT_PRICE, limit)), RejectReason.AMOUNT_OUT_OF_RANGE));
      checks.add(new Check(quantity.isNull(), RejectReason.NON_NUMERIC_QUANTITY));
      checks.add(new Check(unitPrice.isNull(), RejectReason.NON_NUMERIC_UNIT_PRICE));
      lineValue = Money.work(quantity.multiply(unitPrice));
    } else {
      Column amount = parsed.add(Columns.AMOUNT, Parse.decimal(raw, Columns.AMOUNT, Money.INPUT));
      checks.add(new Check(isBlank(col(Columns.AMOUNT)), RejectReason.MISSING_AMOUNT));
      checks.add(new Check(Parse.outOfRange(raw, Columns.AMOUNT, limit), RejectReason.AMOUNT_OUT_OF_RANGE));
      checks.add(new Check(amount.isNull(), RejectReason.NON_NUMERIC_AMOUNT));
      lineValue = Money.work(amount);
    }
    Column discount = optionalNumber(raw, source, Columns.DISCOUNT, checks, RejectReason.NON_NUMERIC_DISCOUNT, parsed);
    Column cost = optionalNumber(raw, source, Columns.COST_OF_GOODS, checks, RejectReason.NON_NUMERIC_COST, parsed);

    Column orderId = text(col(Columns.ORDER_ID));
    String prefix = rules.cancellationPrefix();
    Column cancelled = prefix.isEmpty() ? lit(false) : orderId.startsWith(prefix);
    Column isReturn = cancelled.or(lineValue.lt(0));
    Column lineCost = Money.work(abs(coalesce(cost, lineValue.multiply(Money.costShare(grossMarginRate)))));

    Dataset<Row> checked =
        parsed.on(raw).select(InputReader.withBookkeeping(
            orderId.as(Columns.ORDER_ID),
            customerId.as(Columns.CUSTOMER_ID),
            orderTs.as(Columns.ORDER_TS),
            lineValue.as(Columns.LINE_VALUE),
            coalesce(discount, Money.zero()).as(Columns.DISCOUNT),
            lineCost.as(Columns.LINE_COST),
            isReturn.as(Columns.IS_RETURN_LINE),
            Parse.firstReason(checks.toArray(Check[]::new)).as(Columns.REJECT_REASON)));
    // Placed by customer before the duplicate check, which then needs no shuffle of its own; the
    // cached rows keep that partitioning, so the per-order and per-customer aggregations of the
    // features and the purchase summary need none either. Without a duplicate check the rows are not
    // shuffled here: the features shuffle their smaller per-order rows instead.
    boolean deduplicated = source.deduplication().mode() != InputSource.Deduplication.Mode.OFF;
    Dataset<Row> placed = deduplicated ? CustomerPlacement.place(checked) : checked;
    return new CheckedInput(
        NAME, Duplicates.mark(placed, source.deduplication(), Columns.CUSTOMER_PLACEMENT, Columns.ORDER_ID));
  }

  private static Column optionalNumber(
      Dataset<Row> raw, InputSource source, String column, List<Check> checks, RejectReason reason, ParsedColumns parsed) {
    if (!source.hasColumn(column)) {
      return lit(null).cast(Money.WORK);
    }
    Column value = parsed.add(column, Parse.decimal(raw, column, Money.INPUT));
    checks.add(new Check(Parse.outOfRange(raw, column, source.limits().maxAbsAmount()), RejectReason.AMOUNT_OUT_OF_RANGE));
    checks.add(new Check(Parse.presentButUnparsable(value, column), reason));
    return Money.work(value);
  }
}
