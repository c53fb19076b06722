package io.customerpyramid.schema;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.testing.SparkTestSession;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Money#sum} (its 64-bit pieces in {@link ExactSum}) against BigDecimal sums, to the last decimal. */
class MoneySumTest {

  private static final StructType AMOUNTS =
      new StructType().add("g", DataTypes.StringType).add("v", Money.WORK);

  private static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = SparkTestSession.get();
  }

  private static Dataset<Row> amounts(List<Row> rows) {
    return spark.createDataFrame(rows, AMOUNTS).repartition(3);
  }

  private static Map<String, BigDecimal> sums(Dataset<Row> rows) {
    Map<String, BigDecimal> out = new HashMap<>();
    for (Row r : rows.groupBy("g").agg(Money.sum(col("v")).as("s")).collectAsList()) {
      out.put(r.getString(0), r.getDecimal(1));
    }
    return out;
  }

  private static Row row(String group, String value) {
    return RowFactory.create(group, value == null ? null : new BigDecimal(value));
  }

  @Test
  void handComputedGroupsIncludingNullsNegativesAndValuesBeyond64BitUnits() {
    Map<String, BigDecimal> sums = sums(amounts(List.of(
        row("a", "0.00000001"), row("a", "2.5"), row("a", "-1.25000001"),
        row("nulls", null), row("nulls", null),
        row("mixed", null), row("mixed", "7"),
        // 92,233,720,368.54775807 is the largest value whose units fit a long; one unit more takes the other path.
        row("edge", "92233720368.54775807"), row("edge", "92233720368.54775808"),
        row("large", "-123456789012.12345678"), row("large", "99999999999999999999.99999999"),
        row("large", "0.00000002"),
        row("cancel", "500000000000"), row("cancel", "-500000000000"), row("cancel", "0.1"),
        // The most negative billions: floor(v / 10^9) · 10^9 is -10^20, 21 digits.
        row("low", "-99999999999500000000"), row("low", "1"),
        row("lowest", "-99999999999999999999.99999999"), row("lowest", "0.00000001"),
        row("min", "-92233720368.54775808"), row("min", "-92233720368.54775809"))));
    assertEquals(new BigDecimal("1.25000000"), sums.get("a"));
    assertEquals(new BigDecimal("0E-8"), sums.get("nulls"), "a group of nulls sums to 0, as Money.sum always did");
    assertEquals(new BigDecimal("7.00000000"), sums.get("mixed"));
    assertEquals(new BigDecimal("184467440737.09551615"), sums.get("edge"));
    assertEquals(new BigDecimal("99999999876543210987.87654323"), sums.get("large"));
    assertEquals(new BigDecimal("0.10000000"), sums.get("cancel"));
    assertEquals(new BigDecimal("-99999999999499999999.00000000"), sums.get("low"));
    assertEquals(new BigDecimal("-99999999999999999999.99999998"), sums.get("lowest"));
    assertEquals(new BigDecimal("-184467440737.09551617"), sums.get("min"));
  }

  @Test
  void partialSumsOnEitherSideOfTheLongPathGiveTheSameExactValue() {
    long[] pieces = {0, 1, -1, 12_345_678, (1L << 39) - 1, 1L << 40, -(1L << 40), Long.MAX_VALUE, Long.MIN_VALUE};
    for (long top : pieces) {
      for (long middle : pieces) {
        for (long low : new long[] {0, 12_345_678, Long.MAX_VALUE}) {
          for (long billions : new long[] {0, 3, -7}) {
            BigDecimal expected = new BigDecimal(java.math.BigInteger.valueOf(top).shiftLeft(48)
                    .add(java.math.BigInteger.valueOf(middle).shiftLeft(24)).add(java.math.BigInteger.valueOf(low)), 8)
                .add(BigDecimal.valueOf(billions).multiply(BigDecimal.TEN.pow(9)));
            String what = "top " + top + ", middle " + middle + ", low " + low + ", billions " + billions;
            if (expected.abs().compareTo(BigDecimal.TEN.pow(20)) >= 0) {
              assertThrows(ArithmeticException.class, () -> ExactSum.total(top, middle, low, billions, 28, 8), what);
            } else {
              assertEquals(0, expected.compareTo(ExactSum.total(top, middle, low, billions, 28, 8).toJavaBigDecimal()), what);
            }
          }
        }
      }
    }
  }

  @Test
  void aSumOnTheLongPathKeepsItsValueInAWiderType() {
    // 200 and 400 billion units of 10^-8: beyond Spark's compact decimals (10^18 units), still one long.
    Row r = amounts(List.of(row("a", "20000000000"), row("a", "20000000000")))
        .groupBy("g").agg(Money.sum(col("v")).cast(DataTypes.createDecimalType(38, 8)).as("s"),
            Money.sum(col("v")).cast(DataTypes.createDecimalType(38, 10)).as("t"))
        .first();
    assertEquals(new BigDecimal("40000000000.00000000"), r.getDecimal(1));
    assertEquals(new BigDecimal("40000000000.0000000000"), r.getDecimal(2));
  }

  @Test
  void storedSumsOfCentsAreExactAndBeyondTheirTypeAnError() {
    StructType cents = new StructType().add("g", DataTypes.StringType).add("v", Money.STORED);
    Dataset<Row> rows = spark.createDataFrame(List.of(
        RowFactory.create("a", new BigDecimal("0.10")), RowFactory.create("a", new BigDecimal("-0.30")),
        RowFactory.create("a", new BigDecimal("9999999999999999.99")), RowFactory.create("a", new BigDecimal("-9999999999999999.99")),
        RowFactory.create("b", null)), cents).repartition(2);
    Map<String, BigDecimal> sums = new HashMap<>();
    for (Row r : rows.groupBy("g").agg(Money.storedSum(col("v"))).collectAsList()) {
      sums.put(r.getString(0), r.getDecimal(1));
    }
    assertEquals(new BigDecimal("-0.20"), sums.get("a"));
    assertEquals(new BigDecimal("0.00"), sums.get("b"));
    Dataset<Row> beyond = spark.createDataFrame(List.of(
        RowFactory.create("x", new BigDecimal("9999999999999999.99")), RowFactory.create("x", new BigDecimal("0.01"))), cents);
    assertTrue(rootMessage(assertThrows(Exception.class, () -> beyond.agg(Money.storedSum(col("v"))).collectAsList()))
        .contains("beyond DECIMAL(18,2)"));
  }

  @Test
  void noRowsSumToZero() {
    Row total = amounts(List.of()).agg(Money.sum(col("v"))).first();
    assertEquals(0, BigDecimal.ZERO.compareTo(total.getDecimal(0)));
  }

  @Test
  void randomAmountsOfEveryMagnitudeMatchBigDecimalSums() {
    Random random = new Random(20261128);
    List<Row> rows = new ArrayList<>();
    Map<String, BigDecimal> expected = new HashMap<>();
    for (int i = 0; i < 4000; i++) {
      String group = "g" + random.nextInt(40);
      // 1 to 19 integer digits and 8 decimals, either sign: small amounts and ones past 2^63 units.
      int digits = 1 + random.nextInt(19);
      BigDecimal value = new BigDecimal(new java.math.BigInteger(digits * 4, random))
          .add(BigDecimal.valueOf(random.nextInt(100_000_000), 8))
          .setScale(8, RoundingMode.UNNECESSARY);
      if (value.precision() - value.scale() > 19) {
        continue;
      }
      if (random.nextBoolean()) {
        value = value.negate();
      }
      rows.add(RowFactory.create(group, value));
      expected.merge(group, value, BigDecimal::add);
    }
    Map<String, BigDecimal> sums = sums(amounts(rows));
    assertEquals(expected.size(), sums.size());
    for (Map.Entry<String, BigDecimal> e : expected.entrySet()) {
      assertEquals(0, e.getValue().compareTo(sums.get(e.getKey())), e.getKey() + ": " + e.getValue() + " against " + sums.get(e.getKey()));
    }
    assertTrue(rows.stream().anyMatch(r -> r.getDecimal(1).abs().compareTo(new BigDecimal("92233720368.54775808")) >= 0),
        "the fixture has values past 2^63 units");
  }

  @Test
  void aTotalBeyondTheWorkingTypeIsAnErrorNotANull() {
    for (String sign : new String[] {"", "-"}) {
      Dataset<Row> beyond = amounts(List.of(
          row("x", sign + "99999999999999999999.99999999"), row("x", sign + "0.00000001")));
      assertTrue(rootMessage(assertThrows(Exception.class, () -> sums(beyond))).contains("beyond DECIMAL(28,8)"), sign);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof ArithmeticException)) {
      cause = cause.getCause();
    }
    return String.valueOf(cause.getMessage());
  }
}
