package io.customerpyramid.clv;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log10;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.rint;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.ingest.InputError;
import io.customerpyramid.schema.Columns;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Fits the snapshot's BG/NBD and Gamma-Gamma models by maximum likelihood. The customers are
 * reduced, distributed, to their distinct (x, t_x, T) triples and (x, m) pairs with counts; only
 * those weighted rows reach the driver, where the optimiser runs. A customer base has far fewer
 * distinct triples than customers (durations are whole days); should they still exceed
 * {@code clv.max_distinct_triples}, t_x and T are rounded to the centres of ever wider day bins
 * until they do, which moves each duration by at most half a bin.
 */
public final class ClvFitting {

  private static final Logger LOG = LogManager.getLogger(ClvFitting.class);

  private static final String WEIGHT = "weight";
  private static final String M_ROUNDED = "m_rounded";
  /** Significant digits of m in the Gamma-Gamma rows: a relative change of at most 5e-5, far below the model's error. */
  private static final int VALUE_DIGITS = 5;
  private static final int MIN_VALUE_DIGITS = 2;
  private static final double TOLERANCE = 1e-9;

  private ClvFitting() {}

  /** @param history {@link PurchaseHistory#summarise}'s rows, cached: it is read twice or more */
  public static ClvModel fit(Dataset<Row> history, JobConfig.Clv config) {
    long start = System.nanoTime();
    FitOptions options = new FitOptions(config.maxIterations(), TOLERANCE);
    int unit = config.timeUnitDays();

    int binDays = 0;
    List<Row> triples = triples(history, 0).limit(config.maxDistinctTriples() + 1).collectAsList();
    while (triples.size() > config.maxDistinctTriples()) {
      binDays = binDays == 0 ? Math.max(2, unit) : binDays * 2;
      LOG.warn(
          "clv: more than {} distinct (x, t_x, T) rows: rounding t_x and T to {}-day bins for the fit",
          config.maxDistinctTriples(), binDays);
      triples = triples(history, binDays).limit(config.maxDistinctTriples() + 1).collectAsList();
    }
    int n = triples.size();
    double[] x = new double[n];
    double[] tx = new double[n];
    double[] age = new double[n];
    double[] weight = new double[n];
    for (int i = 0; i < n; i++) {
      Row row = triples.get(i);
      x[i] = row.getLong(0);
      tx[i] = row.getDouble(1) / unit;
      age[i] = row.getDouble(2) / unit;
      weight[i] = row.getLong(3);
    }
    ModelFit bgNbd = BgNbdFitter.fit(x, tx, age, weight, options);

    int digits = VALUE_DIGITS;
    List<Row> pairs = valuePairs(history, digits).limit(config.maxDistinctTriples() + 1).collectAsList();
    while (pairs.size() > config.maxDistinctTriples() && digits > MIN_VALUE_DIGITS) {
      digits--;
      pairs = valuePairs(history, digits).limit(config.maxDistinctTriples() + 1).collectAsList();
    }
    if (pairs.isEmpty()) {
      throw new InputError(
          "clv: no customer has a repeat purchase (a second purchase day) before " + "the end of the history, so the value"
              + " of a purchase cannot be fitted; clv.enabled needs customers who bought on at least two days");
    }
    int p = pairs.size();
    double[] gx = new double[p];
    double[] gm = new double[p];
    double[] gw = new double[p];
    for (int i = 0; i < p; i++) {
      Row row = pairs.get(i);
      gx[i] = row.getLong(0);
      gm[i] = row.getDouble(1);
      gw[i] = row.getLong(2);
    }
    ModelFit gammaGamma = GammaGammaFitter.fit(gx, gm, gw, options);
    return new ClvModel(
        bgNbd, gammaGamma, config.timeUnit(), binDays, digits, correlation(gx, gm, gw), (System.nanoTime() - start) / 1e9);
  }

  /** Weighted Pearson correlation; 0 when either side does not vary. */
  static double correlation(double[] x, double[] y, double[] weight) {
    double w = 0;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      w += weight[i];
      mx += weight[i] * x[i];
      my += weight[i] * y[i];
    }
    mx /= w;
    my /= w;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += weight[i] * (x[i] - mx) * (y[i] - my);
      sxx += weight[i] * (x[i] - mx) * (x[i] - mx);
      syy += weight[i] * (y[i] - my) * (y[i] - my);
    }
    return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
  }

  /** (x, t_x days, T days, customers); durations at the centres of {@code binDays}-day bins when positive. */
  static Dataset<Row> triples(Dataset<Row> history, int binDays) {
    Column tx = col(PurchaseHistory.T_X_DAYS).cast(DataTypes.DoubleType);
    Column age = col(PurchaseHistory.AGE_DAYS).cast(DataTypes.DoubleType);
    if (binDays > 0) {
      // Bin centres keep t_x <= T; x = 0 keeps t_x = 0 exactly.
      tx = when(col(Columns.REPEAT_PURCHASES).equalTo(0), lit(0.0)).otherwise(centre(tx, binDays));
      age = centre(age, binDays);
    }
    return history
        .groupBy(col(Columns.REPEAT_PURCHASES), tx.as(PurchaseHistory.T_X_DAYS), age.as(PurchaseHistory.AGE_DAYS))
        .agg(count(lit(1)).as(WEIGHT));
  }

  private static Column centre(Column days, int binDays) {
    return floor(days.divide(binDays)).multiply(binDays).plus(binDays / 2.0);
  }

  /** (x, m to {@code digits} significant digits, customers) of the customers with a repeat purchase. */
  static Dataset<Row> valuePairs(Dataset<Row> history, int digits) {
    Column m = col(Columns.MEAN_REPEAT_VALUE);
    Column scale = pow(lit(10.0), floor(log10(m)).minus(digits - 1));
    return history
        .where(col(Columns.REPEAT_PURCHASES).gt(0).and(m.gt(0)))
        .groupBy(col(Columns.REPEAT_PURCHASES), rint(m.divide(scale)).multiply(scale).as(M_ROUNDED))
        .agg(count(lit(1)).as(WEIGHT));
  }
}
