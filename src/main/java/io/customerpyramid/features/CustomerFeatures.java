package io.customerpyramid.features;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Per-customer RFM and cost-to-serve features: all order aggregates in one pass over the order
 * lines, joined with per-customer aggregates of returns, contacts and invoices.
 */
public final class CustomerFeatures {

  private static final int RATE_DECIMALS = 6;

  private static final String ORDER_REVENUE = "order_revenue";
  private static final String ORDER_RETURNS = "order_returns";
  private static final String ORDER_DISCOUNT = "order_discount";
  private static final String ORDER_COST = "order_cost";
  private static final String FIRST_TS = "first_positive_order_ts";
  private static final String LAST_TS = "last_positive_order_ts";
  private static final String REFUNDS = "refunds";
  private static final String DUE_INVOICES = "due_invoices";
  private static final String LATE_INVOICES = "late_invoices";

  /**
   * Exact sums of every accepted row's money per customer, all history, before any rounding: what the
   * run's books check against the inputs ({@code books.Books}). Not written to the tables.
   */
  public static final String LEDGER_ORDERS = "ledger_orders";
  public static final String LEDGER_RETURNS = "ledger_returns";
  public static final String LEDGER_CONTACTS = "ledger_contacts";
  public static final String LEDGER_INVOICES = "ledger_invoices";

  private CustomerFeatures() {}

  /**
   * The customer_features table (without snapshot_date), one row per customer with an accepted order.
   *
   * @param orderLines accepted order lines (see {@code OrdersIngest})
   * @param returns accepted returns with a customer id, if configured
   * @param contacts accepted contacts, if configured
   * @param invoices accepted invoices, if configured
   */
  public static Dataset<Row> build(
      Dataset<Row> orderLines,
      Optional<Dataset<Row>> returns,
      Optional<Dataset<Row>> contacts,
      Optional<Dataset<Row>> invoices,
      Snapshot snapshot,
      JobConfig.Costs costs) {
    Dataset<Row> customers = orderAggregates(orderLines, snapshot);
    if (returns.isPresent()) {
      customers = customers.join(refundAggregates(returns.get(), snapshot), new String[] {Columns.CUSTOMER_ID}, "left");
    } else {
      customers = customers.withColumn(REFUNDS, Money.zero()).withColumn(LEDGER_RETURNS, Money.zero());
    }
    if (contacts.isPresent()) {
      customers = customers.join(contactAggregates(contacts.get(), snapshot, costs), new String[] {Columns.CUSTOMER_ID}, "left");
    } else {
      customers = customers.withColumn(Columns.SERVICE_COST, Money.zero())
          .withColumn(LEDGER_CONTACTS, Money.zero())
          .withColumn(Columns.CONTACT_COUNT, lit(0L))
          .withColumn(Columns.COMPLAINT_COUNT, lit(0L));
    }
    if (invoices.isPresent()) {
      customers = customers.join(invoiceAggregates(invoices.get(), snapshot), new String[] {Columns.CUSTOMER_ID}, "left");
    } else {
      customers = customers.withColumn(DUE_INVOICES, lit(0L))
          .withColumn(LATE_INVOICES, lit(0L))
          .withColumn(Columns.AVG_DAYS_LATE, lit(null).cast("double"))
          .withColumn(Columns.BAD_DEBT, Money.zero())
          .withColumn(LEDGER_INVOICES, Money.zero());
    }
    return derive(customers, snapshot, costs);
  }

  /**
   * A sale line: not a return and of positive value. An order's revenue is the sum of its sale lines, so an
   * order is positive (a purchase) exactly when it has one.
   */
  public static Column isSaleLine() {
    return not(col(Columns.IS_RETURN_LINE)).and(col(Columns.LINE_VALUE).gt(0));
  }

