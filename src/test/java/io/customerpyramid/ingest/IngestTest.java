package io.customerpyramid.ingest;

import static io.customerpyramid.ingest.IngestFixtures.EPS;
import static io.customerpyramid.ingest.IngestFixtures.ORDERS_HEADER;
import static io.customerpyramid.ingest.IngestFixtures.ORDER_LINES;
import static io.customerpyramid.ingest.IngestFixtures.orders;
import static io.customerpyramid.ingest.IngestFixtures.path;
import static io.customerpyramid.ingest.IngestFixtures.reason;
import static io.customerpyramid.ingest.IngestFixtures.reasons;
import static io.customerpyramid.ingest.IngestFixtures.utc;
import static io.customerpyramid.testing.DataFrameAssertions.assertTableApproxEquals;
import static io.customerpyramid.testing.DataFrameAssertions.assertTableEquals;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.features.Snapshot;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading and row-checking of the orders: reject reasons, derived values, snapshot cut-off, and the
 * reader's input errors (file layouts: InputLayoutIngestTest; the other inputs: OtherInputsIngestTest).
 */
class IngestTest {

  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void session() {
    spark = SparkTestSession.get();
  }

  /** One row per reject reason of the orders input, plus good rows, duplicates and malformed lines. */
  private String ordersWithEveryRejectReason() {
    return Fixtures.csv(
        dir,
        "orders.csv",
        ORDERS_HEADER,
        "o1,c1,2024-01-10 10:00:00,100.0,5.0,60.0",
        "o2,c1,2024-01-11 11:30:00,50,,",
        ",c2,2024-01-12 09:00:00,10,,",
        "o4,,2024-01-12 09:00:00,11,,",
        "o5,c2,,12,,",
        "o6,c2,12/01/2024,13,,",
        "o7,c2,2024-01-12 09:00:00,,,",
        "o8,c2,2024-01-12 09:00:00,ten,,",
        "o9,c2,2024-01-12 09:00:00,10,x,",
        "o10,c2,2024-01-12 09:00:00,10,,y",
        "o11,c3,2024-01-13 09:00:00,20,,",
        "o11,c3,2024-01-13 09:00:00,20,,",
        "o12,c3,2024-01-13 10:00:00,30,,,extra",
        "o13,c3,2024-01-13 11:00:00",
        "C14,c1,2024-01-15 09:00:00,-20,,");
  }

  // ---- orders

  @Test
  void ordersGetExactlyOneRejectReasonPerBadRow() {
    JobConfig config = Fixtures.config(path("orders") + "=" + ordersWithEveryRejectReason());
    CheckedInput checked = orders(config);
    assertTableEquals(
        reasons(
            Columns.ORDER_ID,
            reason("o1", null),
            reason("o2", null),
            reason(null, "MISSING_ORDER_ID"),
            reason("o4", "MISSING_CUSTOMER_ID"),
            reason("o5", "MISSING_TIMESTAMP"),
            reason("o6", "UNPARSABLE_TIMESTAMP"),
            reason("o7", "MISSING_AMOUNT"),
            reason("o8", "NON_NUMERIC_AMOUNT"),
            reason("o9", "NON_NUMERIC_DISCOUNT"),
            reason("o10", "NON_NUMERIC_COST"),
            // Of the two identical o11 lines, the first is kept and only the second copy is rejected.
            reason("o11", null),
            reason("o11", "DUPLICATE_ROW"),
            reason("o12", "MALFORMED_ROW"),
            reason("o13", "MALFORMED_ROW"),
            reason("C14", null)),
        checked.rows());
  }

