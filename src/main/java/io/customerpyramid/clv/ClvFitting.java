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
  /** Significant digits of m in the Gamma-Gamma rows: a relative change of at most 5e-4, far below the model's error. */
  static final int VALUE_DIGITS = 4;
  /** The widest bin durations are rounded to: beyond a year the durations would say nothing any more. */
  private static final int MAX_BIN_DAYS = 512;
  private static final int MIN_VALUE_DIGITS = 2;

  private ClvFitting() {}

  /** @param history {@link PurchaseHistory#summarise}'s rows, cached: it is read twice or more */
  public static ClvModel fit(Dataset<Row> history, JobConfig.Clv config) {
    long start = System.nanoTime();
    FitOptions options = new FitOptions(config.maxIterations(), FitOptions.TOLERANCE_DEFAULT);
    int unit = config.timeUnitDays();
    int most = config.maxDistinctTriples();

    int binDays = 0;
    List<Row> triples = triples(history, 0).limit(most + 1).collectAsList();
    while (triples.size() > most) {
      binDays = binDays == 0 ? Math.max(2, unit) : binDays * 2;
      if (binDays > MAX_BIN_DAYS) {
        throw new InputError(
            "clv: more than " + most + " distinct (x, t_x, T) rows even with t_x and T in " + binDays / 2
                + "-day bins; raise clv.max_distinct_triples (the driver holds one row per distinct triple)");
      }
      LOG.warn("clv: more than {} distinct (x, t_x, T) rows: rounding t_x and T to {}-day bins for the fit", most, binDays);
      triples = triples(history, binDays).limit(most + 1).collectAsList();
    }
    double[][] rows = columns(triples, 4);
    triples = null;
    if (java.util.Arrays.stream(rows[0]).noneMatch(x -> x > 0)) {
      throw new InputError(
          "clv: no customer has a repeat purchase (a second purchase day) before the end of the history, so neither model"
              + " can be fitted; clv.enabled needs customers who bought on at least two days");
    }
    double[] tx = java.util.Arrays.stream(rows[1]).map(days -> days / unit).toArray();
    double[] age = java.util.Arrays.stream(rows[2]).map(days -> days / unit).toArray();
    ModelFit bgNbd = BgNbdFitter.fit(rows[0], tx, age, rows[3], options);

    int digits = VALUE_DIGITS;
    List<Row> pairs = valuePairs(history, digits).limit(most + 1).collectAsList();
    while (pairs.size() > most) {
      if (digits == MIN_VALUE_DIGITS) {
        throw new InputError(
            "clv: more than " + most + " distinct (x, m) rows even with m to " + MIN_VALUE_DIGITS
                + " significant digits; raise clv.max_distinct_triples");
      }
      digits--;
      pairs = valuePairs(history, digits).limit(most + 1).collectAsList();
    }
    double[][] spend = columns(pairs, 3);
    pairs = null;
    ModelFit gammaGamma = GammaGammaFitter.fit(spend[0], spend[1], spend[2], options);
    return new ClvModel(
        bgNbd, gammaGamma, config.timeUnit(), binDays, digits, correlation(spend[0], spend[1], spend[2]),
        (System.nanoTime() - start) / 1e9);
  }

  /**
   * The collected rows as columns of doubles (counts and whole numbers included), so the rows can go;
   * in ascending order of their values, so that the fit's floating-point sums, and with them its
   * path, do not depend on how the customers were partitioned.
   */
  private static double[][] columns(List<Row> rows, int width) {
    List<double[]> values = new java.util.ArrayList<>(rows.size());
    for (Row row : rows) {
      double[] value = new double[width];
      for (int c = 0; c < width; c++) {
        value[c] = ((Number) row.get(c)).doubleValue();
      }
      values.add(value);
    }
    values.sort(java.util.Arrays::compare);
    double[][] columns = new double[width][rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      double[] row = values.get(i);
      for (int c = 0; c < width; c++) {
        columns[c][i] = row[c];
      }
    }
    return columns;
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