  /** Lines of one order summed, then orders summed per customer: one read of the lines. */
  static Dataset<Row> orderAggregates(Dataset<Row> orderLines, Snapshot snapshot) {
    Column isReturn = col(Columns.IS_RETURN_LINE);
    Column value = col(Columns.LINE_VALUE);
    Dataset<Row> orders =
        orderLines
            .groupBy(Columns.CUSTOMER_ID, Columns.ORDER_ID)
            .agg(
                min(Columns.ORDER_TS).as(Columns.ORDER_TS),
                Money.sum(when(isSaleLine(), value)).as(ORDER_REVENUE),
                Money.sum(when(isReturn, abs(value))).as(ORDER_RETURNS),
                Money.sum(when(not(isReturn), col(Columns.DISCOUNT))).as(ORDER_DISCOUNT),
                Money.sum(when(isReturn, negate(col(Columns.LINE_COST))).otherwise(col(Columns.LINE_COST))).as(ORDER_COST),
                Money.sum(when(isReturn, negate(abs(value))).otherwise(value)).as(LEDGER_ORDERS));
    Column positive = col(ORDER_REVENUE).gt(0);
    Column inLookback = snapshot.inLookback(col(Columns.ORDER_TS));
    return orders
        .groupBy(Columns.CUSTOMER_ID)
        .agg(
            count_if(positive.and(inLookback)).as(Columns.FREQUENCY),
            min(when(positive, col(Columns.ORDER_TS))).as(FIRST_TS),
            max(when(positive, col(Columns.ORDER_TS))).as(LAST_TS),
            sumWhere(inLookback, ORDER_REVENUE).as(Columns.REVENUE),
            sumWhere(inLookback, ORDER_RETURNS).as(ORDER_RETURNS),
            sumWhere(inLookback, ORDER_DISCOUNT).as(Columns.DISCOUNT_AMOUNT),
            sumWhere(inLookback, ORDER_COST).as(ORDER_COST),
            Money.sum(col(LEDGER_ORDERS)).as(LEDGER_ORDERS));
  }

  private static Dataset<Row> refundAggregates(Dataset<Row> returns, Snapshot snapshot) {
    return returns
        .groupBy(Columns.CUSTOMER_ID)
        .agg(
            sumWhere(snapshot.inLookback(col(Columns.RETURN_TS)), Columns.REFUND_AMOUNT).as(REFUNDS),
            Money.sum(col(Columns.REFUND_AMOUNT)).as(LEDGER_RETURNS));
  }

  private static Dataset<Row> contactAggregates(Dataset<Row> contacts, Snapshot snapshot, JobConfig.Costs costs) {
    Column inLookback = snapshot.inLookback(col(Columns.CONTACT_TS));
    Column complaint = col(Columns.CONTACT_TYPE).isin(costs.complaintTypes().toArray());
    return contacts
        .groupBy(Columns.CUSTOMER_ID)
        .agg(
            sumWhere(inLookback, Columns.HANDLING_COST).as(Columns.SERVICE_COST),
            Money.sum(col(Columns.HANDLING_COST)).as(LEDGER_CONTACTS),
            count_if(inLookback).as(Columns.CONTACT_COUNT),
            count_if(inLookback.and(coalesce(complaint, lit(false)))).as(Columns.COMPLAINT_COUNT));
  }

  /**
   * Only invoices due before S count; a payment on or after S is not yet known as of S, so such an
   * invoice counts as unpaid (this keeps historic snapshots honest).
   */
  private static Dataset<Row> invoiceAggregates(Dataset<Row> invoices, Snapshot snapshot) {
    Column s = snapshot.dateLiteral();
    Column due = col(Columns.DUE_DATE).lt(s).and(snapshot.inLookback(col(Columns.DUE_DATE)));
    Column paidAsOfS = when(col(Columns.PAID_DATE).lt(s), col(Columns.PAID_DATE));
    Column daysLate = greatest(datediff(coalesce(paidAsOfS, s), col(Columns.DUE_DATE)), lit(0));
    Column late = paidAsOfS.isNull().or(paidAsOfS.gt(col(Columns.DUE_DATE)));
    return invoices
        .groupBy(Columns.CUSTOMER_ID)
        .agg(
            count_if(due).as(DUE_INVOICES),
            count_if(due.and(late)).as(LATE_INVOICES),
            functions.avg(when(due, daysLate)).as(Columns.AVG_DAYS_LATE),
            sumWhere(due, Columns.WRITTEN_OFF).as(Columns.BAD_DEBT),
            Money.sum(col(Columns.WRITTEN_OFF)).as(LEDGER_INVOICES));
  }

