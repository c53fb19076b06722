package io.customerpyramid.clv;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import java.io.Serializable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Each customer's forward view from the fitted models: P(alive), expected purchases over the
 * horizon, the expected value of a purchase (Gamma-Gamma's shrinkage of the customer's mean towards
 * the population's) and predicted CLV, the expected margin over the horizon discounted month by
 * month. The model functions are one Java implementation (tested on their own), applied per
 * customer in one projection: the conditional expectation needs Gauss's hypergeometric function,
 * which Spark has no expression for.
 */
public final class ClvPredictions {

  private static final String PREDICTION = "clv_prediction";
  private static final String DISCOUNTED_PURCHASES = "discounted_purchases";
  private static final int PROBABILITY_DIGITS = 6;
  private static final int PURCHASE_DIGITS = 4;
  private static final double DAYS_PER_MONTH = 365.25 / 12;
  private static final double DAYS_PER_YEAR = 365.25;
  /** Each step costs a hypergeometric series per customer: a ten-year horizon takes 36 steps, not 120. */
  private static final int MAX_STEPS = 36;

  private static final StructType PREDICTION_TYPE =
      new StructType()
          .add(Columns.P_ALIVE, DataTypes.DoubleType, false)
          .add(Columns.EXPECTED_PURCHASES, DataTypes.DoubleType, false)
          .add(DISCOUNTED_PURCHASES, DataTypes.DoubleType, false)
          .add(Columns.EXPECTED_ORDER_VALUE, DataTypes.DoubleType, false);

  private ClvPredictions() {}

  /**
   * First pass, before the customers are cut: repeat_purchases, t_x, customer_age, mean_repeat_value,
   * p_alive, expected_purchases and expected_order_value, and the horizon's discounted purchases (kept for
   * {@link #withPredictedClv}). A customer without a positive order before S has none of them (null). Joined
   * in the same plan as the customers' own aggregation, both sides partitioned by customer.
   *
   * @param customers one row per customer
   * @param history {@link PurchaseHistory#summarise}'s rows for the same S
   */
  public static Dataset<Row> withModelColumns(
      Dataset<Row> customers, Dataset<Row> history, ClvModel model, JobConfig.Clv config) {
    Dataset<Row> joined =
        customers.join(
            history.select(
                col(Columns.CUSTOMER_ID), col(Columns.REPEAT_PURCHASES), col(Columns.T_X), col(Columns.CUSTOMER_AGE),
                col(Columns.MEAN_REPEAT_VALUE)),
            new String[] {Columns.CUSTOMER_ID},
            "left");
    UserDefinedFunction predict =
        udf(new Predict(model.bgNbdParameters(), model.gammaGammaParameters(), config.horizon(), config.timeUnitDays(),
                config.discountRate()), PREDICTION_TYPE);
    Column prediction =
        predict.apply(col(Columns.REPEAT_PURCHASES), col(Columns.T_X), col(Columns.CUSTOMER_AGE), col(Columns.MEAN_REPEAT_VALUE));
    return joined
        .withColumn(PREDICTION, prediction)
        .withColumn(Columns.P_ALIVE, round(col(PREDICTION + "." + Columns.P_ALIVE), PROBABILITY_DIGITS))
        .withColumn(Columns.EXPECTED_PURCHASES, round(col(PREDICTION + "." + Columns.EXPECTED_PURCHASES), PURCHASE_DIGITS))
        .withColumn(Columns.EXPECTED_ORDER_VALUE, Money.stored(col(PREDICTION + "." + Columns.EXPECTED_ORDER_VALUE)))
        .withColumn(DISCOUNTED_PURCHASES, col(PREDICTION + "." + DISCOUNTED_PURCHASES))
        .drop(PREDICTION);
  }

  /**
   * Second pass, on the cut customers: margin_rate and predicted_clv (0 for a customer without a
   * purchase). The population's margin rate, the fallback of customers without revenue in the lookback,
   * is one small aggregation of the cut rows.
   */
  public static Dataset<Row> withPredictedClv(Dataset<Row> withModelColumns) {
    Column marginRate = marginRate(populationMarginRate(withModelColumns));
    return withModelColumns
        .withColumn(Columns.MARGIN_RATE, marginRate)
        .withColumn(
            Columns.PREDICTED_CLV,
            Money.stored(
                coalesce(
                    col(DISCOUNTED_PURCHASES).multiply(col(Columns.EXPECTED_ORDER_VALUE).cast(DataTypes.DoubleType))
                        .multiply(col(Columns.MARGIN_RATE)),
                    lit(0.0))))
        .drop(DISCOUNTED_PURCHASES);
  }

  /** Both passes at once (tests and callers without a cut between them). */
  public static Dataset<Row> withPredictions(Dataset<Row> customers, Dataset<Row> history, ClvModel model, JobConfig.Clv config) {
    return withPredictedClv(withModelColumns(customers, history, model, config));
  }

  /**
   * Contribution per unit of revenue in the lookback, clipped to [-1, 1]; for a customer without revenue in
   * the lookback (all their purchases before it), the population's.
   */
  private static Column marginRate(double populationRate) {
    Column rate = col(Columns.CONTRIBUTION).cast(DataTypes.DoubleType).divide(col(Columns.REVENUE).cast(DataTypes.DoubleType));
    return round(when(col(Columns.REVENUE).gt(0), clip(rate)).otherwise(lit(populationRate)), PROBABILITY_DIGITS);
  }

  private static Column clip(Column rate) {
    return least(greatest(rate, lit(-1.0)), lit(1.0));
  }

  /** All customers' contribution over their revenue, clipped to [-1, 1]; 0 without revenue. One small aggregation. */
  static double populationMarginRate(Dataset<Row> customers) {
    Row totals = customers.agg(sum(col(Columns.CONTRIBUTION)), sum(col(Columns.REVENUE))).first();
    if (totals.isNullAt(1) || totals.getDecimal(1).signum() <= 0) {
      return 0;
    }
    double rate = totals.getDecimal(0).doubleValue() / totals.getDecimal(1).doubleValue();
    return Math.max(-1, Math.min(1, rate));
  }

  /** The model functions of one customer; null for a customer without a purchase. */
  static final class Predict implements UDF4<Long, Double, Double, Double, Row>, Serializable {
    private final BgNbdParameters bgNbd;
    private final GammaGammaParameters gammaGamma;
    private final double[] stepEnds;
    private final double[] discounts;

    Predict(BgNbdParameters bgNbd, GammaGammaParameters gammaGamma, int horizon, int unitDays, double annualRate) {
      this.bgNbd = bgNbd;
      this.gammaGamma = gammaGamma;
      // Monthly steps (at least one, at most MAX_STEPS: longer steps beyond three years) over the horizon;
      // each step's purchases are discounted from its end.
      int steps = Math.max(1, Math.min(MAX_STEPS, (int) Math.round(horizon * unitDays / DAYS_PER_MONTH)));
      stepEnds = new double[steps];
      discounts = new double[steps];
      for (int i = 0; i < steps; i++) {
        stepEnds[i] = (double) horizon * (i + 1) / steps;
        discounts[i] = Math.pow(1 + annualRate, -stepEnds[i] * unitDays / DAYS_PER_YEAR);
      }
    }

    @Override
    public Row call(Long x, Double tx, Double age, Double meanValue) {
      if (x == null) {
        return null;
      }
      try {
        double pAlive = BgNbd.probabilityAlive(bgNbd, x, tx, age);
        double before = 0;
        double discounted = 0;
        for (int i = 0; i < stepEnds.length; i++) {
          double upTo = BgNbd.expectedPurchases(bgNbd, x, tx, age, stepEnds[i]);
          discounted += (upTo - before) * discounts[i];
          before = upTo;
        }
        double orderValue = GammaGamma.expectedOrderValue(gammaGamma, x, meanValue == null ? 0 : meanValue);
        return RowFactory.create(pAlive, before, discounted, orderValue);
      } catch (IllegalArgumentException e) {
        throw ClvPredictionError.of(x, tx, age, e);
      }
    }
  }
}
