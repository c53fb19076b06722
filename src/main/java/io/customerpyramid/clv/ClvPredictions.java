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
 * the population's) and predicted CLV, the expected margin over the horizon, each expected purchase
 * discounted continuously from when it is expected. The model functions are one Java implementation (tested on their own), applied per
 * customer in one projection: the conditional expectation needs Gauss's hypergeometric function,
 * which Spark has no expression for.
 */
public final class ClvPredictions {

  private static final String PREDICTION = "clv_prediction";
  private static final String DISCOUNTED_PURCHASES = "discounted_purchases";
  private static final int PROBABILITY_DIGITS = 6;
  private static final int PURCHASE_DIGITS = 4;
  private static final double DAYS_PER_YEAR = 365.25;

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
    /** Gauss-Legendre nodes and weights on [-1, 1], four points: exact for polynomials up to degree 7. */
    private static final double[] NODES = {-0.8611363115940526, -0.3399810435848563, 0.3399810435848563, 0.8611363115940526};
    private static final double[] WEIGHTS = {0.3478548451374538, 0.6521451548625461, 0.6521451548625461, 0.3478548451374538};

    private final BgNbdParameters bgNbd;
    private final GammaGammaParameters gammaGamma;
    private final double horizon;
    /** Continuous discount rate per time unit: ln(1 + annual rate) × days per unit / days per year. */
    private final double delta;
    /** One quadrature panel per year of the horizon (or part of one). */
    private final int panels;

    Predict(BgNbdParameters bgNbd, GammaGammaParameters gammaGamma, int horizon, int unitDays, double annualRate) {
      this.bgNbd = bgNbd;
      this.gammaGamma = gammaGamma;
      this.horizon = horizon;
      this.delta = Math.log1p(annualRate) * unitDays / DAYS_PER_YEAR;
      this.panels = Math.max(1, (int) Math.ceil(horizon * unitDays / DAYS_PER_YEAR - 1e-9));
    }

    @Override
    public Row call(Long x, Double tx, Double age, Double meanValue) {
      if (x == null) {
        return null;
      }
      try {
        double pAlive = BgNbd.probabilityAlive(bgNbd, x, tx, age);
        double purchases = BgNbd.expectedPurchases(bgNbd, x, tx, age, horizon);
        double orderValue = GammaGamma.expectedOrderValue(gammaGamma, x, meanValue == null ? 0 : meanValue);
        return RowFactory.create(pAlive, purchases, discountedPurchases(x, tx, age, purchases), orderValue);
      } catch (IllegalArgumentException e) {
        throw ClvPredictionError.of(x, tx, age, e);
      }
    }

    /**
     * The purchases of the horizon, each discounted continuously from when it is expected:
     * integral of e^(-delta t) dE(t) over [0, H] = e^(-delta H) E(H) + delta integral of e^(-delta t) E(t) dt
     * (by parts, E(0) = 0), the last integral by four-point Gauss-Legendre on each year of the horizon: E(t) is
     * smooth, so four evaluations of the conditional expectation a year do what monthly steps did with twelve.
     */
    double discountedPurchases(long x, double tx, double age, double purchasesOverHorizon) {
      if (delta == 0) {
        return purchasesOverHorizon;
      }
      double integral = 0;
      double width = horizon / panels;
      for (int panel = 0; panel < panels; panel++) {
        double start = panel * width;
        for (int i = 0; i < NODES.length; i++) {
          double t = start + width / 2 * (1 + NODES[i]);
          integral += width / 2 * WEIGHTS[i] * Math.exp(-delta * t) * BgNbd.expectedPurchases(bgNbd, x, tx, age, t);
        }
      }
      return Math.exp(-delta * horizon) * purchasesOverHorizon + delta * integral;
    }
  }
}
