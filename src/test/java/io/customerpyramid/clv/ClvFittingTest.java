package io.customerpyramid.clv;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The reduction to weighted rows (exact, binned, rounded values) and the spend-frequency correlation, by hand. */
class ClvFittingTest {

  private static final StructType HISTORY =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.REPEAT_PURCHASES, DataTypes.LongType)
          .add(PurchaseHistory.T_X_DAYS, DataTypes.IntegerType)
          .add(PurchaseHistory.AGE_DAYS, DataTypes.IntegerType)
          .add(Columns.MEAN_REPEAT_VALUE, DataTypes.DoubleType);


  private static Dataset<Row> history() {
    SparkTestSession.get();
    return Fixtures.frame(
        HISTORY,
        new Object[] {"A", 2L, 10, 20, 123.456},
        new Object[] {"B", 2L, 10, 20, 123.4649},
        new Object[] {"C", 2L, 13, 20, 0.0012345678},
        new Object[] {"D", 0L, 0, 3, null});
  }

  private static Map<String, Long> rows(Dataset<Row> rows) {
    Map<String, Long> byKey = new HashMap<>();
    for (Row r : rows.collectAsList()) {
      StringBuilder key = new StringBuilder();
      for (int i = 0; i < r.size() - 1; i++) {
        key.append(i == 0 ? "" : "|").append(r.get(i));
      }
      byKey.put(key.toString(), r.getLong(r.size() - 1));
    }
    return byKey;
  }

  @Test
  void theFitDoesNotDependOnHowTheCustomersArePartitioned() {
    SparkSession spark = SparkTestSession.get();
    LocalDate dayZero = LocalDate.of(2025, 1, 1);
    int endDay = 540;
    List<int[]> histories =
        new BtydSimulator(20261128L).purchaseDays(3_000, new BgNbdParameters(0.243, 4.414, 0.793, 2.426), 364, endDay);
    List<Row> lines = new ArrayList<>();
    for (int c = 0; c < histories.size(); c++) {
      BigDecimal value = BigDecimal.valueOf(500 + 37L * (c % 53), 2);
      for (int day : histories.get(c)) {
        lines.add(RowFactory.create("C" + c, Timestamp.valueOf(dayZero.plusDays(day).atTime(12, 0)), value, false));
      }
    }
    Dataset<Row> history =
        PurchaseHistory.summarise(spark.createDataFrame(lines, BtydSimulator.ORDER_LINES), dayZero.plusDays(endDay), 7).cache();
    JobConfig.Clv config = Fixtures.config("clv.enabled=true").clv();
    Dataset<Row> inOne = history.repartition(1).cache();
    Dataset<Row> inSeven = history.orderBy(col(Columns.CUSTOMER_ID).desc()).repartition(7).cache();
    // The two collect the same distinct rows in different orders, which is what could change the fit.
    List<Row> collectedFromOne = ClvFitting.triples(inOne, 0).collectAsList();
    List<Row> collectedFromSeven = ClvFitting.triples(inSeven, 0).collectAsList();
    assertEquals(new java.util.HashSet<>(collectedFromOne), new java.util.HashSet<>(collectedFromSeven));
    assertNotEquals(collectedFromOne, collectedFromSeven);
    ClvModel onePartition = ClvFitting.fit(inOne, config);
    ClvModel sevenPartitions = ClvFitting.fit(inSeven, config);
    inOne.unpersist();
    inSeven.unpersist();
    history.unpersist();
    // Bit for bit: the rows reach the optimiser in one order whatever order they were collected in.
    assertEquals(onePartition.bgNbd(), sevenPartitions.bgNbd());
    assertEquals(onePartition.gammaGamma(), sevenPartitions.gammaGamma());
    assertEquals(onePartition.frequencyValueCorrelation(), sevenPartitions.frequencyValueCorrelation());
  }

  @Test
  void exactTriplesCountTheirCustomers() {
    assertEquals(Map.of("2|10.0|20.0", 2L, "2|13.0|20.0", 1L, "0|0.0|3.0", 1L), rows(ClvFitting.triples(history(), 0)));
  }

  @Test
  void binnedTriplesTakeTheCentresOfTheirBinsAndKeepTxZeroForXZero() {
    // 7-day bins: 10 and 13 are both in [7, 14) -> 10.5; 20 in [14, 21) -> 17.5; 3 in [0, 7) -> 3.5.
    assertEquals(Map.of("2|10.5|17.5", 3L, "0|0.0|3.5", 1L), rows(ClvFitting.triples(history(), 7)));
  }

  @Test
  void spendIsRoundedToSignificantDigitsOfItsOwnSize() {
    Map<String, Long> pairs = rows(ClvFitting.valuePairs(history(), 5));
    assertEquals(2, pairs.size(), pairs.toString());
    // 123.456 and 123.4649 both round to 123.46; 0.0012345678 to 0.0012346 (up to binary representation).
    long atOneTwoThree = pairs.entrySet().stream().filter(e -> Math.abs(Double.parseDouble(e.getKey().split("\\|")[1]) - 123.46) < 1e-9)
        .mapToLong(Map.Entry::getValue).sum();
    long atSmall = pairs.entrySet().stream().filter(e -> Math.abs(Double.parseDouble(e.getKey().split("\\|")[1]) - 0.0012346) < 1e-15)
        .mapToLong(Map.Entry::getValue).sum();
    assertEquals(2, atOneTwoThree);
    assertEquals(1, atSmall);
  }

  @Test
  void correlationIsWeightedPearson() {
    assertEquals(1.0, ClvFitting.correlation(new double[] {1, 2, 3}, new double[] {2, 4, 6}, new double[] {1, 1, 1}), 1e-12);
    assertEquals(-1.0, ClvFitting.correlation(new double[] {1, 2}, new double[] {5, 1}, new double[] {3, 7}), 1e-12);
    // Weights are counts: (1, 1) twice and (2, 3) once is the same as the three rows.
    double weighted = ClvFitting.correlation(new double[] {1, 2, 3}, new double[] {1, 3, 2}, new double[] {2, 1, 1});
    double expanded = ClvFitting.correlation(new double[] {1, 1, 2, 3}, new double[] {1, 1, 3, 2}, new double[] {1, 1, 1, 1});
    assertEquals(expanded, weighted, 1e-12);
    assertEquals(0.0, ClvFitting.correlation(new double[] {4, 4}, new double[] {1, 2}, new double[] {1, 1}), 0.0, "x constant");
  }
}
