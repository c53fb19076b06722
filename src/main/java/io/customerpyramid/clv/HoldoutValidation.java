package io.customerpyramid.clv;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.udf;

import io.customerpyramid.features.CustomerFeatures;
import io.customerpyramid.schema.Columns;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Out-of-sample check of the BG/NBD model: fitted on the history before S − N days (the calibration
 * period), it predicts each calibration customer's purchases in the N days that follow; those are
 * compared with the purchase days that actually happened, per calibration frequency bucket (x = 0 to
 * 6, then 7+) and in total. Customers whose first purchase falls in the holdout are not part of it:
 * the conditional expectation is for customers already known.
 */
public final class HoldoutValidation {

  public static final String HOLDOUT_DAYS = "holdout_days";
  public static final String CALIBRATION_END = "calibration_end";
  public static final String FREQUENCY_BUCKET = "frequency_bucket";
  public static final String BUCKET_ORDER = "bucket_order";
  public static final String ACTUAL_PURCHASES = "actual_purchases";
  public static final String PREDICTED_PURCHASES = "predicted_purchases";
  public static final String ACTUAL_MEAN = "actual_mean";
  public static final String PREDICTED_MEAN = "predicted_mean";
  /** The total row's bucket. */
  public static final String ALL = "all";
  /** x at and above this share a bucket. */
  public static final int TOP_BUCKET = 7;

  private static final String PREDICTED = "predicted";
  private static final String ACTUAL = "actual";
  private static final String BUCKET = "bucket";

  private static final StructType SCHEMA =
      new StructType()
          .add(HOLDOUT_DAYS, DataTypes.IntegerType, false)
          .add(CALIBRATION_END, DataTypes.DateType, false)
          .add(FREQUENCY_BUCKET, DataTypes.StringType, false)
          .add(BUCKET_ORDER, DataTypes.IntegerType, false)
          .add(Columns.CUSTOMERS, DataTypes.LongType, false)
          .add(ACTUAL_PURCHASES, DataTypes.LongType, false)
          .add(PREDICTED_PURCHASES, DataTypes.DoubleType, false)
          .add(ACTUAL_MEAN, DataTypes.DoubleType, false)
          .add(PREDICTED_MEAN, DataTypes.DoubleType, false);

  private HoldoutValidation() {}

  /** One bucket of the comparison. */
  public record Bucket(String bucket, int order, long customers, long actual, double predicted) {
    public double actualMean() {
      return customers == 0 ? 0 : (double) actual / customers;
    }

    public double predictedMean() {
      return customers == 0 ? 0 : predicted / customers;
    }
  }

  /**
   * Predicted against actual per bucket, the total last.
   *
   * @param calibrationEnd the first day of the holdout
   */
  public record Comparison(int holdoutDays, LocalDate calibrationEnd, List<Bucket> buckets) {

    public Bucket total() {
      return buckets.get(buckets.size() - 1);
    }

    /** The clv_validation table. */
    public Dataset<Row> table(SparkSession spark) {
      List<Row> rows = new ArrayList<>();
      for (Bucket b : buckets) {
        rows.add(RowFactory.create(
            holdoutDays, java.sql.Date.valueOf(calibrationEnd), b.bucket(), b.order(), b.customers(), b.actual(),
            b.predicted(), b.actualMean(), b.predictedMean()));
      }
      return spark.createDataFrame(rows, SCHEMA);
    }

    /** A comparison back from clv_validation's rows of one snapshot (any order); empty without rows. */
    public static java.util.Optional<Comparison> of(List<Row> tableRows) {
      if (tableRows.isEmpty()) {
        return java.util.Optional.empty();
      }
      List<Row> sorted = new ArrayList<>(tableRows);
      sorted.sort(java.util.Comparator.comparingInt(r -> r.<Integer>getAs(BUCKET_ORDER)));
      List<Bucket> buckets = new ArrayList<>();
      for (Row r : sorted) {
        buckets.add(new Bucket(r.getAs(FREQUENCY_BUCKET), r.<Integer>getAs(BUCKET_ORDER), r.<Long>getAs(Columns.CUSTOMERS),
            r.<Long>getAs(ACTUAL_PURCHASES), r.<Double>getAs(PREDICTED_PURCHASES)));
      }
      Row first = sorted.get(0);
      return java.util.Optional.of(new Comparison(
          first.<Integer>getAs(HOLDOUT_DAYS), first.<java.sql.Date>getAs(CALIBRATION_END).toLocalDate(), buckets));
    }
  }

