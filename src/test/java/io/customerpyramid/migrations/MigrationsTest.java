package io.customerpyramid.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.customerpyramid.features.LoyaltyStages;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Movement between two snapshots of four customers, worked out by hand for the three dimensions: A stays
 * VIP, B climbs from Major to VIP, C leaves, D arrives. One join serves all three dimensions and gives
 * what a join per dimension gives.
 */
class MigrationsTest {

  private static final LocalDate PREVIOUS = LocalDate.of(2026, 9, 30);
  private static final StructType SEGMENTS =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.TIER, DataTypes.StringType)
          .add(Columns.LOYALTY_STAGE, DataTypes.StringType)
          .add(Columns.SEGMENT_ID, DataTypes.IntegerType)
          .add(Columns.CONTRIBUTION, Money.STORED);
  private static final List<Migrations.Dimension> ALL = List.of(Migrations.TIER, Migrations.LOYALTY_STAGE, Migrations.SEGMENT);

  private static Dataset<Row> previous;
  private static Dataset<Row> current;
  private static Dataset<Row> pairs;

  @BeforeAll
  static void twoSnapshots() {
    SparkTestSession.get();
    previous =
        Fixtures.frame(
            SEGMENTS,
            row("A", "VIP", LoyaltyStages.LOYAL, 1, "100.00"),
            row("B", "Major", LoyaltyStages.REGULAR, 2, "50.00"),
            row("C", "Small", LoyaltyStages.NEW, 2, "-5.00"));
    current =
        Fixtures.frame(
            SEGMENTS,
            row("A", "VIP", LoyaltyStages.LOYAL, 1, "120.00"),
            row("B", "VIP", LoyaltyStages.LOYAL, 1, "80.00"),
            row("D", "Small", LoyaltyStages.NEW, 3, "10.00"));
    pairs = Migrations.pairCounts(previous, current, ALL).cache();
  }

  private static Object[] row(String customer, String tier, String stage, int segment, String contribution) {
    return new Object[] {customer, tier, stage, segment, new BigDecimal(contribution)};
  }

  /** "from -> to" to "customers, from rank, to rank, from share, previous contribution, contribution". */
  private static Map<String, String> table(Dataset<Row> migrations, Migrations.Dimension dimension) {
    Map<String, String> rows = new TreeMap<>();
    for (Row r : migrations.collectAsList()) {
      rows.put(
          r.getAs(dimension.fromColumn()) + " -> " + r.getAs(dimension.toColumn()),
          r.getAs(Columns.CUSTOMERS) + ", " + r.getAs(Columns.FROM_RANK) + ", " + r.getAs(Columns.TO_RANK) + ", "
              + r.getAs(Columns.FROM_SHARE) + ", " + r.getAs(Columns.PREVIOUS_CONTRIBUTION) + ", " + r.getAs(Columns.CONTRIBUTION));
      assertEquals(java.sql.Date.valueOf(PREVIOUS), r.getAs(Columns.PREVIOUS_SNAPSHOT_DATE));
    }
    return rows;
  }

  @Test
  void tiersMoveAsWorkedOutByHand() {
    assertEquals(
        Map.of(
            "VIP -> VIP", "1, 1, 1, 1.0, 100.00, 120.00",
            "Major -> VIP", "1, 2, 1, 1.0, 50.00, 80.00",
            "Small -> (gone)", "1, 4, 5, 1.0, -5.00, 0.00",
            "(new) -> Small", "1, 0, 4, null, 0.00, 10.00"),
        table(Migrations.of(pairs, PREVIOUS, Migrations.TIER, 0), Migrations.TIER));
  }

  @Test
  void loyaltyStagesMoveAsWorkedOutByHand() {
    assertEquals(
        Map.of(
            "loyal -> loyal", "1, 3, 3, 1.0, 100.00, 120.00",
            "regular -> loyal", "1, 2, 3, 1.0, 50.00, 80.00",
            "new -> (gone)", "1, 1, 5, 1.0, -5.00, 0.00",
            "(new) -> new", "1, 0, 1, null, 0.00, 10.00"),
        table(Migrations.of(pairs, PREVIOUS, Migrations.LOYALTY_STAGE, 1), Migrations.LOYALTY_STAGE));
  }

  @Test
  void segmentsMoveAsWorkedOutByHandWithSharesOfTheSegmentMovedFrom() {
    assertEquals(
        Map.of(
            "1 -> 1", "1, 1, 1, 1.0, 100.00, 120.00",
            "2 -> 1", "1, 2, 1, 0.5, 50.00, 80.00",
            "2 -> (gone)", "1, 2, " + Integer.MAX_VALUE + ", 0.5, -5.00, 0.00",
            "(new) -> 3", "1, 0, 3, null, 0.00, 10.00"),
        table(Migrations.of(pairs, PREVIOUS, Migrations.SEGMENT, 2), Migrations.SEGMENT));
  }

  @Test
  void oneJoinForAllDimensionsGivesWhatAJoinPerDimensionGives() {
    for (int i = 0; i < ALL.size(); i++) {
      Migrations.Dimension dimension = ALL.get(i);
      assertEquals(
          table(Migrations.between(previous, PREVIOUS, current, dimension), dimension),
          table(Migrations.of(pairs, PREVIOUS, dimension, i), dimension),
          dimension.column());
    }
  }
}