  /**
   * Each money column is rounded to cents once, from its exact sums; net_revenue and contribution are
   * then taken of the rounded columns, so the documented identities hold exactly in every stored row.
   */
  private static Dataset<Row> derive(Dataset<Row> c, Snapshot snapshot, JobConfig.Costs costs) {
    Column s = snapshot.dateLiteral();
    Column refunds = coalesce(col(REFUNDS), Money.zero());
    Column revenue = Money.stored(col(Columns.REVENUE));
    Column returns = Money.stored(col(ORDER_RETURNS).plus(refunds));
    Column netRevenue = Money.stored(revenue.minus(returns));
    Column discount = Money.stored(col(Columns.DISCOUNT_AMOUNT));
    Column costOfGoods = Money.stored(col(ORDER_COST).minus(Money.work(refunds.multiply(Money.costShare(costs.grossMarginRate())))));
    Column serviceCost = Money.stored(coalesce(col(Columns.SERVICE_COST), Money.zero()));
    Column badDebt = Money.stored(coalesce(col(Columns.BAD_DEBT), Money.zero()));
    Column contribution = Money.stored(netRevenue.minus(costOfGoods).minus(serviceCost).minus(badDebt));
    Column dueInvoices = coalesce(col(DUE_INVOICES), lit(0L));
    Column frequency = col(Columns.FREQUENCY);
    return c.select(
        col(Columns.CUSTOMER_ID),
        to_date(col(FIRST_TS)).as(Columns.FIRST_ORDER_DATE),
        to_date(col(LAST_TS)).as(Columns.LAST_ORDER_DATE),
        datediff(s, to_date(col(LAST_TS))).as(Columns.RECENCY_DAYS),
        datediff(s, to_date(col(FIRST_TS))).as(Columns.TENURE_DAYS),
        frequency.cast("long").as(Columns.FREQUENCY),
        revenue.as(Columns.REVENUE),
        returns.as(Columns.RETURNS),
        netRevenue.as(Columns.NET_REVENUE),
        Money.stored(when(frequency.gt(0), revenue.divide(frequency.cast(Money.COUNT))))
            .as(Columns.AVG_ORDER_VALUE),
        discount.as(Columns.DISCOUNT_AMOUNT),
        rate(when(revenue.plus(discount).gt(0), discount.divide(revenue.plus(discount))).otherwise(0.0)).as(Columns.DISCOUNT_RATE),
        rate(when(revenue.gt(0), returns.divide(revenue))).as(Columns.RETURN_RATE),
        costOfGoods.as(Columns.COST_OF_GOODS),
        serviceCost.as(Columns.SERVICE_COST),
        coalesce(col(Columns.CONTACT_COUNT), lit(0L)).as(Columns.CONTACT_COUNT),
        coalesce(col(Columns.COMPLAINT_COUNT), lit(0L)).as(Columns.COMPLAINT_COUNT),
        dueInvoices.as(Columns.INVOICE_COUNT),
        rate(when(dueInvoices.gt(0), coalesce(col(LATE_INVOICES), lit(0L)).divide(dueInvoices))).as(Columns.LATE_PAYMENT_RATE),
        rate(col(Columns.AVG_DAYS_LATE)).as(Columns.AVG_DAYS_LATE),
        badDebt.as(Columns.BAD_DEBT),
        contribution.as(Columns.CONTRIBUTION),
        col(LEDGER_ORDERS),
        ledger(LEDGER_RETURNS),
        ledger(LEDGER_CONTACTS),
        ledger(LEDGER_INVOICES));
  }

  private static Column sumWhere(Column condition, String column) {
    return Money.sum(when(condition, col(column)));
  }

  private static Column ledger(String column) {
    return coalesce(col(column), Money.zero()).as(column);
  }

  private static Column negate(Column value) {
    return Money.zero().minus(value);
  }

  private static Column rate(Column value) {
    return round(value.cast("double"), RATE_DECIMALS);
  }
}