  /** The model fitted on the calibration period and its comparison with the holdout. */
  public record Result(ClvModel model, Comparison comparison) {}

  /**
   * @param orderLines accepted order lines of the snapshot (all before S)
   * @param snapshotDate S
   * @param calibration the calibration customers: {@link PurchaseHistory#summarise} to S − N, cached
   * @param model fitted on {@code calibration}
   */
  public static Result compare(
      Dataset<Row> orderLines, LocalDate snapshotDate, int holdoutDays, Dataset<Row> calibration, ClvModel model,
      int timeUnitDays) {
    LocalDate calibrationEnd = snapshotDate.minusDays(holdoutDays);
    Column day = to_date(col(Columns.ORDER_TS));
    Dataset<Row> holdoutPurchases =
        orderLines
            .where(CustomerFeatures.isSaleLine()
                .and(day.geq(lit(java.sql.Date.valueOf(calibrationEnd)))).and(day.lt(lit(java.sql.Date.valueOf(snapshotDate)))))
            .groupBy(Columns.CUSTOMER_ID)
            .agg(count_distinct(day).as(ACTUAL));
    double horizon = (double) holdoutDays / timeUnitDays;
    Column predicted =
        udf(new ExpectedPurchases(model.bgNbdParameters(), horizon), DataTypes.DoubleType)
            .apply(col(Columns.REPEAT_PURCHASES), col(Columns.T_X), col(Columns.CUSTOMER_AGE));
    Column x = col(Columns.REPEAT_PURCHASES);
    List<Row> rows =
        calibration
            .join(holdoutPurchases, new String[] {Columns.CUSTOMER_ID}, "left")
            .groupBy(least(x, lit((long) TOP_BUCKET)).as(BUCKET))
            .agg(
                count(lit(1)).as(Columns.CUSTOMERS),
                coalesce(sum(col(ACTUAL)), lit(0L)).as(ACTUAL),
                sum(predicted).as(PREDICTED))
            .orderBy(BUCKET)
            .collectAsList();
    List<Bucket> buckets = new ArrayList<>();
    long customers = 0;
    long actual = 0;
    double total = 0;
    for (Row r : rows) {
      long bucket = r.getLong(0);
      String label = bucket == TOP_BUCKET ? TOP_BUCKET + "+" : Long.toString(bucket);
      buckets.add(new Bucket(label, (int) bucket, r.getLong(1), r.getLong(2), r.getDouble(3)));
      customers += r.getLong(1);
      actual += r.getLong(2);
      total += r.getDouble(3);
    }
    buckets.add(new Bucket(ALL, TOP_BUCKET + 1, customers, actual, total));
    return new Result(model, new Comparison(holdoutDays, calibrationEnd, buckets));
  }

  /** BG/NBD's conditional expectation of purchases over a fixed horizon. */
  static final class ExpectedPurchases implements UDF3<Long, Double, Double, Double>, Serializable {
    private final BgNbdParameters parameters;
    private final double horizon;

    ExpectedPurchases(BgNbdParameters parameters, double horizon) {
      this.parameters = parameters;
      this.horizon = horizon;
    }

    @Override
    public Double call(Long x, Double tx, Double age) {
      try {
        return BgNbd.expectedPurchases(parameters, x, tx, age, horizon);
      } catch (IllegalArgumentException e) {
        throw ClvPredictionError.of(x, tx, age, e);
      }
    }
  }
}
