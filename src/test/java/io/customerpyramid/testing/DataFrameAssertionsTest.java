package io.customerpyramid.testing;

import static io.customerpyramid.testing.DataFrameAssertions.assertTableApproxEquals;
import static io.customerpyramid.testing.DataFrameAssertions.assertTableEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole-table assertions: row order ignored, a readable diff naming the unequal rows, tolerance for doubles. */
class DataFrameAssertionsTest {

  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("n", DataTypes.LongType)
          .add("x", DataTypes.DoubleType)
          .add("tags", DataTypes.createArrayType(DataTypes.StringType));

  /** The same columns as {@link #SCHEMA} plus one more, all declared non-nullable, as Spark may derive them. */
  private static final StructType WIDER_NOT_NULL =
      new StructType()
          .add("extra", DataTypes.IntegerType, false)
          .add("x", DataTypes.DoubleType, false)
          .add("id", DataTypes.StringType, false)
          .add("tags", DataTypes.createArrayType(DataTypes.StringType, false), false)
          .add("n", DataTypes.LongType, false);

  @BeforeAll
  static void session() {
    SparkTestSession.get();
  }

  private static Dataset<Row> expected() {
    return Fixtures.frame(
        SCHEMA,
        new Object[] {"a", 1L, 0.5, new String[] {"p"}},
        new Object[] {"b", 2L, 1.25, new String[] {"p", "q"}},
        new Object[] {"c", 3L, 2.0, new String[] {}});
  }

  @Test
  void equalTablesInAnotherRowOrderColumnOrderAndNullabilityPass() {
    Dataset<Row> actual =
        Fixtures.frame(
                WIDER_NOT_NULL,
                new Object[] {9, 2.0, "c", new String[] {}, 3L},
                new Object[] {8, 0.5, "a", new String[] {"p"}, 1L},
                new Object[] {7, 1.25, "b", new String[] {"p", "q"}, 2L})
            .repartition(2);
    assertTableEquals(expected(), actual);
    assertTableEquals(expected(), actual, "id");
    assertSame(SparkTestSession.get(), DataFrameAssertions.comparisonSession(), "compares on the shared session");
  }

  @Test
  void oneDifferentValueFailsNamingTheRowOnBothSides() {
    Dataset<Row> actual =
        Fixtures.frame(
            SCHEMA,
            new Object[] {"c", 3L, 2.0, new String[] {}},
            new Object[] {"b", 20L, 1.25, new String[] {"p", "q"}},
            new Object[] {"a", 1L, 0.5, new String[] {"p"}});
    AssertionError error = assertThrows(AssertionError.class, () -> assertTableEquals(expected(), actual));
    String message = error.getMessage();
    assertTrue(
        message.startsWith("tables differ in 1 row(s), in column(s) [n]; rows sorted by all columns, values compared exactly:"),
        message);
    assertTrue(message.contains("| source_dataframe | id | n  | x    | tags   |"), message);
    assertTrue(message.contains("| expected         | b  | 2  | 1.25 | [p, q] |"), message);
    assertTrue(message.contains("| result           | b  | 20 | 1.25 | [p, q] |"), message);
    assertTrue(!message.contains("| a "), "equal rows are not shown: " + message);
  }

  @Test
  void approximateEqualityPassesWithinTheToleranceAndFailsOutsideIt() {
    Dataset<Row> close =
        Fixtures.frame(
            SCHEMA,
            new Object[] {"a", 1L, 0.5000004, new String[] {"p"}},
            new Object[] {"b", 2L, 1.2499996, new String[] {"p", "q"}},
            new Object[] {"c", 3L, 2.0, new String[] {}});
    assertTableApproxEquals(expected(), close, 1e-6, "id");
    assertThrows(AssertionError.class, () -> assertTableEquals(expected(), close, "id"));

    Dataset<Row> far =
        Fixtures.frame(
            SCHEMA,
            new Object[] {"a", 1L, 0.5, new String[] {"p"}},
            new Object[] {"b", 2L, 1.25, new String[] {"p", "q"}},
            new Object[] {"c", 3L, 2.00001, new String[] {}});
    AssertionError error = assertThrows(AssertionError.class, () -> assertTableApproxEquals(expected(), far, 1e-6, "id"));
    assertTrue(
        error.getMessage()
            .startsWith(
                "tables differ in 1 row(s), in column(s) [x]; rows sorted by [id], then the other columns,"
                    + " doubles within 1.0E-6:"),
        error.getMessage());
    assertTrue(error.getMessage().contains("| result           | c  | 3 | 2.00001 | []   |"), error.getMessage());
  }

  @Test
  void differentRowCountsShowBothTables() {
    Dataset<Row> actual = Fixtures.frame(SCHEMA, new Object[] {"a", 1L, 0.5, new String[] {"p"}});
    AssertionError error = assertThrows(AssertionError.class, () -> assertTableEquals(expected(), actual));
    String message = error.getMessage();
    assertTrue(message.startsWith("Length not Equal expected:<3> but was:<1>"), message);
    assertTrue(message.contains("| c  | 3 | 2.0  | []     |"), "expected rows shown: " + message);
    assertTrue(message.contains("actual:\n"), message);
  }

  @Test
  void missingColumnsAndOtherTypesFailWithBothSchemas() {
    StructType noTags = new StructType().add("id", DataTypes.StringType).add("n", DataTypes.LongType);
    Dataset<Row> actual = Fixtures.frame(noTags, new Object[] {"a", 1L});
    AssertionError missing = assertThrows(AssertionError.class, () -> assertTableEquals(expected(), actual));
    assertTrue(missing.getMessage().startsWith("actual table has no column(s) [x, tags]"), missing.getMessage());

    StructType intN = new StructType().add("id", DataTypes.StringType).add("n", DataTypes.IntegerType);
    AssertionError types =
        assertThrows(
            AssertionError.class,
            () -> assertTableEquals(Fixtures.frame(intN, new Object[] {"a", 1}), actual));
    assertTrue(
        types.getMessage().contains("expected: struct<id:string,n:int>\n  actual:   struct<id:string,n:bigint>"),
        types.getMessage());
  }
}
