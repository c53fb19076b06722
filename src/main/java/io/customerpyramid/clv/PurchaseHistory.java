package io.customerpyramid.clv;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.features.CustomerFeatures;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The BTYD summary of each customer's purchases before a date, as in the literature and lifetimes:
 * purchases are counted per day (several orders on one day are one purchase), from positive orders
 * only; x is the number of purchase days after the first, t_x the last minus the first purchase day,
 * T the last observed day (the day before the end) minus the first purchase day, m the mean value of
 * the repeat purchase days. All history before the end counts (the lookback window does not apply).
 */
public final class PurchaseHistory {

  /** Whole days of t_x and T, before they are expressed in the time unit: what the fit's rows are made of. */
  public static final String T_X_DAYS = "t_x_days";
  public static final String AGE_DAYS = "customer_age_days";

  private static final String SALE_LINES = "sale_lines";
  private static final String DAY = "purchase_day";
  private static final String FIRST_DAY = "first_purchase_day";
  private static final String LAST_DAY = "last_purchase_day";
  private static final String PURCHASE_DAYS = "purchase_days";
  private static final String TOTAL_VALUE = "purchase_value";
  private static final String FIRST_DAY_VALUE = "first_purchase_day_value";

  private PurchaseHistory() {}

  /**
   * One row per customer with a positive order before {@code end}: customer_id, repeat_purchases (x),
   * t_x_days, customer_age_days, t_x and customer_age (in time units) and mean_repeat_value (m, null
   * for x = 0, a double: the model's input, not a stored amount).
   *
   * @param orderLines accepted order lines (customer_id, order_ts, line_value, is_return_line)
   * @param end the first day not observed (the snapshot date S, or the start of a holdout)
   * @param timeUnitDays days per time unit
   */
  public static Dataset<Row> summarise(Dataset<Row> orderLines, LocalDate end, int timeUnitDays) {
    Column endDate = lit(java.sql.Date.valueOf(end));
    Column day = to_date(col(Columns.ORDER_TS));
    // An order is positive when it has a positive sale line (its revenue is their sum), so a day's
    // purchase value is the sum of its positive sale lines, and a day is a purchase when it has one.
    // One aggregation per customer, its sale lines' (day, value) pairs collected. By default the
    // accepted order lines come partitioned and sorted by customer (the duplicate check's window), and
    // with spark.sql.execution.replaceHashWithSortAgg (SparkSessions) Spark streams this aggregation
    // without a hash table; otherwise it is a hash aggregation, with the same result. Either way a
    // customer's pairs are held whole in one task's memory (a few hundred bytes a line, an estimate):
    // one list is never spilled.
    Column pair = struct(day.as(DAY), col(Columns.LINE_VALUE).as(Columns.LINE_VALUE));
    Dataset<Row> customers =
        orderLines
            .where(CustomerFeatures.isSaleLine().and(day.lt(endDate)))
            .groupBy(Columns.CUSTOMER_ID)
            .agg(
                collect_list(pair).as(SALE_LINES),
                min(day).as(FIRST_DAY),
                max(day).as(LAST_DAY),
                Money.sum(col(Columns.LINE_VALUE)).as(TOTAL_VALUE))
            .withColumn(
                PURCHASE_DAYS,
                size(array_distinct(transform(col(SALE_LINES), sale -> sale.getField(DAY)))).cast(DataTypes.LongType))
            .withColumn(
                FIRST_DAY_VALUE,
                aggregate(
                    filter(col(SALE_LINES), sale -> sale.getField(DAY).equalTo(col(FIRST_DAY))),
                    Money.zero(),
                    (total, sale) -> Money.work(total.plus(sale.getField(Columns.LINE_VALUE)))));
    Column x = col(PURCHASE_DAYS).minus(1);
    Column txDays = datediff(col(LAST_DAY), col(FIRST_DAY));
    Column ageDays = datediff(date_sub(endDate, 1), col(FIRST_DAY));
    double unit = timeUnitDays;
    return customers.select(
        col(Columns.CUSTOMER_ID),
        x.as(Columns.REPEAT_PURCHASES),
        txDays.as(T_X_DAYS),
        ageDays.as(AGE_DAYS),
        txDays.cast(DataTypes.DoubleType).divide(unit).as(Columns.T_X),
        ageDays.cast(DataTypes.DoubleType).divide(unit).as(Columns.CUSTOMER_AGE),
        when(x.gt(0), col(TOTAL_VALUE).minus(col(FIRST_DAY_VALUE)).cast(DataTypes.DoubleType).divide(x))
            .as(Columns.MEAN_REPEAT_VALUE));
  }
}
