package io.customerpyramid.schema;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftright;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.TryEval;
import org.apache.spark.sql.catalyst.expressions.UnscaledValue;
import org.apache.spark.sql.catalyst.expressions.objects.StaticInvoke;
import org.apache.spark.sql.types.AbstractDataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import scala.collection.JavaConverters;

/**
 * The exact sum of money in the working type, taken with 64-bit integer sums.
 *
 * <p>Why: Spark sums a decimal of more than 8 digits in a 38-digit buffer that it decodes to a
 * {@code BigDecimal} and encodes again for every row it adds; its optimizer takes the 64-bit path
 * only for columns of at most 8 digits, and money here has 20 and 28. At 1 M customers those
 * buffers were a third of the features' aggregation. Here each value's unscaled digits (units of
 * 10^-8) are summed as longs instead, cut so that the sums cannot overflow:
 *
 * <ul>
 *   <li>a value below 2^63 units in absolute value (92 billion) is cut into its low 24 bits and the
 *       rest, each summed on its own;
 *   <li>a larger value (up to the working type's 10^20) is first cut into whole billions, summed as a
 *       long, and a remainder below one billion, which is cut as above.
 * </ul>
 *
 * A group's three sums become one decimal in {@link #total}, called from Spark's generated code
 * (one call keeps that code small enough for the JIT to compile). The sums are exact for groups of
 * fewer than 2^39 rows whose total stays below 10^18 in absolute value; a total beyond the working
 * type is an error naming the limit, never a null or a wrapped number.
 */
public final class ExactSum {

  private ExactSum() {}

  private static final int LOW_BITS = 24;
  private static final long LOW_MASK = (1L << LOW_BITS) - 1;
  /** Below these, high · 2^24 + low fits a long. */
  private static final long HIGH_FAST_BOUND = 1L << 38;
  private static final long LOW_FAST_BOUND = 1L << 62;
  private static final BigDecimal BILLION = BigDecimal.TEN.pow(9);
  private static final DecimalType WHOLE_BILLIONS = DataTypes.createDecimalType(20, 0);
  private static final DecimalType BELOW_A_BILLION = DataTypes.createDecimalType(17, Money.WORK.scale());
  private static final int INTEGER_DIGITS = Money.WORK.precision() - Money.WORK.scale();

  /**
   * The exact sum of {@code value} in {@link Money#WORK}, 0 when there are no values.
   *
   * @param value money with at most {@link Money#WORK}'s 8 decimals (every parsed or computed amount)
   */
  static Column of(Column value) {
    Column v = Money.work(value);
    Column units = new Column(new TryEval(new UnscaledValue(v.expr())));
    Column large = when(units.isNull(), v);
    Column billions = floor(large.divide(lit(BILLION))).cast(DataTypes.LongType);
    Column remainder = large.minus(billions.multiply(lit(BILLION)).cast(WHOLE_BILLIONS)).cast(BELOW_A_BILLION);
    Column smallUnits = coalesce(units, new Column(new UnscaledValue(remainder.expr())));

    List<Expression> sums = List.of(
        coalesce(sum(shiftright(smallUnits, LOW_BITS)), lit(0L)).expr(),
        coalesce(sum(smallUnits.bitwiseAND(lit(LOW_MASK))), lit(0L)).expr(),
        coalesce(sum(billions), lit(0L)).expr());
    return new Column(new StaticInvoke(
        ExactSum.class, Money.WORK, "total", JavaConverters.asScalaBuffer(sums).toList(), JavaConverters.asScalaBuffer(List.<AbstractDataType>of()).toList(),
        true, false, true));
  }

  /**
   * One group's sum from its three partial sums: {@code (high · 2^24 + low) · 10^-8 + billions · 10^9}.
   * Public for Spark's generated code.
   */
  public static Decimal total(long high, long low, long billions) {
    if (billions == 0 && Math.abs(high) < HIGH_FAST_BOUND && low < LOW_FAST_BOUND) {
      return Decimal.createUnsafe((high << LOW_BITS) + low, Money.WORK.precision(), Money.WORK.scale());
    }
    BigDecimal exact = new BigDecimal(BigInteger.valueOf(high).shiftLeft(LOW_BITS).add(BigInteger.valueOf(low)), Money.WORK.scale())
        .add(BigDecimal.valueOf(billions).multiply(BILLION));
    if (exact.precision() - exact.scale() > INTEGER_DIGITS) {
      throw new ArithmeticException("An exact sum of money is " + exact.toPlainString()
          + ", beyond DECIMAL(28,8) (at most 10^20 in absolute value)");
    }
    return Decimal.apply(exact, Money.WORK.precision(), Money.WORK.scale());
  }
}
