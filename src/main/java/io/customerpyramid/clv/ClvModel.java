package io.customerpyramid.clv;

import io.customerpyramid.schema.Columns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A snapshot's fitted future-value models: BG/NBD for repeat purchases and P(alive), Gamma-Gamma for
 * the value of a purchase, with what they were fitted on.
 *
 * @param bgNbd the BG/NBD fit (observations = customers with a purchase)
 * @param gammaGamma the Gamma-Gamma fit (observations = customers with a repeat purchase)
 * @param timeUnit day or week: the unit of t_x, T, the horizon and of BG/NBD's alpha
 * @param binDays width of the bins t_x and T were rounded to for the BG/NBD fit; 0 when exact
 * @param valueDigits significant digits m was rounded to for the Gamma-Gamma fit
 * @param frequencyValueCorrelation Pearson's r between x and m over the repeat buyers: Gamma-Gamma assumes
 *     that spend per purchase does not depend on how often a customer buys
 * @param seconds time of the reduction and both fits
 */
public record ClvModel(
    ModelFit bgNbd, ModelFit gammaGamma, String timeUnit, int binDays, int valueDigits, double frequencyValueCorrelation,
    double seconds) {

  /** Above this |r| between x and m, the summary warns that Gamma-Gamma's independence assumption does not hold. */
  public static final double CORRELATION_WARNING = 0.3;

  public static final StructType SCHEMA =
      new StructType()
          .add(Columns.MODEL, DataTypes.StringType, false)
          .add(Columns.PARAMETER, DataTypes.StringType, false)
          .add(Columns.VALUE, DataTypes.DoubleType, false)
          .add(Columns.STANDARD_ERROR, DataTypes.DoubleType, true)
          .add(Columns.LOG_LIKELIHOOD, DataTypes.DoubleType, false)
          .add(Columns.CUSTOMERS, DataTypes.LongType, false)
          .add(Columns.DISTINCT_ROWS, DataTypes.LongType, false)
          .add(Columns.ITERATIONS, DataTypes.IntegerType, false)
          .add(Columns.TIME_UNIT, DataTypes.StringType, false)
          .add(Columns.BIN_DAYS, DataTypes.IntegerType, false);

  public BgNbdParameters bgNbdParameters() {
    return BgNbdFitter.parameters(bgNbd);
  }

  public GammaGammaParameters gammaGammaParameters() {
    return GammaGammaFitter.parameters(gammaGamma);
  }

  /** The clv_model table: one row per model and parameter (a standard error the Hessian could not give is null). */
  public Dataset<Row> table(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (ModelFit fit : List.of(bgNbd, gammaGamma)) {
      for (ParameterEstimate p : fit.parameters()) {
        rows.add(RowFactory.create(
            fit.model(), p.name(), p.value(), Double.isFinite(p.standardError()) ? p.standardError() : null,
            fit.logLikelihood(), Math.round(fit.observations()), (long) fit.distinctRows(), fit.iterations(), timeUnit,
            fit == bgNbd ? binDays : 0));
      }
    }
    return spark.createDataFrame(rows, SCHEMA);
  }
}
