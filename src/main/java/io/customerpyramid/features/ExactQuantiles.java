package io.customerpyramid.features;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exact quantiles of double columns, the same on every run however the rows are partitioned and in
 * whichever order tasks finish. Spark's approxQuantile merges its per-partition sketches in the order
 * tasks finish, so two runs over the same rows can return different values, and a k-means fit on
 * features clipped at them then puts border customers in other clusters.
 *
 * <p>Three passes, none holding a customer's row on the driver: approxQuantile brackets each wanted
 * rank between the approximate quantiles at p ± 2 × relativeError (its error bound is relativeError);
 * one aggregation counts each column's values and those below each bracket; one more counts the
 * distinct values inside the brackets, about 4 × relativeError × rows of them at most, fewer with
 * ties. The quantile is then read off those counts on the driver.
 */
public final class ExactQuantiles {

  private static final Logger LOG = LoggerFactory.getLogger(ExactQuantiles.class);
  private static final String KEY = "bracket";
  private static final String VALUE = "value";

  private ExactQuantiles() {}

  /**
   * For each column and probability p, the value of rank ceil(p × n) (at least 1) among the column's n
   * non-null values in ascending order: the smallest value with at least p of the values at or below
   * it. A column without values gets an empty array, as approxQuantile gives.
   *
   * @param relativeError the bracket's width: the memory and speed of the first pass against the
   *     values counted in the last one (the result is exact whatever it is)
   */
  public static double[][] of(Dataset<Row> rows, String[] columns, double[] probabilities, double relativeError) {
    int pCount = probabilities.length;
    double[] bracketProbabilities = new double[2 * pCount];
    for (int i = 0; i < pCount; i++) {
      bracketProbabilities[2 * i] = Math.max(0, probabilities[i] - 2 * relativeError);
      bracketProbabilities[2 * i + 1] = Math.min(1, probabilities[i] + 2 * relativeError);
    }
    Column[] asDouble = new Column[columns.length];
    for (int c = 0; c < columns.length; c++) {
      asDouble[c] = col(columns[c]).cast(DataTypes.DoubleType).as(columns[c]);
    }
    Dataset<Row> values = rows.select(asDouble);
    double[][] brackets = values.stat().approxQuantile(columns, bracketProbabilities, relativeError);

    // Per column its count of values, and per bracket the values below it.
    List<Column> counts = new ArrayList<>();
    List<Column> inBracket = new ArrayList<>();
    for (int c = 0; c < columns.length; c++) {
      Column value = col(columns[c]);
      counts.add(count(value));
      for (int i = 0; i < pCount && brackets[c].length > 0; i++) {
        double low = brackets[c][2 * i];
        double high = brackets[c][2 * i + 1];
        counts.add(count_if(value.lt(low)));
        inBracket.add(when(value.between(low, high), struct(lit(c * pCount + i).as(KEY), value.as(VALUE))));
      }
    }
    Row totals = values.agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new)).first();
    // Distinct values with their counts: many customers share a value (one order, zero returns).
    List<Row> bracketValues =
        inBracket.isEmpty()
            ? List.of()
            : values
                .select(explode(array(inBracket.toArray(Column[]::new))).as("v"))
                .where(col("v").isNotNull())
                .groupBy(col("v." + KEY).as(KEY), col("v." + VALUE).as(VALUE))
                .count()
                .collectAsList();
    List<List<double[]>> byBracket = new ArrayList<>();
    for (int b = 0; b < columns.length * pCount; b++) {
      byBracket.add(new ArrayList<>());
    }
    for (Row r : bracketValues) {
      byBracket.get(r.getInt(0)).add(new double[] {r.getDouble(1), r.getLong(2)});
    }

    double[][] quantiles = new double[columns.length][];
    int field = 0;
    for (int c = 0; c < columns.length; c++) {
      long n = totals.getLong(field++);
      if (brackets[c].length == 0) {
        quantiles[c] = new double[0];
        continue;
      }
      quantiles[c] = new double[pCount];
      for (int i = 0; i < pCount; i++) {
        long below = totals.getLong(field++);
        long rank = Math.max(1, rank(probabilities[i], n));
        List<double[]> inside = byBracket.get(c * pCount + i);
        inside.sort((x, y) -> Double.compare(x[0], y[0]));
        double low = brackets[c][2 * i];
        double high = brackets[c][2 * i + 1];
        double exact = valueOfRank(inside, rank - below);
        if (Double.isNaN(exact)) {
          // Cannot happen within approxQuantile's error bound; kept approximate rather than failing the run.
          exact = (low + high) / 2;
          LOG.warn("{}'s {} quantile is approximate ({}): its rank {} of {} fell outside the bracket [{}, {}]",
              columns[c], probabilities[i], exact, rank, n, low, high);
        }
        quantiles[c][i] = exact;
      }
    }
    return quantiles;
  }

  /** ceil(p × n) in decimal: in doubles 0.07 × 100 is 7.000000000000001, whose ceiling is 8. */
  static long rank(double p, long n) {
    return new java.math.BigDecimal(Double.toString(p)).multiply(java.math.BigDecimal.valueOf(n))
        .setScale(0, java.math.RoundingMode.CEILING).longValueExact();
  }

  /** The value of the given 1-based rank among (value, count) pairs in ascending order; NaN if none has it. */
  private static double valueOfRank(List<double[]> valueCounts, long rank) {
    long seen = 0;
    for (double[] valueCount : valueCounts) {
      seen += (long) valueCount[1];
      if (rank >= 1 && seen >= rank) {
        return valueCount[0];
      }
    }
    return Double.NaN;
  }
}
