package io.customerpyramid.features;

import static io.customerpyramid.testing.DataFrameAssertions.assertTableEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFM quintile scores (ties, direction), the rfm_bins table, and the R x F segment grid. */
class RfmScoringTest {

  private static final StructType SCHEMA =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.RECENCY_DAYS, DataTypes.IntegerType)
          .add(Columns.FREQUENCY, DataTypes.LongType)
          .add(Columns.NET_REVENUE, Money.STORED);

  /** The scores of a customer as withScores adds them. */
  private static final StructType SCORES =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.R_SCORE, DataTypes.IntegerType)
          .add(Columns.F_SCORE, DataTypes.IntegerType)
          .add(Columns.M_SCORE, DataTypes.IntegerType)
          .add(Columns.RFM_CODE, DataTypes.StringType);

  @BeforeAll
  static void session() {
    SparkTestSession.get();
  }

  /** Ten customers with values 1..10 in every dimension: exact quintile edges 2, 4, 6, 8. */
  private static Dataset<Row> tenCustomers() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      rows.add(new Object[] {"c" + i, i, (long) i, i * 100.0});
    }
    return Fixtures.frame(SCHEMA, rows.toArray(Object[][]::new)).repartition(3);
  }

  @Test
  void quintileEdgesScoreHighValuesFiveAndRecentCustomersFive() {
    RfmScoring.Edges edges = RfmScoring.fit(tenCustomers(), 0.0);
    assertArrayEquals(new double[] {2, 4, 6, 8}, edges.recency());
    assertArrayEquals(new double[] {2, 4, 6, 8}, edges.frequency());
    assertArrayEquals(new double[] {200, 400, 600, 800}, edges.monetary());
    int[] expectedHighIsBetter = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
    String[] expectedCodes = {"511", "511", "422", "422", "333", "333", "244", "244", "155", "155"};
    List<Object[]> expected = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      int highIsBetter = expectedHighIsBetter[i - 1];
      // 1 day since the last order is the most recent: score 5.
      expected.add(new Object[] {"c" + i, 6 - highIsBetter, highIsBetter, highIsBetter, expectedCodes[i - 1]});
    }
    assertTableEquals(
        Fixtures.frame(SCORES, expected.toArray(Object[][]::new)), RfmScoring.withScores(tenCustomers(), edges));
  }

  @Test
  void equalValuesAlwaysGetEqualScoresEvenWhenEdgesCoincide() {
    // 70% of customers ordered once: the first three edges are all 1.
    List<Object[]> rows = new ArrayList<>();
    long[] frequencies = {1, 1, 1, 1, 1, 1, 1, 2, 3, 9};
    for (int i = 0; i < frequencies.length; i++) {
      rows.add(new Object[] {"c" + i, 10, frequencies[i], 50.0});
    }
    Dataset<Row> frame = Fixtures.frame(SCHEMA, rows.toArray(Object[][]::new)).repartition(4);
    RfmScoring.Edges edges = RfmScoring.fit(frame, 0.0);
    // Edges 1,1,1,2: one is above none (score 1), two above three (4), three and nine above all four (5).
    // All recencies equal (edges all 10, nothing above): 5; all monetary equal: 1.
    StructType schema =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.FREQUENCY, DataTypes.LongType)
            .add(Columns.R_SCORE, DataTypes.IntegerType)
            .add(Columns.F_SCORE, DataTypes.IntegerType)
            .add(Columns.M_SCORE, DataTypes.IntegerType);
    int[] expectedFScores = {1, 1, 1, 1, 1, 1, 1, 4, 5, 5};
    List<Object[]> expected = new ArrayList<>();
    for (int i = 0; i < frequencies.length; i++) {
      expected.add(new Object[] {"c" + i, frequencies[i], 5, expectedFScores[i], 1});
    }
    assertTableEquals(Fixtures.frame(schema, expected.toArray(Object[][]::new)), RfmScoring.withScores(frame, edges));
  }

  @Test
  void customersWithoutRecencyScoreOne() {
    Dataset<Row> frame =
        Fixtures.frame(SCHEMA, new Object[] {"a", 5, 3L, 10.0}, new Object[] {"b", null, 0L, -5.0});
    Dataset<Row> scored = RfmScoring.withScores(frame, RfmScoring.fit(frame, 0.0));
    StructType schema =
        new StructType().add(Columns.CUSTOMER_ID, DataTypes.StringType).add(Columns.R_SCORE, DataTypes.IntegerType);
    // Recency edges all 5: "a" is above none (5); "b" has no recency (1).
    assertTableEquals(Fixtures.frame(schema, new Object[] {"a", 5}, new Object[] {"b", 1}), scored);
  }

  @Test
  void binsTableListsRangesAndCounts() {
    RfmScoring.Edges edges = RfmScoring.fit(tenCustomers(), 0.0);
    Dataset<Row> scored = RfmScoring.withScores(tenCustomers(), edges);
    Dataset<Row> bins = RfmScoring.bins(SparkTestSession.get(), scored, edges);
    assertEquals(15, bins.count());
    // Two customers per bin. Recency is scored in reverse: recency 5 is the lowest range of days.
    assertTableEquals(
        Fixtures.frame(
            RfmScoring.BINS_SCHEMA,
            new Object[] {"recency", 1, 8.0, null, 2L},
            new Object[] {"recency", 2, 6.0, 8.0, 2L},
            new Object[] {"recency", 3, 4.0, 6.0, 2L},
            new Object[] {"recency", 4, 2.0, 4.0, 2L},
            new Object[] {"recency", 5, null, 2.0, 2L},
            new Object[] {"frequency", 1, null, 2.0, 2L},
            new Object[] {"frequency", 2, 2.0, 4.0, 2L},
            new Object[] {"frequency", 3, 4.0, 6.0, 2L},
            new Object[] {"frequency", 4, 6.0, 8.0, 2L},
            new Object[] {"frequency", 5, 8.0, null, 2L},
            new Object[] {"monetary", 1, null, 200.0, 2L},
            new Object[] {"monetary", 2, 200.0, 400.0, 2L},
            new Object[] {"monetary", 3, 400.0, 600.0, 2L},
            new Object[] {"monetary", 4, 600.0, 800.0, 2L},
            new Object[] {"monetary", 5, 800.0, null, 2L}),
        bins);
  }

  @Test
  void everyCellOfTheRecencyFrequencyGridHasExactlyTheExpectedSegment() {
    String[][] expected = {
      // f = 1 .. 5 for r = 1
      {"Hibernating", "Hibernating", "At Risk", "At Risk", "Can't Lose"},
      {"Hibernating", "Hibernating", "At Risk", "At Risk", "Can't Lose"},
      {"About to Sleep", "About to Sleep", "Need Attention", "Loyal Customers", "Loyal Customers"},
      {"Promising", "Potential Loyalists", "Potential Loyalists", "Loyal Customers", "Loyal Customers"},
      {"New Customers", "Potential Loyalists", "Potential Loyalists", "Champions", "Champions"},
    };
    StructType schema =
        new StructType().add(Columns.R_SCORE, DataTypes.IntegerType).add(Columns.F_SCORE, DataTypes.IntegerType);
    List<Object[]> cells = new ArrayList<>();
    List<Object[]> named = new ArrayList<>();
    for (int r = 1; r <= 5; r++) {
      for (int f = 1; f <= 5; f++) {
        cells.add(new Object[] {r, f});
        named.add(new Object[] {r, f, expected[r - 1][f - 1]});
      }
    }
    JobConfig config = Fixtures.config();
    // 25 cells, each with exactly its segment.
    assertTableEquals(
        Fixtures.frame(schema.add(Columns.RFM_SEGMENT, DataTypes.StringType), named.toArray(Object[][]::new)),
        RfmSegments.withSegment(Fixtures.frame(schema, cells.toArray(Object[][]::new)), config.rfm().segments()));
  }
}
