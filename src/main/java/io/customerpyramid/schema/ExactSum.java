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
 * Exact sums of money, taken with 64-bit integer sums.
 *
 * <p>Why: Spark sums a decimal of more than 8 digits in a 38-digit buffer that it decodes to a
 * {@code BigDecimal} and encodes again for every row it adds; its optimizer takes the 64-bit path
 * only for columns of at most 8 digits, and money here has 20 and 28. At 1 M customers those
 * buffers were a third of the features' aggregation. Here each value's unscaled digits (units of
 * 10^-8) are summed as longs instead, cut so that no sum can overflow, whatever the signs:
 *
 * <ul>
 *   <li>a value in [-2^63, 2^63) units (92 billion) is cut into three pieces, two of 24 bits and the
 *       rest (at most 2^15 in absolute value), each summed on its own: a sum of n pieces of at most
 *       2^24 fits a long for n below 2^39 rows;
 *   <li>a larger value (up to the working type's 10^20) is first cut into whole billions, summed as a
 *       long, and a remainder below one billion, which is cut as above.
 * </ul>
 *
 * A group's four sums become one decimal in {@link #total}, called from
 * Spark's generated code (one call keeps that code small enough for the JIT to compile). The sums
 * are exact for groups of fewer than 2^39 rows; a total beyond the result type is an error naming the
 * limit, never a null, a 0 or a wrapped number.
 */
public final class ExactSum {

  private ExactSum() {}

  private static final int PIECE_BITS = 24;
  private static final long PIECE_MASK = (1L << PIECE_BITS) - 1;
  private static final BigDecimal BILLION = BigDecimal.TEN.pow(9);
  /** Whole billions of a working value times a billion: down to -10^20, 21 digits. */
  private static final DecimalType WHOLE_BILLIONS = DataTypes.createDecimalType(21, 0);
  private static final DecimalType BELOW_A_BILLION = DataTypes.createDecimalType(17, Money.WORK.scale());
  /** 10^0 to 10^8: units (10^-8) per step of a result with 8 to 0 decimals. */
  private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L};
  private static final long FAST_TOP = 1L << 12;
  private static final long FAST_MIDDLE = 1L << 37;
  private static final long FAST_LOW = 1L << 61;

  /**
   * The exact sum of {@code value} in {@link Money#WORK}, 0 when there are no values.
   *
   * @param value money with at most {@link Money#WORK}'s 8 decimals (every parsed, computed or stored
   *     amount): a value with more decimals would be rounded before it is summed
   */
  static Column of(Column value) {
    return sumIn(value, Money.WORK);
  }

  /** The exact sum of stored amounts (cents) in {@link Money#STORED}, 0 when there are no values. */
  static Column ofStored(Column value) {
    return sumIn(value, Money.STORED);
  }

  private static Column sumIn(Column value, DecimalType resultType) {
    Column v = Money.work(value);
    Column units = new Column(new TryEval(new UnscaledValue(v.expr())));
    Column large = when(units.isNull(), v);
    Column billions = floor(large.divide(lit(BILLION))).cast(DataTypes.LongType);
    Column remainder = large.minus(billions.multiply(lit(BILLION)).cast(WHOLE_BILLIONS)).cast(BELOW_A_BILLION);
    Column smallUnits = coalesce(units, new Column(new UnscaledValue(remainder.expr())));

    List<Expression> arguments = List.of(
        coalesce(sum(shiftright(smallUnits, 2 * PIECE_BITS)), lit(0L)).expr(),
        coalesce(sum(shiftright(smallUnits, PIECE_BITS).bitwiseAND(lit(PIECE_MASK))), lit(0L)).expr(),
        coalesce(sum(smallUnits.bitwiseAND(lit(PIECE_MASK))), lit(0L)).expr(),
        coalesce(sum(billions), lit(0L)).expr(),
        lit(resultType.precision()).expr(),
        lit(resultType.scale()).expr());
    return new Column(new StaticInvoke(
        ExactSum.class, resultType, "total", JavaConverters.asScalaBuffer(arguments).toList(),
        JavaConverters.asScalaBuffer(List.<AbstractDataType>of()).toList(), false, false, true));
  }

  /**
   * One group's sum from its partial sums, {@code (top · 2^48 + middle · 2^24 + low) · 10^-8 + billions · 10^9},
   * as a DECIMAL(precision, scale) of at most 8 decimals: exact for sums of amounts with that many
   * decimals (cents for stored totals), else rounded half up. Public for Spark's generated code.
   */
  public static Decimal total(long top, long middle, long low, long billions, int precision, int scale) {
    long unitsPerStep = POWERS_OF_TEN[Money.WORK.scale() - scale];
    if (billions == 0 && fitsALong(top, middle, low)) {
      long units = units(top, middle, low);
      if (units % unitsPerStep == 0) {
        return Decimal.apply(units / unitsPerStep, precision, scale);
      }
    }
    BigDecimal sum = exact(top, middle, low, billions).setScale(scale, java.math.RoundingMode.HALF_UP);
    if (sum.precision() - sum.scale() > precision - scale) {
      throw new ArithmeticException("An exact sum of money is " + sum.toPlainString() + ", beyond DECIMAL("
          + precision + "," + scale + ") (below 10^" + (precision - scale) + " in absolute value)");
    }
    return Decimal.apply(sum, precision, scale);
  }

  /**
   * Whether the units surely fit one long: each term below 2^61 in absolute value. This is the common
   * case (a customer's or an order's amounts); anything else takes the exact BigDecimal path.
   */
  private static boolean fitsALong(long top, long middle, long low) {
    return top >= -FAST_TOP && top <= FAST_TOP && middle >= 0 && middle < FAST_MIDDLE && low >= 0 && low < FAST_LOW;
  }

  private static long units(long top, long middle, long low) {
    return (top << (2 * PIECE_BITS)) + (middle << PIECE_BITS) + low;
  }

  private static BigDecimal exact(long top, long middle, long low, long billions) {
    BigInteger units = BigInteger.valueOf(top).shiftLeft(2 * PIECE_BITS)
        .add(BigInteger.valueOf(middle).shiftLeft(PIECE_BITS))
        .add(BigInteger.valueOf(low));
    return new BigDecimal(units, Money.WORK.scale()).add(BigDecimal.valueOf(billions).multiply(BILLION));
  }
}