  @Test
  void orderCountsAddUpAndBreakRejectsDownByReason() {
    JobConfig config = Fixtures.config(path("orders") + "=" + ordersWithEveryRejectReason());
    InputCounts counts = InputCounts.of(orders(config));
    assertEquals("orders", counts.input());
    assertTrue(counts.configured());
    assertEquals(15, counts.read());
    assertEquals(4, counts.accepted());
    assertEquals(11, counts.rejected());
    Map<String, Long> expected = new HashMap<>();
    for (String reason :
        List.of("MISSING_ORDER_ID", "MISSING_CUSTOMER_ID", "MISSING_TIMESTAMP", "UNPARSABLE_TIMESTAMP", "MISSING_AMOUNT",
            "NON_NUMERIC_AMOUNT", "NON_NUMERIC_DISCOUNT", "NON_NUMERIC_COST", "DUPLICATE_ROW")) {
      expected.put(reason, 1L);
    }
    expected.put("MALFORMED_ROW", 2L);
    assertEquals(expected, counts.rejectedByReason());
    // The run summary shows duplicates apart from the other rejects.
    assertEquals(1, counts.duplicates());
    assertEquals(10, counts.rejectedExceptDuplicates());
    assertEquals(counts.read(), counts.accepted() + counts.rejectedExceptDuplicates() + counts.duplicates() + counts.afterSnapshot());
  }

  @Test
  void acceptedOrdersCarryParsedValuesAndDerivedCosts() {
    JobConfig config = Fixtures.config(path("orders") + "=" + ordersWithEveryRejectReason());
    Dataset<Row> accepted = orders(config).accepted();
    assertEquals(
        List.of(Columns.ORDER_ID, Columns.CUSTOMER_ID, Columns.ORDER_TS, Columns.LINE_VALUE, Columns.DISCOUNT,
            Columns.LINE_COST, Columns.IS_RETURN_LINE),
        List.of(accepted.columns()));
    assertEquals(4, accepted.count());
    Dataset<Row> expected =
        Fixtures.frame(
            ORDER_LINES,
            new Object[] {"o1", "c1", utc("2024-01-10T10:00:00Z"), 100.0, 5.0, 60.0, false},
            // No discount, no cost: discount 0, cost = 50 x (1 - 0.40).
            new Object[] {"o2", "c1", utc("2024-01-11T11:30:00Z"), 50.0, 0.0, 30.0, false},
            new Object[] {"o11", "c3", utc("2024-01-13T09:00:00Z"), 20.0, 0.0, 12.0, false},
            // Cancellation with a negative amount: a return, cost |-20 x 0.6| = 12.
            new Object[] {"C14", "c1", utc("2024-01-15T09:00:00Z"), -20.0, 0.0, 12.0, true});
    assertTableApproxEquals(expected, accepted, EPS, Columns.ORDER_ID);
  }

