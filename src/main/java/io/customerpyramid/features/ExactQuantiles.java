package io.customerpyramid.features;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exact quantiles of numeric columns, the same on every run however the rows are partitioned and in
 * whichever order tasks finish. Spark's approxQuantile merges its per-partition sketches in the order
 * tasks finish, so two runs over the same rows can return different values, and a k-means fit on
 * features clipped at them then puts border customers in other clusters.
 *
 * <p>Where no column has more than {@link #MAX_BRACKET_ROWS} values, they are counted at once.
 * Otherwise approxQuantile only brackets each wanted rank, between its approximate quantiles at p ± 2 ×
 * relativeError (its error bound is relativeError); aggregations count the values below and inside
 * each bracket. A bracket holding more than {@link #MAX_BRACKET_ROWS} values (about 4 ×
 * relativeError × rows: 400,000 at 100 M customers) is narrowed the same way within itself. The
 * distinct values inside the brackets are then counted and read on the driver: no customer's row
 * reaches it, only (bracket, value, count) triples, few where customers share values.
 */
public final class ExactQuantiles {

  private static final Logger LOG = LoggerFactory.getLogger(ExactQuantiles.class);
  /** Values inside one bracket above which it is narrowed before its distinct values are collected. */
  static final long MAX_BRACKET_ROWS = 50_000;
  private static final int MAX_NARROWING_ROUNDS = 4;
  private static final String KEY = "bracket";
  private static final String VALUE = "value";

  private ExactQuantiles() {}

  /** One wanted quantile: the rank sought and the value range known to hold it. */
  private static final class Bracket {
    final int column;
    final int index;
    final long rank;
    double low;
    double high;
    long below;
    long inside;
    /** Narrowing it failed or changed nothing: its values are counted as they are. */
    boolean settled;

    Bracket(int column, int index, long rank, double low, double high) {
      this.column = column;
      this.index = index;
      this.rank = rank;
      this.low = low;
      this.high = high;
    }

    boolean holdsRank() {
      return below < rank && rank <= below + inside;
    }
  }

  /**
   * For each column and probability p, the value of rank ceil(p × n) (at least 1) among the column's n
   * non-null values in ascending order: the smallest value with at least p of the values at or below
   * it (SQL's percentile_disc). A column without values gets an empty array, as approxQuantile gives.
   *
   * @param relativeError of the approximate passes that bracket the ranks: their memory against the
   *     values counted afterwards (the result is exact whatever it is)
   */
  public static double[][] of(Dataset<Row> rows, String[] columns, double[] probabilities, double relativeError) {
    return of(rows, columns, probabilities, relativeError, MAX_BRACKET_ROWS);
  }

  static double[][] of(Dataset<Row> rows, String[] columns, double[] probabilities, double relativeError, long maxBracketRows) {
    Column[] asDouble = new Column[columns.length];
    for (int c = 0; c < columns.length; c++) {
      asDouble[c] = col(columns[c]).cast(DataTypes.DoubleType).as(columns[c]);
    }
    Dataset<Row> values = rows.select(asDouble);
    List<Column> totals = new ArrayList<>();
    for (String column : columns) {
      totals.add(count(col(column)));
    }
    Row totalRow = values.agg(totals.get(0), totals.subList(1, totals.size()).toArray(Column[]::new)).first();
    long largest = 0;
    for (int c = 0; c < columns.length; c++) {
      largest = Math.max(largest, totalRow.getLong(c));
    }
    // Few values (the samples): each bracket is the whole column, counted at once, no sketch needed.
    boolean few = largest <= maxBracketRows;
    double[][] approximate =
        few ? null : values.stat().approxQuantile(columns, around(probabilities, relativeError), relativeError);

    double[][] quantiles = new double[columns.length][];
    List<Bracket> brackets = new ArrayList<>();
    for (int c = 0; c < columns.length; c++) {
      long n = totalRow.getLong(c);
      quantiles[c] = n == 0 ? new double[0] : new double[probabilities.length];
      for (int i = 0; i < quantiles[c].length; i++) {
        long rank = Math.max(1, rank(probabilities[i], n));
        if (few) {
          Bracket whole = new Bracket(c, i, rank, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
          whole.inside = n;
          brackets.add(whole);
        } else {
          brackets.add(new Bracket(c, i, rank, approximate[c][2 * i], approximate[c][2 * i + 1]));
        }
      }
    }
    if (brackets.isEmpty()) {
      return quantiles;
    }
    if (!few) {
      countBelowAndInside(values, columns, brackets);
    }
    for (int round = 0; round < MAX_NARROWING_ROUNDS; round++) {
      List<Bracket> wide = brackets.stream().filter(b -> !b.settled && b.inside > maxBracketRows && b.low < b.high && b.holdsRank()).toList();
      if (wide.isEmpty()) {
        break;
      }
      narrow(values, columns, wide, relativeError);
    }

    List<Column> inside = new ArrayList<>();
    for (int b = 0; b < brackets.size(); b++) {
      Bracket bracket = brackets.get(b);
      Column value = col(columns[bracket.column]);
      inside.add(when(value.between(bracket.low, bracket.high), struct(lit(b).as(KEY), value.as(VALUE))));
    }
    // Distinct values with their counts: many customers share a value (one order, zero returns).
    List<List<double[]>> valueCounts = new ArrayList<>();
    brackets.forEach(b -> valueCounts.add(new ArrayList<>()));
    for (Row r :
        values
            .select(explode(array(inside.toArray(Column[]::new))).as("v"))
            .where(col("v").isNotNull())
            .groupBy(col("v." + KEY).as(KEY), col("v." + VALUE).as(VALUE))
            .count()
            .collectAsList()) {
      valueCounts.get(r.getInt(0)).add(new double[] {r.getDouble(1), r.getLong(2)});
    }
    for (int b = 0; b < brackets.size(); b++) {
      Bracket bracket = brackets.get(b);
      List<double[]> counted = valueCounts.get(b);
      counted.sort(Comparator.comparingDouble(valueCount -> valueCount[0]));
      double exact = valueOfRank(counted, bracket.rank - bracket.below);
      if (Double.isNaN(exact)) {
        // Cannot happen within approxQuantile's error bound; kept approximate rather than failing the run.
        exact = (bracket.low + bracket.high) / 2;
        LOG.warn("{}'s {} quantile is approximate ({}): its rank {} fell outside the bracket [{}, {}]",
            columns[bracket.column], probabilities[bracket.index], exact, bracket.rank, bracket.low, bracket.high);
      }
      quantiles[bracket.column][bracket.index] = exact;
    }
    return quantiles;
  }

  /** For each p, p − 2ε and p + 2ε within [0, 1]: a range that holds p's rank, approxQuantile's error being ε. */
  private static double[] around(double[] probabilities, double relativeError) {
    double[] around = new double[2 * probabilities.length];
    for (int i = 0; i < probabilities.length; i++) {
      around[2 * i] = Math.max(0, probabilities[i] - 2 * relativeError);
      around[2 * i + 1] = Math.min(1, probabilities[i] + 2 * relativeError);
    }
    return around;
  }

  /** Counts each bracket's values below and inside it, in one aggregation. */
  private static void countBelowAndInside(Dataset<Row> values, String[] columns, List<Bracket> brackets) {
    List<Column> counts = new ArrayList<>();
    for (Bracket bracket : brackets) {
      Column value = col(columns[bracket.column]);
      counts.add(count_if(value.lt(bracket.low)));
      counts.add(count_if(value.between(bracket.low, bracket.high)));
    }
    Row row = values.agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new)).first();
    for (int b = 0; b < brackets.size(); b++) {
      brackets.get(b).below = row.getLong(2 * b);
      brackets.get(b).inside = row.getLong(2 * b + 1);
    }
  }

  /** Brackets each rank again within its bracket's own values, then counts; keeps the old bracket where that fails. */
  private static void narrow(Dataset<Row> values, String[] columns, List<Bracket> wide, double relativeError) {
    Column[] within = new Column[wide.size()];
    String[] names = new String[wide.size()];
    double[] probabilities = new double[wide.size()];
    for (int b = 0; b < wide.size(); b++) {
      Bracket bracket = wide.get(b);
      Column value = col(columns[bracket.column]);
      names[b] = "bracket_" + b;
      within[b] = when(value.between(bracket.low, bracket.high), value).as(names[b]);
      probabilities[b] = (double) (bracket.rank - bracket.below) / bracket.inside;
    }
    // One pass for all brackets, each asked every bracket's probabilities (the sketch costs per value, not per query).
    double[] asked = around(probabilities, relativeError);
    double[][] approximate = values.select(within).stat().approxQuantile(names, asked, relativeError);
    List<double[]> previous = new ArrayList<>();
    for (int b = 0; b < wide.size(); b++) {
      Bracket bracket = wide.get(b);
      previous.add(new double[] {bracket.low, bracket.high, bracket.below, bracket.inside});
      bracket.low = Math.max(bracket.low, approximate[b][2 * b]);
      bracket.high = Math.min(bracket.high, approximate[b][2 * b + 1]);
    }
    countBelowAndInside(values, columns, wide);
    for (int b = 0; b < wide.size(); b++) {
      Bracket bracket = wide.get(b);
      double[] old = previous.get(b);
      if (!bracket.holdsRank()) {
        bracket.low = old[0];
        bracket.high = old[1];
        bracket.below = (long) old[2];
        bracket.inside = (long) old[3];
        bracket.settled = true;
      } else if (bracket.inside == (long) old[3]) {
        bracket.settled = true;
      }
    }
  }

  /** ceil(p × n) in decimal: in doubles 0.07 × 100 is 7.000000000000001, whose ceiling is 8. */
  static long rank(double p, long n) {
    return new BigDecimal(Double.toString(p)).multiply(BigDecimal.valueOf(n)).setScale(0, RoundingMode.CEILING).longValueExact();
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
