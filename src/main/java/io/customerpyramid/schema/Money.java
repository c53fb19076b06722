package io.customerpyramid.schema;

import static org.apache.spark.sql.functions.lit;

import java.math.BigDecimal;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * The decimal types money travels in, from parse to table, defined once. Precisions are chosen so
 * that Spark's decimal arithmetic never has to drop digits: a product of a quantity and a price fits
 * 38 digits, and a sum is cast back to {@link #WORK} right after it is taken.
 */
public final class Money {

  private Money() {}

  /** Decimals of every stored money column (cents). */
  public static final int STORED_SCALE = 2;

  /** Stored money: 16 integer digits and cents, a Parquet INT64. */
  public static final DecimalType STORED = DataTypes.createDecimalType(18, STORED_SCALE);

  /** An input amount as parsed: 12 integer digits, 8 decimals (more decimals are rounded half up at parse). */
  public static final DecimalType INPUT = DataTypes.createDecimalType(20, 8);

  /** A line quantity as parsed: 10 integer digits, 6 decimals; quantity x price is exact in 37 digits. */
  public static final DecimalType QUANTITY = DataTypes.createDecimalType(16, 6);
  /** Ten integer digits: quantities must be below this in absolute value. */
  public static final java.math.BigDecimal MAX_QUANTITY = java.math.BigDecimal.TEN.pow(10);

  /** Line values, per-order and per-customer sums before the final rounding: exact to 8 decimals. */
  public static final DecimalType WORK = DataTypes.createDecimalType(28, 8);

  /** A count (orders, customers, a rank) as an exact decimal, so that dividing money by it stays exact. */
  public static final DecimalType COUNT = DataTypes.createDecimalType(20, 0);

  /** Zero in the working type. */
  public static Column zero() {
    return lit(BigDecimal.ZERO).cast(WORK);
  }

  /** A constant (a configured rate or cost) as an exact decimal: no binary fraction enters the sums. */
  public static Column constant(double value) {
    return lit(new BigDecimal(Double.toString(value))).cast(WORK);
  }

  /** 1 − the gross margin rate, exactly: the share of a sale's value that is cost of goods. */
  public static Column costShare(double grossMarginRate) {
    return lit(BigDecimal.ONE.subtract(new BigDecimal(Double.toString(grossMarginRate)))).cast(WORK);
  }

  /** A value in the working type. */
  public static Column work(Column value) {
    return value.cast(WORK);
  }

  /** The exact sum, 0 for no rows, in the working type ({@link ExactSum}: money of at most 8 decimals). */
  public static Column sum(Column value) {
    return ExactSum.of(value);
  }

  /** Rounded half up to cents: the one rounding a stored amount goes through. */
  public static Column stored(Column value) {
    return value.cast(STORED);
  }

  /** The exact sum of stored amounts, 0 for no rows, itself stored (no rounding happens). */
  public static Column storedSum(Column value) {
    return ExactSum.ofStored(value);
  }
}
