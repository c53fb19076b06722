package io.customerpyramid.features;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.schema.Columns;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * RFM scores 1-5 by quintile edges. A score is a function of the raw value alone (the number of
 * edges below it), so equal values always get equal scores; 5 is the most recent, most frequent,
 * highest monetary.
 */
public final class RfmScoring {

  public static final int SCORES = 5;
  private static final double[] QUINTILES = {0.2, 0.4, 0.6, 0.8};

  public static final String RECENCY = "recency";
  public static final String FREQUENCY = "frequency";
  public static final String MONETARY = "monetary";

  /** The column each dimension is scored on. */
  static final String MONETARY_COLUMN = Columns.NET_REVENUE;

  public static final StructType BINS_SCHEMA =
      new StructType()
          .add(Columns.DIMENSION, DataTypes.StringType, false)
          .add(Columns.SCORE, DataTypes.IntegerType, false)
          .add(Columns.LOWER_BOUND, DataTypes.DoubleType, true)
          .add(Columns.UPPER_BOUND, DataTypes.DoubleType, true)
          .add(Columns.CUSTOMERS, DataTypes.LongType, false);

  private RfmScoring() {}

  /** Quintile edges of the three dimensions, four ascending values each. */
  public record Edges(double[] recency, double[] frequency, double[] monetary) implements Serializable {
    @Override
    public String toString() {
      return "recency " + Arrays.toString(recency) + ", frequency " + Arrays.toString(frequency)
          + ", monetary " + Arrays.toString(monetary);
    }
  }

  /**
   * Exact quintile edges of the three columns (nulls ignored), the same on every run and partitioning;
   * {@code relativeError} only sizes the approximate pass that brackets them ({@link ExactQuantiles}).
   */
  public static Edges fit(Dataset<Row> features, double relativeError) {
    double[][] q =
        ExactQuantiles.of(
            features, new String[] {Columns.RECENCY_DAYS, Columns.FREQUENCY, MONETARY_COLUMN}, QUINTILES, relativeError);
    return new Edges(orEmpty(q[0]), orEmpty(q[1]), orEmpty(q[2]));
  }

  /** No values at all (every recency null): every value lies above the edges. */
  private static double[] orEmpty(double[] edges) {
    return edges.length == QUINTILES.length ? edges : new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
  }

  /** Adds r_score, f_score, m_score and rfm_code ("545"). A customer without a positive order scores recency 1. */
  public static Dataset<Row> withScores(Dataset<Row> features, Edges edges) {
    Column r = coalesce(lit(SCORES).minus(edgesBelow(col(Columns.RECENCY_DAYS), edges.recency())), lit(1));
    Column f = lit(1).plus(edgesBelow(col(Columns.FREQUENCY), edges.frequency()));
    Column m = lit(1).plus(edgesBelow(col(MONETARY_COLUMN), edges.monetary()));
    return features
        .withColumn(Columns.R_SCORE, r.cast(DataTypes.IntegerType))
        .withColumn(Columns.F_SCORE, f.cast(DataTypes.IntegerType))
        .withColumn(Columns.M_SCORE, m.cast(DataTypes.IntegerType))
        .withColumn(
            Columns.RFM_CODE,
            concat(col(Columns.R_SCORE).cast("string"), col(Columns.F_SCORE).cast("string"), col(Columns.M_SCORE).cast("string")));
  }

  /** Number of edges strictly below the value. */
  private static Column edgesBelow(Column value, double[] edges) {
    Column count = lit(0);
    for (double edge : edges) {
      count = count.plus(when(value.gt(edge), 1).otherwise(0));
    }
    return when(value.isNull(), lit(null)).otherwise(count);
  }

  /**
   * The rfm_bins table (without snapshot_date): per dimension and score, the value range
   * (lower bound exclusive, upper inclusive; null = unbounded) and how many customers got it. Edges
   * that coincide (many equal values) leave the scores between them empty.
   */
  public static Dataset<Row> bins(SparkSession spark, Dataset<Row> scored, Edges edges) {
    List<Column> counts = new ArrayList<>();
    for (String scoreColumn : List.of(Columns.R_SCORE, Columns.F_SCORE, Columns.M_SCORE)) {
      for (int score = 1; score <= SCORES; score++) {
        counts.add(count_if(col(scoreColumn).equalTo(score)));
      }
    }
    Row countRow = scored.agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new)).first();
    List<Row> rows = new ArrayList<>();
    int i = 0;
    for (String dimension : List.of(RECENCY, FREQUENCY, MONETARY)) {
      double[] e = dimension.equals(RECENCY) ? edges.recency() : dimension.equals(FREQUENCY) ? edges.frequency() : edges.monetary();
      for (int score = 1; score <= SCORES; score++) {
        // Recency is scored in reverse: score 5 is the lowest bin of days.
        int bin = dimension.equals(RECENCY) ? SCORES - score : score - 1;
        Double lower = bin == 0 ? null : e[bin - 1];
        Double upper = bin == SCORES - 1 ? null : e[bin];
        rows.add(RowFactory.create(dimension, score, lower, upper, countRow.getLong(i++)));
      }
    }
    return spark.createDataFrame(rows, BINS_SCHEMA);
  }
}