  @Test
  void rejectsCarryInputNameRawRecordAndSourceFile() {
    String file = ordersWithEveryRejectReason();
    JobConfig config = Fixtures.config(path("orders") + "=" + file);
    Dataset<Row> rejects = orders(config).rejects();
    assertEquals(
        List.of(Columns.INPUT, Columns.REJECT_REASON, Columns.RAW_RECORD, Columns.SOURCE_FILE), List.of(rejects.columns()));
    for (Row row : rejects.collectAsList()) {
      assertEquals("orders", row.getAs(Columns.INPUT));
      String source = row.getAs(Columns.SOURCE_FILE);
      assertTrue(source.endsWith(file), "source_file " + source + " should be " + file);
    }
    StructType schema =
        new StructType()
            .add(Columns.INPUT, DataTypes.StringType)
            .add(Columns.REJECT_REASON, DataTypes.StringType)
            .add(Columns.RAW_RECORD, DataTypes.StringType);
    String ts = "\"order_ts\":\"2024-01-12 09:00:00\"";
    Dataset<Row> expected =
        Fixtures.frame(
            schema,
            // The raw record is the line's non-empty values as JSON.
            new Object[] {"orders", "MISSING_ORDER_ID", "{\"customer_id\":\"c2\"," + ts + ",\"amount\":\"10\"}"},
            new Object[] {"orders", "MISSING_CUSTOMER_ID", "{\"order_id\":\"o4\"," + ts + ",\"amount\":\"11\"}"},
            new Object[] {"orders", "MISSING_TIMESTAMP", "{\"order_id\":\"o5\",\"customer_id\":\"c2\",\"amount\":\"12\"}"},
            new Object[] {
              "orders", "UNPARSABLE_TIMESTAMP",
              "{\"order_id\":\"o6\",\"customer_id\":\"c2\",\"order_ts\":\"12/01/2024\",\"amount\":\"13\"}"
            },
            new Object[] {"orders", "MISSING_AMOUNT", "{\"order_id\":\"o7\",\"customer_id\":\"c2\"," + ts + "}"},
            new Object[] {
              "orders", "NON_NUMERIC_AMOUNT", "{\"order_id\":\"o8\",\"customer_id\":\"c2\"," + ts + ",\"amount\":\"ten\"}"
            },
            new Object[] {
              "orders", "NON_NUMERIC_DISCOUNT",
              "{\"order_id\":\"o9\",\"customer_id\":\"c2\"," + ts + ",\"amount\":\"10\",\"discount\":\"x\"}"
            },
            new Object[] {
              "orders", "NON_NUMERIC_COST",
              "{\"order_id\":\"o10\",\"customer_id\":\"c2\"," + ts + ",\"amount\":\"10\",\"cost_of_goods\":\"y\"}"
            },
            new Object[] {
              "orders", "DUPLICATE_ROW",
              "{\"order_id\":\"o11\",\"customer_id\":\"c3\",\"order_ts\":\"2024-01-13 09:00:00\",\"amount\":\"20\"}"
            },
            // A malformed line is shown as the line itself.
            new Object[] {"orders", "MALFORMED_ROW", "o12,c3,2024-01-13 10:00:00,30,,,extra"},
            new Object[] {"orders", "MALFORMED_ROW", "o13,c3,2024-01-13 11:00:00"});
    assertTableEquals(expected, rejects);
  }

  @Test
  void ordersAtOrAfterTheSnapshotDayAreCountedApartAndFutureOrdersAreRejected() {
    String file =
        Fixtures.csv(
            dir,
            "orders.csv",
            ORDERS_HEADER,
            "a1,c1,2024-01-13 23:59:59,10,,",
            "a2,c1,2024-01-14 00:00:00,10,,",
            "a3,c2,2024-01-20 08:00:00,10,,",
            "a4,c2,bad,10,,",
            "a5,c2,2099-01-01 00:00:00,10,,",
            "a6,c2,2099-01-01 00:00:00,ten,,");
    JobConfig config = Fixtures.config(path("orders") + "=" + file);
    Snapshot snapshot = new Snapshot(LocalDate.of(2024, 1, 14), 0);
    CheckedInput checked =
        orders(config).withFutureCheck(Columns.ORDER_TS).withAfterSnapshot(Columns.ORDER_TS, snapshot.startTimestamp());
    assertTableEquals(
        reasons(
            Columns.ORDER_ID,
            reason("a1", null),
            // At or after the start of S, not in the future: valid data of later snapshots.
            reason("a2", CheckedInput.AFTER_SNAPSHOT),
            reason("a3", CheckedInput.AFTER_SNAPSHOT),
            // An earlier reason is kept.
            reason("a4", "UNPARSABLE_TIMESTAMP"),
            // After the run's own clock: a data error.
            reason("a5", "FUTURE_TIMESTAMP"),
            reason("a6", "NON_NUMERIC_AMOUNT")),
        checked.rows());

    assertTableEquals(
        Fixtures.frame(new StructType().add(Columns.ORDER_ID, DataTypes.StringType), new Object[] {"a1"}),
        checked.accepted());
    Map<String, Long> rejectReasons = new HashMap<>();
    for (Row row : checked.rejects().collectAsList()) {
      rejectReasons.merge(row.getAs(Columns.REJECT_REASON), 1L, Long::sum);
    }
    assertEquals(Map.of("UNPARSABLE_TIMESTAMP", 1L, "FUTURE_TIMESTAMP", 1L, "NON_NUMERIC_AMOUNT", 1L), rejectReasons,
        "rows of later snapshots are not rejects");

    InputCounts counts = InputCounts.of(checked);
    assertEquals(6, counts.read());
    assertEquals(1, counts.accepted());
    assertEquals(2, counts.afterSnapshot());
    assertEquals(3, counts.rejected());
    assertEquals(counts.read(), counts.accepted() + counts.rejected() + counts.afterSnapshot());
    assertEquals(Map.of("FUTURE_TIMESTAMP", 1L, "NON_NUMERIC_AMOUNT", 1L, "UNPARSABLE_TIMESTAMP", 1L), counts.rejectedByReason());
  }

