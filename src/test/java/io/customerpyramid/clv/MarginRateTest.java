package io.customerpyramid.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.math.BigDecimal;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Predicted CLV's margin: each customer's contribution over revenue, clipped to [-1, 1], and all
 * customers' rate for one without revenue in the lookback. By hand: contributions 30 + (-50) + 5 + 0 = -15
 * over revenues 100 + 20 + 0 + 0 = 120, so the population's rate is -0.125.
 */
class MarginRateTest {

  private static final StructType CUSTOMERS =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.CONTRIBUTION, Money.STORED)
          .add(Columns.REVENUE, Money.STORED)
          .add("discounted_purchases", DataTypes.DoubleType)
          .add(Columns.EXPECTED_ORDER_VALUE, Money.STORED);

  @Test
  void marginIsTheCustomersOwnClippedOrThePopulations() {
    SparkTestSession.get();
    Dataset<Row> customers =
        Fixtures.frame(
            CUSTOMERS,
            new Object[] {"profitable", 30.0, 100.0, 2.0, 50.0},
            new Object[] {"costly", -50.0, 20.0, 1.0, 10.0}, // -2.5 clipped to -1
            new Object[] {"bought-before-the-lookback", 5.0, 0.0, 4.0, 25.0},
            new Object[] {"no-purchase", 0.0, 0.0, null, null});
    assertEquals(-0.125, ClvPredictions.populationMarginRate(customers), 1e-12);
    Map<String, Row> byId = Fixtures.byKey(ClvPredictions.withPredictedClv(customers), Columns.CUSTOMER_ID);
    assertEquals(0.3, byId.get("profitable").<Double>getAs(Columns.MARGIN_RATE), 1e-12);
    assertEquals(new BigDecimal("30.00"), byId.get("profitable").getAs(Columns.PREDICTED_CLV), "2 x 50 x 0.3");
    assertEquals(-1.0, byId.get("costly").<Double>getAs(Columns.MARGIN_RATE), 1e-12);
    assertEquals(new BigDecimal("-10.00"), byId.get("costly").getAs(Columns.PREDICTED_CLV));
    assertEquals(-0.125, byId.get("bought-before-the-lookback").<Double>getAs(Columns.MARGIN_RATE), 1e-12);
    assertEquals(new BigDecimal("-12.50"), byId.get("bought-before-the-lookback").getAs(Columns.PREDICTED_CLV), "4 x 25 x -0.125");
    assertEquals(new BigDecimal("0.00"), byId.get("no-purchase").getAs(Columns.PREDICTED_CLV));
  }
}
