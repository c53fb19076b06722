package io.customerpyramid.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
          .add(Columns.NET_REVENUE, DataTypes.DoubleType);

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
    Map<String, Row> scored = Fixtures.byKey(RfmScoring.withScores(tenCustomers(), edges), Columns.CUSTOMER_ID);
    int[] expectedHighIsBetter = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
    for (int i = 1; i <= 10; i++) {
      Row row = scored.get("c" + i);
      assertEquals(expectedHighIsBetter[i - 1], row.<Integer>getAs(Columns.F_SCORE), "f_score of c" + i);
      assertEquals(expectedHighIsBetter[i - 1], row.<Integer>getAs(Columns.M_SCORE), "m_score of c" + i);
      // 1 day since the last order is the most recent: score 5.
      assertEquals(6 - expectedHighIsBetter[i - 1], row.<Integer>getAs(Columns.R_SCORE), "r_score of c" + i);
    }
    assertEquals("511", scored.get("c1").getAs(Columns.RFM_CODE));
    assertEquals("155", scored.get("c10").getAs(Columns.RFM_CODE));
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
    Dataset<Row> scored = RfmScoring.withScores(frame, edges);
    Map<Long, Integer> scoreByFrequency = new HashMap<>();
    for (Row row : scored.collectAsList()) {
      Integer previous = scoreByFrequency.put(row.getAs(Columns.FREQUENCY), row.getAs(Columns.F_SCORE));
      if (previous != null) {
        assertEquals(previous, row.<Integer>getAs(Columns.F_SCORE), "same frequency, same score");
      }
      assertEquals(row.<Integer>getAs(Columns.R_SCORE), 5 - 0, "all recencies equal: edges all 10, nothing above");
      assertEquals(1, row.<Integer>getAs(Columns.M_SCORE), "all monetary equal: nothing above the edges");
    }
    assertEquals(1, scoreByFrequency.get(1L));
    assertEquals(4, scoreByFrequency.get(2L), "edges 1,1,1,2: two is above three edges");
    assertEquals(5, scoreByFrequency.get(9L));
  }

  @Test
  void customersWithoutRecencyScoreOne() {
    Dataset<Row> frame =
        Fixtures.frame(SCHEMA, new Object[] {"a", 5, 3L, 10.0}, new Object[] {"b", null, 0L, -5.0});
    Dataset<Row> scored = RfmScoring.withScores(frame, RfmScoring.fit(frame, 0.0));
    assertEquals(1, Fixtures.byKey(scored, Columns.CUSTOMER_ID).get("b").<Integer>getAs(Columns.R_SCORE));
  }

  @Test
  void binsTableListsRangesAndCounts() {
    RfmScoring.Edges edges = RfmScoring.fit(tenCustomers(), 0.0);
    Dataset<Row> scored = RfmScoring.withScores(tenCustomers(), edges);
    Dataset<Row> bins = RfmScoring.bins(SparkTestSession.get(), scored, edges);
    assertEquals(15, bins.count());
    Map<String, Row> byKey = new HashMap<>();
    for (Row row : bins.collectAsList()) {
      byKey.put(row.getString(0) + row.getInt(1), row);
      assertEquals(2L, row.<Long>getAs(Columns.CUSTOMERS), "two customers per bin: " + row);
    }
    Row frequency1 = byKey.get("frequency1");
    assertNull(frequency1.getAs(Columns.LOWER_BOUND));
    assertEquals(2.0, frequency1.<Double>getAs(Columns.UPPER_BOUND));
    Row monetary5 = byKey.get("monetary5");
    assertEquals(800.0, monetary5.<Double>getAs(Columns.LOWER_BOUND));
    assertNull(monetary5.getAs(Columns.UPPER_BOUND));
    // Recency 5 is the lowest range of days.
    Row recency5 = byKey.get("recency5");
    assertNull(recency5.getAs(Columns.LOWER_BOUND));
    assertEquals(2.0, recency5.<Double>getAs(Columns.UPPER_BOUND));
    Row recency1 = byKey.get("recency1");
    assertEquals(8.0, recency1.<Double>getAs(Columns.LOWER_BOUND));
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
    for (int r = 1; r <= 5; r++) {
      for (int f = 1; f <= 5; f++) {
        cells.add(new Object[] {r, f});
      }
    }
    JobConfig config = Fixtures.config();
    Dataset<Row> named = RfmSegments.withSegment(Fixtures.frame(schema, cells.toArray(Object[][]::new)), config.rfm().segments());
    List<Row> rows = named.collectAsList();
    assertEquals(25, rows.size());
    for (Row row : rows) {
      int r = row.getInt(0);
      int f = row.getInt(1);
      assertEquals(expected[r - 1][f - 1], row.getAs(Columns.RFM_SEGMENT), "cell r=" + r + ", f=" + f);
    }
  }
}