  @Test
  void lineGranularityMultipliesQuantityByUnitPriceAndMarksReturns() {
    String file =
        Fixtures.csv(
            dir,
            "lines.csv",
            "order_id,customer_id,order_ts,qty,price,discount,cost_of_goods",
            "L1,c1,2024-02-01 10:00:00,3,2.5,,4.0",
            "L1,c1,2024-02-01 10:00:00,2,10,1.0,",
            "L2,c2,2024-02-02 10:00:00,-1,10,,",
            "C3,c2,2024-02-03 10:00:00,1,8,,",
            "L4,c3,2024-02-04 10:00:00,abc,1,,",
            "L5,c3,2024-02-04 10:00:00,1,,,");
    JobConfig config =
        Fixtures.config(
            path("orders") + "=" + file,
            "input.orders.granularity=line",
            "input.orders.columns.quantity=qty",
            "input.orders.columns.unit_price=price",
            "input.orders.columns.amount=");
    CheckedInput checked = orders(config);
    StructType schema =
        new StructType()
            .add(Columns.ORDER_ID, DataTypes.StringType)
            .add(Columns.LINE_VALUE, Money.WORK)
            .add(Columns.DISCOUNT, Money.WORK)
            .add(Columns.LINE_COST, Money.WORK)
            .add(Columns.IS_RETURN_LINE, DataTypes.BooleanType);
    Dataset<Row> expected =
        Fixtures.frame(
            schema,
            // C3: cancellation prefix, 1 x 8 = 8, cost 8 x 0.6 = 4.8.
            new Object[] {"C3", 8.0, 0.0, 4.8, true},
            // L1 line 1: 3 x 2.5 = 7.5 with its own cost 4.0.
            new Object[] {"L1", 7.5, 0.0, 4.0, false},
            // L1 line 2: 2 x 10 = 20, discount 1, cost 20 x 0.6 = 12.
            new Object[] {"L1", 20.0, 1.0, 12.0, false},
            // L2: negative quantity, -1 x 10 = -10, a return, cost |-10 x 0.6| = 6.
            new Object[] {"L2", -10.0, 0.0, 6.0, true});
    assertTableApproxEquals(expected, checked.accepted(), EPS, Columns.ORDER_ID, Columns.LINE_VALUE);

    Map<String, String> rejected = new HashMap<>();
    for (Row row : checked.rejects().collectAsList()) {
      rejected.put(row.getAs(Columns.RAW_RECORD), row.getAs(Columns.REJECT_REASON));
    }
    assertEquals(2, rejected.size());
    assertEquals(Set.of("NON_NUMERIC_QUANTITY", "MISSING_AMOUNT"), Set.copyOf(rejected.values()));
    rejected.forEach(
        (raw, reason) ->
            assertTrue(
                raw.contains(reason.equals("NON_NUMERIC_QUANTITY") ? "\"L4\"" : "\"L5\""), reason + " for " + raw));
  }

