package io.customerpyramid.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.pareto.ParetoRanking;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Forward tiers, development targets and the matrix on seven customers worked out by hand, with the
 * default tiers (cumulative shares 0.50, 0.80, 0.95). Positive predicted CLV: A 400, B 300, C 150,
 * G 100, H 100 (total 1,050); J 0 and E -10 are not positive. Shares before each, best first: A 0,
 * B 0.381, C 0.667, G 0.810, H 0.905, so forward A VIP, B VIP, C Major, G Ordinary, H Ordinary, and
 * J, E Small.
 */
class ForwardPyramidTest {

  private static final StructType TIERED =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.TIER, DataTypes.StringType)
          .add(Columns.TIER_RANK, DataTypes.IntegerType)
          .add(Columns.LOYALTY_STAGE, DataTypes.StringType)
          .add(Columns.SEGMENT_ID, DataTypes.IntegerType)
          .add(Columns.CONTRIBUTION, Money.STORED)
          .add(Columns.REPEAT_PURCHASES, DataTypes.LongType)
          .add(Columns.T_X, DataTypes.DoubleType)
          .add(Columns.CUSTOMER_AGE, DataTypes.DoubleType)
          .add(Columns.MEAN_REPEAT_VALUE, DataTypes.DoubleType)
          .add(Columns.P_ALIVE, DataTypes.DoubleType)
          .add(Columns.EXPECTED_PURCHASES, DataTypes.DoubleType)
          .add(Columns.EXPECTED_ORDER_VALUE, Money.STORED)
          .add(Columns.MARGIN_RATE, DataTypes.DoubleType)
          .add(Columns.PREDICTED_CLV, Money.STORED);

  private static JobConfig config;
  private static Map<String, Row> byId;
  private static List<Row> matrix;
  private static List<Row> targets;

  @BeforeAll
  static void project() {
    SparkTestSession.get();
    config = Fixtures.config("clv.enabled=true");
    Dataset<Row> tiered =
        Fixtures.frame(
            TIERED,
            customer("A", "VIP", 1, 900.0, 0.95, 400.0),
            customer("B", "Ordinary", 3, 100.0, 0.90, 300.0),
            customer("C", "Major", 2, 300.0, 0.70, 150.0),
            customer("G", "Small", 4, 10.0, 0.30, 100.0), // up, but not likely alive
            customer("H", "Small", 4, -5.0, 0.80, 100.0), // up, but loss-making
            customer("J", "VIP", 1, 500.0, 0.10, 0.0), // VIP today, nothing ahead
            customer("E", "Small", 4, -20.0, 0.05, -10.0));
    ParetoRanking.Ranked ranked = ForwardPyramid.rank(tiered);
    Dataset<Row> customerClv = ForwardPyramid.customerClv(ranked, config.tiers(), config.clv()).cache();
    byId = Fixtures.byKey(customerClv, Columns.CUSTOMER_ID);
    matrix = ForwardPyramid.matrix(customerClv).collectAsList();
    targets = ForwardPyramid.targets(customerClv).collectAsList();
    ranked.release();
  }

  private static Object[] customer(String id, String tier, int rank, double contribution, double pAlive, double clv) {
    return new Object[] {id, tier, rank, "regular", 0, contribution, 3L, 20.0, 30.0, 50.0, pAlive, 4.5, 55.0, 0.3, clv};
  }

  @Test
  void forwardTiersCutThePredictedClvWithTodaysRule() {
    Map<String, String> expected =
        Map.of("A", "VIP", "B", "VIP", "C", "Major", "G", "Ordinary", "H", "Ordinary", "J", "Small", "E", "Small");
    Map<String, String> actual = new HashMap<>();
    byId.forEach((id, row) -> actual.put(id, row.getAs(Columns.FORWARD_TIER)));
    assertEquals(expected, actual);
    assertEquals(1, byId.get("B").<Integer>getAs(Columns.FORWARD_TIER_RANK));
    assertEquals(2L, byId.get("B").<Long>getAs(Columns.FORWARD_RANK));
    assertEquals(700.0 / 1050, byId.get("B").<Double>getAs(Columns.FORWARD_CUMULATIVE_SHARE), 1e-8);
    assertEquals(6L, byId.get("J").<Long>getAs(Columns.FORWARD_RANK), "0 ranks above -10");
    assertEquals(7L, byId.get("E").<Long>getAs(Columns.FORWARD_RANK));
  }

  @Test
  void onlyALikelyAliveProfitableCustomerMovingUpIsATarget() {
    assertEquals(List.of("B"), targets.stream().map(r -> r.<String>getAs(Columns.CUSTOMER_ID)).toList());
    assertTrue(byId.get("B").<Boolean>getAs(Columns.IS_DEVELOPMENT_TARGET));
    assertEquals(
        "forward VIP above today's Ordinary: P(alive) 0.90, 4.5 purchases expected in 52 weeks, predicted CLV 300.00",
        byId.get("B").getAs(Columns.TARGET_REASON));
    for (String id : List.of("A", "C", "G", "H", "J", "E")) {
      assertFalse(byId.get(id).<Boolean>getAs(Columns.IS_DEVELOPMENT_TARGET), id);
      assertNull(byId.get(id).getAs(Columns.TARGET_REASON), id);
    }
  }

  @Test
  void theMatrixCountsEveryCustomerOnceFromTodayToTomorrow() {
    Map<String, Long> cells = new HashMap<>();
    long targetsInCells = 0;
    for (Row r : matrix) {
      cells.put(r.getAs(Columns.FROM_TIER) + ">" + r.getAs(Columns.TO_TIER), r.<Long>getAs(Columns.CUSTOMERS));
      targetsInCells += r.<Long>getAs(ForwardPyramid.DEVELOPMENT_TARGETS);
    }
    assertEquals(
        Map.of("VIP>VIP", 1L, "VIP>Small", 1L, "Ordinary>VIP", 1L, "Major>Major", 1L, "Small>Ordinary", 2L, "Small>Small", 1L),
        cells);
    assertEquals(1, targetsInCells);
    Row vipToSmall =
        matrix.stream().filter(r -> "VIP".equals(r.getAs(Columns.FROM_TIER)) && "Small".equals(r.getAs(Columns.TO_TIER))).findFirst().orElseThrow();
    assertEquals(0.5, vipToSmall.<Double>getAs(Columns.FROM_SHARE), 1e-12, "one of today's two VIPs");
    assertEquals(new BigDecimal("500.00"), vipToSmall.getAs(Columns.CONTRIBUTION));

    ClvSummary summary = ClvSummary.of(null, matrix, config);
    assertEquals(1, summary.vipTodayNotTomorrow());
    assertEquals(Map.of("Ordinary", 1L), summary.targetsByTier());
    assertEquals(List.of("VIP", "Major", "Ordinary", "Small"), List.copyOf(summary.forwardCustomers().keySet()));
    assertEquals(List.of(2L, 1L, 2L, 2L), List.copyOf(summary.forwardCustomers().values()));
  }
}
