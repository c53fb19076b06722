package io.customerpyramid.pareto;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Shares;
import java.io.Serializable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/**
 * The Pareto headline of a run, from one aggregation over the ranked customers.
 *
 * @param topFifthShare share of the positive measure produced by the top 20% of customers
 * @param customerShareForHalf smallest share of customers producing at least 50% of it
 * @param customerShareForEightyPercent smallest share of customers producing at least 80% of it
 * @param gini Gini coefficient of the measure clipped at zero (0 = equal, 1 = one customer has all)
 * @param nonPositiveCustomers customers whose measure is zero or negative
 */
public record ParetoHeadline(
    String measure,
    long customers,
    double positiveTotal,
    double topFifthShare,
    double customerShareForHalf,
    double customerShareForEightyPercent,
    double gini,
    long nonPositiveCustomers)
    implements Serializable {

  private static final double TOP_FIFTH = 0.2;

  public static ParetoHeadline of(ParetoRanking.Ranked ranked, String measure) {
    long n = ranked.customerCount();
    double total = ranked.positiveTotal().doubleValue();
    Column rank = col(Columns.PARETO_RANK);
    Column cumulative = col(Columns.CUMULATIVE_SHARE);
    long topFifthRank = Math.max(1, (long) Math.ceil(TOP_FIFTH * n));
    Column positive = when(col(Columns.PARETO_MEASURE).gt(0), col(Columns.PARETO_MEASURE)).otherwise(lit(java.math.BigDecimal.ZERO));
    Row row =
        ranked
            .customers()
            .agg(
                max(when(rank.equalTo(topFifthRank), cumulative)),
                min(when(cumulative.geq(0.5 - Shares.TOLERANCE), rank)),
                min(when(cumulative.geq(0.8 - Shares.TOLERANCE), rank)),
                // Gini = 2 * sum(i * x_i) / (n * total) - (n + 1) / n, with i the ascending position;
                // an exact decimal sum, so Gini does not depend on the partitioning.
                sum(lit(n).minus(rank).plus(1).cast(io.customerpyramid.schema.Money.COUNT).multiply(positive)),
                count_if(col(Columns.PARETO_MEASURE).leq(0).or(col(Columns.PARETO_MEASURE).isNull())))
            .first();
    boolean hasPositive = total > 0 && n > 0;
    double gini = hasPositive ? 2.0 * row.getDecimal(3).doubleValue() / (n * total) - (n + 1.0) / n : 0.0;
    return new ParetoHeadline(
        measure,
        n,
        total,
        hasPositive && !row.isNullAt(0) ? row.getDouble(0) : 0.0,
        hasPositive && !row.isNullAt(1) ? (double) row.getLong(1) / n : 0.0,
        hasPositive && !row.isNullAt(2) ? (double) row.getLong(2) / n : 0.0,
        gini,
        row.getLong(4));
  }

  /** "top 20% of customers produce 74% of contribution; 50% of it comes from 4.1% of customers". */
  public String sentence() {
    return String.format(
        java.util.Locale.ROOT,
        "top 20%% of customers produce %.1f%% of %s; 50%% of it comes from %.1f%% of customers, 80%% from %.1f%%; Gini %.3f",
        100 * topFifthShare,
        measure,
        100 * customerShareForHalf,
        100 * customerShareForEightyPercent,
        gini);
  }
}