  @Test
  void lineGranularityWithAHigherMarginUsesItForTheCostFallback() {
    String file =
        Fixtures.csv(dir, "lines.csv", "order_id,customer_id,order_ts,qty,price", "L1,c1,2024-02-01 10:00:00,4,5");
    JobConfig config =
        Fixtures.config(
            path("orders") + "=" + file,
            "input.orders.granularity=line",
            "input.orders.columns.quantity=qty",
            "input.orders.columns.unit_price=price",
            "input.orders.columns.amount=",
            "input.orders.columns.discount=",
            "input.orders.columns.cost_of_goods=",
            "costs.gross_margin_rate=0.75");
    StructType schema =
        new StructType()
            .add(Columns.LINE_VALUE, Money.WORK)
            .add(Columns.LINE_COST, Money.WORK)
            .add(Columns.DISCOUNT, Money.WORK);
    // 4 x 5 = 20, cost 20 x (1 - 0.75) = 5, no discount.
    assertTableApproxEquals(Fixtures.frame(schema, new Object[] {20.0, 5.0, 0.0}), orders(config).accepted(), EPS);
  }

  @Test
  void emptyCancellationPrefixTreatsNoOrderIdAsCancelled() {
    String file = Fixtures.csv(dir, "orders.csv", ORDERS_HEADER, "C1,c1,2024-01-10 10:00:00,10,,");
    JobConfig config = Fixtures.config(path("orders") + "=" + file, "input.orders.cancellation_prefix=");
    assertFalse(orders(config).accepted().first().<Boolean>getAs(Columns.IS_RETURN_LINE));
  }

  // ---- InputReader errors

  @Test
  void mappedColumnMissingFromTheFileNamesColumnKeyAndColumnsFound() {
    String file =
        Fixtures.csv(dir, "orders.csv", "order_id,customer_id,order_ts,amount,discount", "o1,c1,2024-01-10 10:00:00,10,");
    JobConfig config = Fixtures.config(path("orders") + "=" + file);
    InputError error = assertThrows(InputError.class, () -> InputReader.read(spark, config.orders()));
    String message = error.getMessage();
    assertTrue(message.contains("column 'cost_of_goods'"), message);
    assertTrue(message.contains("input.orders.columns.cost_of_goods"), message);
    assertTrue(message.contains("columns found: order_id, customer_id, order_ts, amount, discount"), message);
    assertTrue(message.contains(file), message);
  }

  @Test
  void pathThatDoesNotExistIsAnInputErrorNamingThePath() {
    String missing = dir.resolve("no-such-orders.csv").toString();
    JobConfig config = Fixtures.config(path("orders") + "=" + missing);
    InputError error = assertThrows(InputError.class, () -> InputReader.read(spark, config.orders()));
    assertTrue(error.getMessage().contains("input.orders.path"), error.getMessage());
    assertTrue(error.getMessage().contains(missing), error.getMessage());
  }

  @Test
  void headerOnlyCsvHasNoRows() {
    String file = Fixtures.csv(dir, "orders.csv", ORDERS_HEADER);
    JobConfig config = Fixtures.config(path("orders") + "=" + file);
    CheckedInput checked = orders(config);
    InputError error = assertThrows(InputError.class, () -> InputCounts.of(checked));
    assertTrue(error.getMessage().contains("input orders has no rows"), error.getMessage());
  }

  @Test
  void fileWithNoContentAtAllIsAnInputError() throws IOException {
    Path file = dir.resolve("empty.csv");
    Files.writeString(file, "");
    JobConfig config = Fixtures.config(path("orders") + "=" + file);
    InputError error = assertThrows(InputError.class, () -> orders(config));
    assertTrue(error.getMessage().contains("input orders (" + file + "): no header line found"), error.getMessage());
  }

  @Test
  void fileWithOnlyALineBreakIsAnInputError() {
    String file = Fixtures.csv(dir, "blank.csv");
    JobConfig config = Fixtures.config(path("orders") + "=" + file);
    InputError error = assertThrows(InputError.class, () -> orders(config));
    assertTrue(error.getMessage().contains("input orders (" + file + "): no header line found"), error.getMessage());
  }
}
