package io.customerpyramid.features;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Exact quantiles: by hand on ten values, and against a sorted array on 20,000 rows in several partitionings. */
class ExactQuantilesTest {

  private static final StructType SCHEMA =
      new StructType().add("spread", DataTypes.DoubleType).add("tied", DataTypes.LongType).add("sparse", DataTypes.DoubleType);
  private static final double[] PROBABILITIES = {0.0, 0.01, 0.07, 0.2, 0.5, 0.99, 1.0};

  @BeforeAll
  static void session() {
    SparkTestSession.get();
  }

  @Test
  void tenValuesGiveTheValueOfRankCeilPTimesN() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      // sparse: only 3, 6 and 9 are present (three values), the other rows are null.
      rows.add(new Object[] {(double) i, (long) i, i % 3 == 0 ? (double) i : null});
    }
    Dataset<Row> ten = Fixtures.frame(SCHEMA, rows.toArray(Object[][]::new)).repartition(3);
    double[][] q = ExactQuantiles.of(ten, new String[] {"spread", "sparse"}, new double[] {0.2, 0.25, 0.5, 0.9}, 0.01);
    // Ranks ceil(2) = 2, ceil(2.5) = 3, 5, 9 of 1..10; of the three sparse values ranks ceil(0.6), ceil(0.75), ceil(1.5), ceil(2.7).
    assertArrayEquals(new double[] {2, 3, 5, 9}, q[0]);
    assertArrayEquals(new double[] {3, 3, 6, 9}, q[1]);
  }

  @Test
  void aColumnWithoutValuesHasNoQuantiles() {
    Dataset<Row> none = Fixtures.frame(SCHEMA, new Object[] {1.0, 1L, null}, new Object[] {2.0, 2L, null});
    double[][] q = ExactQuantiles.of(none, new String[] {"sparse", "spread"}, new double[] {0.5}, 0.01);
    assertEquals(0, q[0].length);
    assertArrayEquals(new double[] {1.0}, q[1]);
  }

  @Test
  void twentyThousandRowsGiveTheSortedArraysValuesInEveryPartitioning() {
    // More rows than approxQuantile keeps uncompressed (10,000), so where it runs its answer is
    // approximate and the brackets do the work; "tied" has 40 distinct values, so ranks fall inside long runs of ties.
    Random random = new Random(7);
    int n = 20_000;
    double[] spread = new double[n];
    double[] tied = new double[n];
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      spread[i] = Math.round(random.nextGaussian() * 1e6) / 100.0;
      tied[i] = random.nextInt(40);
      rows.add(new Object[] {spread[i], (long) tied[i], null});
    }
    Arrays.sort(spread);
    Arrays.sort(tied);
    double[] expectedSpread = new double[PROBABILITIES.length];
    double[] expectedTied = new double[PROBABILITIES.length];
    for (int i = 0; i < PROBABILITIES.length; i++) {
      int index = (int) Math.max(1, ExactQuantiles.rank(PROBABILITIES[i], n)) - 1;
      expectedSpread[i] = spread[index];
      expectedTied[i] = tied[index];
    }
    assertEquals(7, ExactQuantiles.rank(0.07, 100), "0.07 x 100 in doubles is 7.000000000000001");
    Dataset<Row> frame = Fixtures.frame(SCHEMA, rows.toArray(Object[][]::new)).cache();
    for (int partitions : new int[] {1, 5}) {
      // At most 1,000 values counted at once: the approximate pass brackets each rank (about 80 values).
      Dataset<Row> partitioned = frame.repartition(partitions, col("tied"));
      double[][] q = ExactQuantiles.of(partitioned, new String[] {"spread", "tied"}, PROBABILITIES, 0.001, 1_000);
      assertArrayEquals(expectedSpread, q[0], partitions + " partitions");
      assertArrayEquals(expectedTied, q[1], partitions + " partitions");
    }
    // Below the default limit of values counted at once: no approximate pass.
    double[][] counted = ExactQuantiles.of(frame.repartition(2), new String[] {"spread", "tied"}, PROBABILITIES, 0.001);
    assertArrayEquals(expectedSpread, counted[0], "counted at once");
    assertArrayEquals(expectedTied, counted[1], "counted at once");
    // Brackets of about 800 values (4 x 0.01 x 20,000) narrowed down to at most 50 where values differ.
    double[][] narrowed =
        ExactQuantiles.of(frame.repartition(3), new String[] {"spread", "tied"}, PROBABILITIES, 0.01, 50);
    assertArrayEquals(expectedSpread, narrowed[0], "narrowed brackets");
    assertArrayEquals(expectedTied, narrowed[1], "narrowed brackets");
    frame.unpersist();
  }
}
