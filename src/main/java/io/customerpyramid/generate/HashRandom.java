package io.customerpyramid.generate;

import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Column;

/** Pseudo-random column expressions that hash the seed, a salt and the row's keys. */
final class HashRandom {

  private static final int MANTISSA_BITS = 53;
  private static final double UNIT = 1.0 / (1L << MANTISSA_BITS);
  private static final int FIRST_DRAW = 0;
  private static final int SECOND_DRAW = 1;

  private final long seed;

  HashRandom(long seed) {
    this.seed = seed;
  }

  /** Uniform double in [0, 1) for the given salt and row keys. */
  Column uniform(int salt, Column... keys) {
    return draw(salt, FIRST_DRAW, keys);
  }

  /** Standard normal double (Box-Muller over two hashed uniforms). */
  Column normal(int salt, Column... keys) {
    Column u1 = lit(1.0).minus(draw(salt, FIRST_DRAW, keys));
    Column u2 = draw(salt, SECOND_DRAW, keys);
    return sqrt(log(u1).multiply(-2.0)).multiply(cos(u2.multiply(2 * Math.PI)));
  }

  /** Integer uniformly drawn from [from, to] (both inclusive). */
  Column intBetween(int salt, long from, long to, Column... keys) {
    return lit(from).plus(uniform(salt, keys).multiply(to - from + 1).cast("long"));
  }

  // Unlike rand(seed), whose stream depends on the partition index and row position, a hash depends
  // only on (seed, salt, keys): the data is the same for any partitioning or core count, customer n
  // is the same whatever the customer count, and a value (an order's amount) is the same in every
  // output that recomputes it.
  private Column draw(int salt, int draw, Column... keys) {
    Column[] input = new Column[keys.length + 2];
    input[0] = lit(seed);
    input[1] = lit(salt * 2L + draw);
    System.arraycopy(keys, 0, input, 2, keys.length);
    return shiftrightunsigned(xxhash64(input), Long.SIZE - MANTISSA_BITS).multiply(UNIT);
  }
}
