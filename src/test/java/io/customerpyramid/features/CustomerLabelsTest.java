package io.customerpyramid.features;

import static io.customerpyramid.testing.DataFrameAssertions.assertTableEquals;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Loyalty stages at and around their thresholds, and quality with the reasons that decided it. */
class CustomerLabelsTest {

  private static JobConfig config;

  @BeforeAll
  static void setUp() {
    SparkTestSession.get();
    // Defaults: lapsed > 180 days, new <= 90 days tenure, loyal >= 10 orders and >= 365 days.
    config = Fixtures.config();
  }

  @Test
  void loyaltyStagesFollowTheirThresholdsInOrder() {
    StructType schema =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.RECENCY_DAYS, DataTypes.IntegerType)
            .add(Columns.TENURE_DAYS, DataTypes.IntegerType)
            .add(Columns.FREQUENCY, DataTypes.LongType);
    Dataset<Row> customers =
        Fixtures.frame(
            schema,
            new Object[] {"lapsed", 181, 900, 40L},
            new Object[] {"at-lapse-limit", 180, 900, 40L},
            new Object[] {"never-bought", null, null, 0L},
            new Object[] {"new", 5, 90, 2L},
            new Object[] {"just-not-new", 5, 91, 2L},
            new Object[] {"loyal", 10, 365, 10L},
            new Object[] {"few-orders", 10, 800, 9L},
            new Object[] {"lapsed-new", 200, 80, 1L});
    StructType stages =
        new StructType().add(Columns.CUSTOMER_ID, DataTypes.StringType).add(Columns.LOYALTY_STAGE, DataTypes.StringType);
    Dataset<Row> expected =
        Fixtures.frame(
            stages,
            new Object[] {"lapsed", "lapsed"},
            new Object[] {"at-lapse-limit", "loyal"},
            new Object[] {"never-bought", "lapsed"},
            new Object[] {"new", "new"},
            new Object[] {"just-not-new", "regular"},
            new Object[] {"loyal", "loyal"},
            new Object[] {"few-orders", "regular"},
            new Object[] {"lapsed-new", "lapsed"});
    assertTableEquals(expected, LoyaltyStages.withStage(customers, config.loyalty()));
  }

  @Test
  void withThePAliveRuleRepeatBuyersLapseByTheModelAndOneDayBuyersByTheDayCount() {
    StructType schema =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.RECENCY_DAYS, DataTypes.IntegerType)
            .add(Columns.TENURE_DAYS, DataTypes.IntegerType)
            .add(Columns.FREQUENCY, DataTypes.LongType)
            .add(Columns.REPEAT_PURCHASES, DataTypes.LongType)
            .add(Columns.P_ALIVE, DataTypes.DoubleType);
    Dataset<Row> customers =
        Fixtures.frame(
            schema,
            // A weekly buyer silent for 60 days: the model has given up on them, the day count has not.
            new Object[] {"weekly-gone-quiet", 60, 900, 40L, 39L, 0.05},
            // A twice-a-year buyer silent for 200 days: still likely alive by the model.
            new Object[] {"seasonal", 200, 900, 6L, 5L, 0.80},
            new Object[] {"at-threshold", 30, 900, 12L, 11L, 0.30},
            // One purchase day three years ago: P(alive) is 1 by the model's assumption; the day count decides.
            new Object[] {"one-day-long-ago", 1095, 1095, 1L, 0L, 1.0},
            new Object[] {"one-day-recent", 20, 20, 1L, 0L, 1.0},
            new Object[] {"never-bought", null, null, 0L, null, null});
    StructType stages =
        new StructType().add(Columns.CUSTOMER_ID, DataTypes.StringType).add(Columns.LOYALTY_STAGE, DataTypes.StringType);
    Dataset<Row> expected =
        Fixtures.frame(
            stages,
            new Object[] {"weekly-gone-quiet", "lapsed"},
            new Object[] {"seasonal", "regular"},
            new Object[] {"at-threshold", "loyal"},
            new Object[] {"one-day-long-ago", "lapsed"},
            new Object[] {"one-day-recent", "new"},
            new Object[] {"never-bought", "lapsed"});
    assertTableEquals(
        expected,
        LoyaltyStages.withStage(customers, config.loyalty(), java.util.OptionalDouble.of(0.3))
            .select(Columns.CUSTOMER_ID, Columns.LOYALTY_STAGE));
  }

  @Test
  void qualityIsPoorHighOrStandardWithItsReasons() {
    StructType schema =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.CONTRIBUTION, Money.STORED)
            .add(Columns.BAD_DEBT, Money.STORED)
            .add(Columns.NET_REVENUE, Money.STORED)
            .add(Columns.SERVICE_COST, Money.STORED)
            .add(Columns.RETURN_RATE, DataTypes.DoubleType)
            .add(Columns.DISCOUNT_RATE, DataTypes.DoubleType)
            .add(Columns.LATE_PAYMENT_RATE, DataTypes.DoubleType)
            .add(Columns.COMPLAINT_COUNT, DataTypes.LongType)
            .add(Columns.M_SCORE, DataTypes.IntegerType)
            .add(Columns.LOYALTY_STAGE, DataTypes.StringType);
    Dataset<Row> customers =
        Fixtures.frame(
            schema,
            // contribution, bad debt, net revenue, service, return rate, discount rate, late rate, complaints, m, stage
            new Object[] {"loss", -5.0, 0.0, 100.0, 0.0, 0.0, 0.0, null, 0L, 3, "regular"},
            new Object[] {"debtor", 50.0, 10.0, 500.0, 0.0, 0.0, 0.0, 0.0, 0L, 5, "loyal"},
            new Object[] {"two-flags", 40.0, 0.0, 100.0, 11.0, 0.30, 0.0, null, 0L, 2, "regular"},
            new Object[] {"one-flag", 40.0, 0.0, 100.0, 0.0, 0.0, 0.25, null, 0L, 2, "regular"},
            new Object[] {"star", 300.0, 0.0, 1000.0, 5.0, 0.01, 0.02, 0.0, 0L, 5, "loyal"},
            new Object[] {"big-but-new", 300.0, 0.0, 1000.0, 5.0, 0.01, 0.02, null, 0L, 5, "new"},
            new Object[] {"complainer", 30.0, 0.0, 300.0, 10.0, 0.0, 0.0, 0.5, 3L, 3, "regular"});
    StructType ratings =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.QUALITY, DataTypes.StringType)
            .add(Columns.QUALITY_REASONS, DataTypes.createArrayType(DataTypes.StringType));
    Dataset<Row> expected =
        Fixtures.frame(
            ratings,
            rating("loss", "poor", "NEGATIVE_CONTRIBUTION"),
            rating("debtor", "poor", "BAD_DEBT", "STRONG_SPEND", "TIMELY_PAYER", "LOYAL"),
            rating("two-flags", "poor", "HIGH_SERVICE_COST", "HIGH_RETURN_RATE"),
            rating("one-flag", "standard", "PRICE_SENSITIVE"),
            rating("star", "high", "STRONG_SPEND", "TIMELY_PAYER", "LOYAL"),
            rating("big-but-new", "standard", "STRONG_SPEND"),
            rating("complainer", "poor", "LATE_PAYER", "FREQUENT_COMPLAINER"));
    assertTableEquals(expected, QualityRating.withQuality(customers, config.quality()), Columns.CUSTOMER_ID);
  }

  /** An expected row: customer id, quality and its reasons in order. */
  private static Object[] rating(String id, String quality, String... reasons) {
    return new Object[] {id, quality, reasons};
  }
}
