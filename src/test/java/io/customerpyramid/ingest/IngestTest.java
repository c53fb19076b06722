package io.customerpyramid.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.InputSource;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.features.Snapshot;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and row-checking of the four inputs: reject reasons, derived values, column mapping and input errors. */
class IngestTest {

  private static final double EPS = Fixtures.TOLERANCE;
  private static final String ORDERS_HEADER = "order_id,customer_id,order_ts,amount,discount,cost_of_goods";

  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void session() {
    spark = SparkTestSession.get();
  }

  // ---- helpers

  private static String path(String file) {
    return "input." + file + ".path";
  }

  private static CheckedInput orders(JobConfig config) {
    InputSource source = config.orders();
    return OrdersIngest.check(
        InputReader.read(spark, source), source, config.orderRules(), config.costs().grossMarginRate());
  }

  private static Timestamp utc(String isoInstant) {
    return Timestamp.from(Instant.parse(isoInstant));
  }

  private static void assertTimestamp(String expectedIsoInstant, Object actual) {
    assertEquals(Instant.parse(expectedIsoInstant), ((Timestamp) actual).toInstant());
  }

  /** The reject reason of every row, keyed by a column that is unique in the fixture (null key "null"). */
  private static Map<String, String> reasonsBy(CheckedInput input, String keyColumn) {
    Map<String, String> reasons = new HashMap<>();
    for (Row row : input.rows().select(col(keyColumn).cast(DataTypes.StringType), col(Columns.REJECT_REASON)).collectAsList()) {
      String key = String.valueOf(row.getString(0));
      assertFalse(reasons.containsKey(key), "fixture key " + key + " is not unique");
      reasons.put(key, row.getString(1));
    }
    return reasons;
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
    List<Row> rows = checked.rows().select(Columns.ORDER_ID, Columns.REJECT_REASON).collectAsList();
    assertEquals(15, rows.size());

    Map<String, String> expected = new HashMap<>();
    expected.put("o1", null);
    expected.put("o2", null);
    expected.put("null", "MISSING_ORDER_ID");
    expected.put("o4", "MISSING_CUSTOMER_ID");
    expected.put("o5", "MISSING_TIMESTAMP");
    expected.put("o6", "UNPARSABLE_TIMESTAMP");
    expected.put("o7", "MISSING_AMOUNT");
    expected.put("o8", "NON_NUMERIC_AMOUNT");
    expected.put("o9", "NON_NUMERIC_DISCOUNT");
    expected.put("o10", "NON_NUMERIC_COST");
    expected.put("o12", "MALFORMED_ROW");
    expected.put("o13", "MALFORMED_ROW");
    expected.put("C14", null);
    List<String> duplicateReasons = new ArrayList<>();
    for (Row row : rows) {
      String orderId = String.valueOf(row.getString(0));
      if (orderId.equals("o11")) {
        duplicateReasons.add(row.getString(1));
      } else {
        assertTrue(expected.containsKey(orderId), "unexpected order " + orderId);
        assertEquals(expected.get(orderId), row.getString(1), "reject reason of " + orderId);
      }
    }
    // Of the two identical o11 lines, the first is kept and only the second copy is rejected.
    duplicateReasons.sort(Comparator.nullsFirst(Comparator.naturalOrder()));
    assertEquals(Arrays.asList(null, "DUPLICATE_ROW"), duplicateReasons);
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
  }

  @Test
  void acceptedOrdersCarryParsedValuesAndDerivedCosts() {
    JobConfig config = Fixtures.config(path("orders") + "=" + ordersWithEveryRejectReason());
    Dataset<Row> accepted = orders(config).accepted();
    assertEquals(
        List.of(Columns.ORDER_ID, Columns.CUSTOMER_ID, Columns.ORDER_TS, Columns.LINE_VALUE, Columns.DISCOUNT,
            Columns.LINE_COST, Columns.IS_RETURN_LINE),
        List.of(accepted.columns()));
    Map<String, Row> rows = Fixtures.byKey(accepted, Columns.ORDER_ID);
    assertEquals(4, accepted.count());
    assertEquals(Set.of("o1", "o2", "o11", "C14"), rows.keySet());

    Row o1 = rows.get("o1");
    assertEquals("c1", o1.getAs(Columns.CUSTOMER_ID));
    assertTimestamp("2024-01-10T10:00:00Z", o1.getAs(Columns.ORDER_TS));
    assertEquals(100.0, o1.<Double>getAs(Columns.LINE_VALUE), EPS);
    assertEquals(5.0, o1.<Double>getAs(Columns.DISCOUNT), EPS);
    assertEquals(60.0, o1.<Double>getAs(Columns.LINE_COST), EPS);
    assertFalse(o1.<Boolean>getAs(Columns.IS_RETURN_LINE));

    // No discount, no cost: discount 0, cost = 50 x (1 - 0.40).
    Row o2 = rows.get("o2");
    assertTimestamp("2024-01-11T11:30:00Z", o2.getAs(Columns.ORDER_TS));
    assertEquals(50.0, o2.<Double>getAs(Columns.LINE_VALUE), EPS);
    assertEquals(0.0, o2.<Double>getAs(Columns.DISCOUNT), EPS);
    assertEquals(30.0, o2.<Double>getAs(Columns.LINE_COST), EPS);
    assertFalse(o2.<Boolean>getAs(Columns.IS_RETURN_LINE));

    // Cancellation with a negative amount: a return, cost |-20 x 0.6| = 12.
    Row c14 = rows.get("C14");
    assertEquals(-20.0, c14.<Double>getAs(Columns.LINE_VALUE), EPS);
    assertEquals(12.0, c14.<Double>getAs(Columns.LINE_COST), EPS);
    assertTrue(c14.<Boolean>getAs(Columns.IS_RETURN_LINE));
  }

  @Test
  void rejectsCarryInputNameRawRecordAndSourceFile() {
    String file = ordersWithEveryRejectReason();
    JobConfig config = Fixtures.config(path("orders") + "=" + file);
    Dataset<Row> rejects = orders(config).rejects();
    assertEquals(
        List.of(Columns.INPUT, Columns.REJECT_REASON, Columns.RAW_RECORD, Columns.SOURCE_FILE), List.of(rejects.columns()));
    Map<String, Row> byReason = new HashMap<>();
    for (Row row : rejects.collectAsList()) {
      assertEquals("orders", row.getAs(Columns.INPUT));
      String source = row.getAs(Columns.SOURCE_FILE);
      assertTrue(source.endsWith(file), "source_file " + source + " should be " + file);
      byReason.merge(row.getAs(Columns.REJECT_REASON), row, (a, b) -> a);
    }
    assertEquals(
        "{\"order_id\":\"o4\",\"order_ts\":\"2024-01-12 09:00:00\",\"amount\":\"11\"}",
        byReason.get("MISSING_CUSTOMER_ID").getAs(Columns.RAW_RECORD));
    assertEquals(
        "{\"order_id\":\"o8\",\"customer_id\":\"c2\",\"order_ts\":\"2024-01-12 09:00:00\",\"amount\":\"ten\"}",
        byReason.get("NON_NUMERIC_AMOUNT").getAs(Columns.RAW_RECORD));
    assertEquals(
        "{\"order_id\":\"o11\",\"customer_id\":\"c3\",\"order_ts\":\"2024-01-13 09:00:00\",\"amount\":\"20\"}",
        byReason.get("DUPLICATE_ROW").getAs(Columns.RAW_RECORD));
    // A malformed line is shown as the line itself.
    List<String> malformed =
        rejects.filter(col(Columns.REJECT_REASON).equalTo("MALFORMED_ROW")).select(Columns.RAW_RECORD).as(
            Encoders.STRING()).collectAsList();
    assertEquals(
        Set.of("o12,c3,2024-01-13 10:00:00,30,,,extra", "o13,c3,2024-01-13 11:00:00"),
        Set.copyOf(malformed));
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
    Map<String, String> reasons = reasonsBy(checked, Columns.ORDER_ID);
    Map<String, String> expected = new HashMap<>();
    expected.put("a1", null);
    // At or after the start of S, not in the future: valid data of later snapshots.
    expected.put("a2", CheckedInput.AFTER_SNAPSHOT);
    expected.put("a3", CheckedInput.AFTER_SNAPSHOT);
    // An earlier reason is kept.
    expected.put("a4", "UNPARSABLE_TIMESTAMP");
    // After the run's own clock: a data error.
    expected.put("a5", "FUTURE_TIMESTAMP");
    expected.put("a6", "NON_NUMERIC_AMOUNT");
    assertEquals(expected, reasons);

    assertEquals(Set.of("a1"), Set.copyOf(checked.accepted().select(Columns.ORDER_ID).as(Encoders.STRING()).collectAsList()));
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
    List<Row> accepted =
        checked.accepted().orderBy(Columns.ORDER_ID, Columns.LINE_VALUE)
            .select(Columns.ORDER_ID, Columns.LINE_VALUE, Columns.DISCOUNT, Columns.LINE_COST, Columns.IS_RETURN_LINE)
            .collectAsList();
    assertEquals(4, accepted.size());
    // C3: cancellation prefix, 1 x 8 = 8, cost 8 x 0.6 = 4.8.
    Fixtures.assertRowApprox(RowFactory.create("C3", 8.0, 0.0, 4.8, true), accepted.get(0));
    // L1 line 1: 3 x 2.5 = 7.5 with its own cost 4.0.
    Fixtures.assertRowApprox(RowFactory.create("L1", 7.5, 0.0, 4.0, false), accepted.get(1));
    // L1 line 2: 2 x 10 = 20, discount 1, cost 20 x 0.6 = 12.
    Fixtures.assertRowApprox(RowFactory.create("L1", 20.0, 1.0, 12.0, false), accepted.get(2));
    // L2: negative quantity, -1 x 10 = -10, a return, cost |-10 x 0.6| = 6.
    Fixtures.assertRowApprox(RowFactory.create("L2", -10.0, 0.0, 6.0, true), accepted.get(3));

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
    Row line = orders(config).accepted().first();
    assertEquals(20.0, line.<Double>getAs(Columns.LINE_VALUE), EPS);
    assertEquals(5.0, line.<Double>getAs(Columns.LINE_COST), EPS);
    assertEquals(0.0, line.<Double>getAs(Columns.DISCOUNT), EPS);
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

  // ---- column mapping and formats

  @Test
  void differentlyNamedColumnsAndASemicolonDelimiterAreMapped() {
    String file =
        Fixtures.csv(
            dir,
            "export.csv",
            "OrderNo;Client;When;Paid",
            "A-1;K7;2024-05-01 08:15:00;12,5",
            "A-2;K7;2024-05-02 09:00:00;99.5");
    JobConfig config =
        Fixtures.config(
            path("orders") + "=" + file,
            "input.orders.csv_delimiter=;",
            "input.orders.columns.order_id=OrderNo",
            "input.orders.columns.customer_id=Client",
            "input.orders.columns.order_ts=When",
            "input.orders.columns.amount=Paid",
            "input.orders.columns.discount=",
            "input.orders.columns.cost_of_goods=");
    CheckedInput checked = orders(config);
    Map<String, String> reasons = reasonsBy(checked, Columns.ORDER_ID);
    Map<String, String> expected = new HashMap<>();
    // A decimal comma is not a number.
    expected.put("A-1", "NON_NUMERIC_AMOUNT");
    expected.put("A-2", null);
    assertEquals(expected, reasons);
    Row a2 = checked.accepted().first();
    assertEquals("A-2", a2.getAs(Columns.ORDER_ID));
    assertEquals("K7", a2.getAs(Columns.CUSTOMER_ID));
    assertTimestamp("2024-05-02T09:00:00Z", a2.getAs(Columns.ORDER_TS));
    assertEquals(99.5, a2.<Double>getAs(Columns.LINE_VALUE), EPS);
    assertEquals(59.7, a2.<Double>getAs(Columns.LINE_COST), EPS);
    Row reject = checked.rejects().first();
    assertEquals("{\"OrderNo\":\"A-1\",\"Client\":\"K7\",\"When\":\"2024-05-01 08:15:00\",\"Paid\":\"12,5\"}",
        reject.getAs(Columns.RAW_RECORD));
  }

  @Test
  void parquetWithTypedColumnsIsReadWithoutTextParsing() {
    StructType schema =
        new StructType()
            .add("order_id", DataTypes.StringType)
            .add("customer_id", DataTypes.StringType)
            .add("order_ts", DataTypes.TimestampType)
            .add("amount", DataTypes.DoubleType)
            .add("discount", DataTypes.DoubleType);
    String out = dir.resolve("orders.parquet").toString();
    Fixtures.frame(
            schema,
            new Object[] {"p1", "c1", utc("2024-03-01T12:00:00Z"), 40.0, 4.0},
            new Object[] {"p2", "c2", utc("2024-03-02T00:30:00Z"), -15.0, null},
            new Object[] {"p3", "c2", null, 5.0, null},
            new Object[] {"p4", "c3", utc("2024-03-03T00:00:00Z"), null, null})
        .coalesce(1)
        .write()
        .parquet(out);
    JobConfig config =
        Fixtures.config(path("orders") + "=" + out, "input.orders.format=parquet", "input.orders.columns.cost_of_goods=");
    CheckedInput checked = orders(config);
    Map<String, String> reasons = reasonsBy(checked, Columns.ORDER_ID);
    Map<String, String> expected = new HashMap<>();
    expected.put("p1", null);
    expected.put("p2", null);
    expected.put("p3", "MISSING_TIMESTAMP");
    expected.put("p4", "MISSING_AMOUNT");
    assertEquals(expected, reasons);
    Map<String, Row> accepted = Fixtures.byKey(checked.accepted(), Columns.ORDER_ID);
    Row p1 = accepted.get("p1");
    assertTimestamp("2024-03-01T12:00:00Z", p1.getAs(Columns.ORDER_TS));
    assertEquals(40.0, p1.<Double>getAs(Columns.LINE_VALUE), EPS);
    assertEquals(4.0, p1.<Double>getAs(Columns.DISCOUNT), EPS);
    assertEquals(24.0, p1.<Double>getAs(Columns.LINE_COST), EPS);
    Row p2 = accepted.get("p2");
    assertTimestamp("2024-03-02T00:30:00Z", p2.getAs(Columns.ORDER_TS));
    assertEquals(-15.0, p2.<Double>getAs(Columns.LINE_VALUE), EPS);
    assertTrue(p2.<Boolean>getAs(Columns.IS_RETURN_LINE));
    Row reject = checked.rejects().filter(col(Columns.REJECT_REASON).equalTo("MISSING_AMOUNT")).first();
    String raw = reject.getAs(Columns.RAW_RECORD);
    assertTrue(raw.startsWith("{\"order_id\":\"p4\",\"customer_id\":\"c3\",\"order_ts\":\"2024-03-03T00:00:00"), raw);
    assertTrue(reject.<String>getAs(Columns.SOURCE_FILE).contains("orders.parquet"));
  }

  // ---- returns

  @Test
  void returnsTakeTheCustomerFromTheOrderAndRejectUnknownOrdersAndCustomers() {
    // As in the job: accepted order lines and known customers come from the orders input.
    String ordersFile =
        Fixtures.csv(
            dir,
            "orders.csv",
            ORDERS_HEADER,
            "o1,c1,2024-01-10 10:00:00,100,,",
            "o1,c1,2024-01-10 10:00:00,30,,",
            "o2,c2,2024-01-11 10:00:00,50,,");
    String returnsFile =
        Fixtures.csv(
            dir,
            "returns.csv",
            "order_id,customer_id,return_ts,refund_amount",
            "o1,,2024-01-20 10:00:00,-15.0",
            "o1,c9,2024-01-20 10:00:00,5",
            "o99,,2024-01-21 10:00:00,6",
            ",,2024-01-21 10:00:00,7",
            ",c2,2024-01-22 10:00:00,8",
            "o2,c2,2024-01-22 10:00:00,abc");
    JobConfig config = Fixtures.config(path("orders") + "=" + ordersFile, path("returns") + "=" + returnsFile);
    CheckedInput ordersChecked = orders(config).persist();
    Snapshot snapshot = new Snapshot(LocalDate.of(2024, 2, 1), 0);
    Dataset<Row> acceptedLines =
        ordersChecked.withAfterSnapshot(Columns.ORDER_TS, snapshot.startTimestamp()).accepted();
    Dataset<Row> customerIds =
        acceptedLines.select(Columns.CUSTOMER_ID).distinct().persist(StorageLevel.MEMORY_AND_DISK());

    CheckedInput checked = ReturnsIngest.check(InputReader.read(spark, config.returns()), config.returns());
    checked = ReturnsIngest.resolveCustomers(checked, acceptedLines);
    checked = KnownCustomers.check(checked, customerIds);

    assertEquals(
        List.of(Columns.ORDER_ID, Columns.CUSTOMER_ID, Columns.RETURN_TS, Columns.REFUND_AMOUNT, Columns.REJECT_REASON,
            Columns.RAW_RECORD, Columns.SOURCE_FILE, Columns.CORRUPT_RECORD),
        List.of(checked.rows().columns()),
        "columns of the checked returns");
    Map<String, Row> rows = new HashMap<>();
    for (Row row : checked.rows().collectAsList()) {
      String raw = row.getAs(Columns.RAW_RECORD);
      rows.put(raw.substring(raw.lastIndexOf(':') + 1, raw.length() - 1), row);
    }
    assertEquals(6, rows.size());
    // Customer filled in from the order; refund as a positive amount.
    Row fromOrder = rows.get("\"-15.0\"");
    assertEquals("c1", fromOrder.getAs(Columns.CUSTOMER_ID));
    assertEquals(15.0, fromOrder.<Double>getAs(Columns.REFUND_AMOUNT), EPS);
    assertTimestamp("2024-01-20T10:00:00Z", fromOrder.getAs(Columns.RETURN_TS));
    assertNull(fromOrder.getAs(Columns.REJECT_REASON));
    // The row's own customer id wins over the order's; c9 has no orders.
    assertEquals("c9", rows.get("\"5\"").getAs(Columns.CUSTOMER_ID));
    assertEquals("UNKNOWN_CUSTOMER", rows.get("\"5\"").getAs(Columns.REJECT_REASON));
    assertEquals("UNKNOWN_ORDER", rows.get("\"6\"").getAs(Columns.REJECT_REASON));
    assertEquals("MISSING_CUSTOMER_ID", rows.get("\"7\"").getAs(Columns.REJECT_REASON));
    // No order id, but a known customer id.
    assertEquals("c2", rows.get("\"8\"").getAs(Columns.CUSTOMER_ID));
    assertNull(rows.get("\"8\"").getAs(Columns.REJECT_REASON));
    assertEquals("NON_NUMERIC_AMOUNT", rows.get("\"abc\"").getAs(Columns.REJECT_REASON));

    InputCounts counts = InputCounts.of(checked);
    assertEquals(6, counts.read());
    assertEquals(2, counts.accepted());
    assertEquals(
        Map.of("UNKNOWN_CUSTOMER", 1L, "UNKNOWN_ORDER", 1L, "MISSING_CUSTOMER_ID", 1L, "NON_NUMERIC_AMOUNT", 1L),
        counts.rejectedByReason());
    assertTrue(checked.rejects().collectAsList().stream().allMatch(r -> "returns".equals(r.getAs(Columns.INPUT))));
    // What the features step does with accepted returns: refunds per customer.
    Map<String, Row> refunds =
        Fixtures.byKey(
            checked.accepted().groupBy(Columns.CUSTOMER_ID).agg(sum(Columns.REFUND_AMOUNT).as("refunds")),
            Columns.CUSTOMER_ID);
    assertEquals(Set.of("c1", "c2"), refunds.keySet());
    assertEquals(15.0, refunds.get("c1").<Double>getAs("refunds"), EPS);
    assertEquals(8.0, refunds.get("c2").<Double>getAs("refunds"), EPS);
  }

  @Test
  void knownCustomersKeepsOneCustomerIdWhenTheIdsShareLineageWithTheResolvedOrders() {
    // Accepted lines and known ids handed in as one literal frame: both joins then read the same relation.
    String returnsFile =
        Fixtures.csv(
            dir,
            "returns.csv",
            "order_id,customer_id,return_ts,refund_amount",
            "o1,,2024-01-20 10:00:00,15",
            "o1,c9,2024-01-20 10:00:00,5");
    JobConfig config = Fixtures.config(path("returns") + "=" + returnsFile);
    StructType lineSchema =
        new StructType().add(Columns.ORDER_ID, DataTypes.StringType).add(Columns.CUSTOMER_ID, DataTypes.StringType);
    Dataset<Row> acceptedLines = Fixtures.frame(lineSchema, new Object[] {"o1", "c1"}, new Object[] {"o2", "c2"});
    Dataset<Row> customerIds = acceptedLines.select(Columns.CUSTOMER_ID).distinct();

    CheckedInput checked =
        KnownCustomers.check(
            ReturnsIngest.resolveCustomers(
                ReturnsIngest.check(InputReader.read(spark, config.returns()), config.returns()), acceptedLines),
            customerIds);

    assertEquals(
        1L,
        Arrays.stream(checked.rows().columns()).filter(Columns.CUSTOMER_ID::equals).count(),
        "customer_id columns in " + List.of(checked.rows().columns()));
    Map<String, String> customerByRefund = new HashMap<>();
    Map<String, String> reasonByRefund = new HashMap<>();
    for (Row row : checked.rows().select(Columns.REFUND_AMOUNT, Columns.CUSTOMER_ID, Columns.REJECT_REASON).collectAsList()) {
      customerByRefund.put(String.valueOf(row.getDouble(0)), row.getString(1));
      reasonByRefund.put(String.valueOf(row.getDouble(0)), row.getString(2));
    }
    assertEquals(Map.of("15.0", "c1", "5.0", "c9"), customerByRefund);
    assertNull(reasonByRefund.get("15.0"));
    assertEquals("UNKNOWN_CUSTOMER", reasonByRefund.get("5.0"));
  }

  @Test
  void knownCustomersRejectsContactsOfCustomersWithoutOrders() {
    String ordersFile = Fixtures.csv(dir, "orders.csv", ORDERS_HEADER, "o1,c1,2024-01-10 10:00:00,100,,");
    String contactsFile =
        Fixtures.csv(
            dir,
            "contacts.csv",
            "customer_id,contact_ts,contact_type,handling_cost",
            "c1,2024-01-05 10:00:00,inquiry,",
            "c8,2024-01-06 10:00:00,inquiry,",
            ",2024-01-06 10:00:00,inquiry,");
    JobConfig config = Fixtures.config(path("orders") + "=" + ordersFile, path("contacts") + "=" + contactsFile);
    Dataset<Row> customerIds = orders(config).accepted().select(Columns.CUSTOMER_ID).distinct();
    CheckedInput checked =
        KnownCustomers.check(
            ContactsIngest.check(InputReader.read(spark, config.contacts()), config.contacts(), config.costs()),
            customerIds);
    Map<String, String> reasons = reasonsBy(checked, Columns.CUSTOMER_ID);
    Map<String, String> expected = new HashMap<>();
    expected.put("c1", null);
    expected.put("c8", "UNKNOWN_CUSTOMER");
    // An earlier reason is kept.
    expected.put("null", "MISSING_CUSTOMER_ID");
    assertEquals(expected, reasons);
  }

  // ---- contacts

  @Test
  void contactsWithoutCostArePricedByTypeAndTypesAreLowerCased() {
    String file =
        Fixtures.csv(
            dir,
            "contacts.csv",
            "customer_id,contact_ts,contact_type,handling_cost",
            "c1,2024-01-05 10:00:00,Complaint,",
            "c2,2024-01-06 10:00:00,INQUIRY,",
            "c3,2024-01-07 10:00:00,chat,",
            "c4,2024-01-08 10:00:00,billing,9.5",
            "c5,2024-01-09 10:00:00,inquiry,abc",
            "c6,2024-01-09,inquiry,");
    JobConfig config = Fixtures.config(path("contacts") + "=" + file);
    CheckedInput checked = ContactsIngest.check(InputReader.read(spark, config.contacts()), config.contacts(), config.costs());
    Map<String, Row> rows = Fixtures.byKey(checked.rows(), Columns.CUSTOMER_ID);
    assertEquals(6, rows.size());
    assertEquals("complaint", rows.get("c1").getAs(Columns.CONTACT_TYPE));
    assertEquals(20.0, rows.get("c1").<Double>getAs(Columns.HANDLING_COST), EPS);
    assertTimestamp("2024-01-05T10:00:00Z", rows.get("c1").getAs(Columns.CONTACT_TS));
    assertEquals("inquiry", rows.get("c2").getAs(Columns.CONTACT_TYPE));
    assertEquals(3.0, rows.get("c2").<Double>getAs(Columns.HANDLING_COST), EPS);
    // A type without a configured cost gets costs.default_contact_cost.
    assertEquals("chat", rows.get("c3").getAs(Columns.CONTACT_TYPE));
    assertEquals(5.0, rows.get("c3").<Double>getAs(Columns.HANDLING_COST), EPS);
    // Its own cost wins over the type's 6.0.
    assertEquals(9.5, rows.get("c4").<Double>getAs(Columns.HANDLING_COST), EPS);
    for (String accepted : List.of("c1", "c2", "c3", "c4")) {
      assertNull(rows.get(accepted).getAs(Columns.REJECT_REASON), accepted);
    }
    assertEquals("NON_NUMERIC_COST", rows.get("c5").getAs(Columns.REJECT_REASON));
    assertEquals("UNPARSABLE_TIMESTAMP", rows.get("c6").getAs(Columns.REJECT_REASON));
  }

  @Test
  void contactTypeCostsComeFromTheConfig() {
    String file =
        Fixtures.csv(
            dir,
            "contacts.csv",
            "customer_id,contact_ts,contact_type",
            "c1,2024-01-05 10:00:00,Callback",
            "c2,2024-01-06 10:00:00,other");
    JobConfig config =
        Fixtures.config(
            path("contacts") + "=" + file,
            "input.contacts.columns.handling_cost=",
            "costs.contact_type_costs.callback=7.5",
            "costs.default_contact_cost=1.25");
    CheckedInput checked = ContactsIngest.check(InputReader.read(spark, config.contacts()), config.contacts(), config.costs());
    Map<String, Row> rows = Fixtures.byKey(checked.accepted(), Columns.CUSTOMER_ID);
    assertEquals(7.5, rows.get("c1").<Double>getAs(Columns.HANDLING_COST), EPS);
    assertEquals(1.25, rows.get("c2").<Double>getAs(Columns.HANDLING_COST), EPS);
  }

  // ---- invoices

  @Test
  void invoicesParseDatesTreatEmptyPaidDateAsUnpaidAndReadWriteOffs() {
    String file =
        Fixtures.csv(
            dir,
            "invoices.csv",
            "customer_id,due_date,paid_date,amount,written_off",
            "c1,2024-01-31,2024-01-25,100,",
            "c2,2024-01-31,,200,",
            "c3,2024-01-31,31/01/2024,50,",
            "c4,2024-02-29,,80,80",
            "c5,2024-01-31,,x,",
            "c6,,2024-01-10,10,",
            "c7,2024-01-31,,10,lots");
    JobConfig config = Fixtures.config(path("invoices") + "=" + file);
    CheckedInput checked = InvoicesIngest.check(InputReader.read(spark, config.invoices()), config.invoices());
    Map<String, Row> rows = Fixtures.byKey(checked.rows(), Columns.CUSTOMER_ID);
    assertEquals(7, rows.size());

    Row c1 = rows.get("c1");
    assertNull(c1.getAs(Columns.REJECT_REASON));
    assertEquals(LocalDate.of(2024, 1, 31), c1.<Date>getAs(Columns.DUE_DATE).toLocalDate());
    assertEquals(LocalDate.of(2024, 1, 25), c1.<Date>getAs(Columns.PAID_DATE).toLocalDate());
    assertEquals(100.0, c1.<Double>getAs(Columns.AMOUNT), EPS);
    assertEquals(0.0, c1.<Double>getAs(Columns.WRITTEN_OFF), EPS);

    Row c2 = rows.get("c2");
    assertNull(c2.getAs(Columns.REJECT_REASON));
    assertNull(c2.getAs(Columns.PAID_DATE));
    assertEquals(200.0, c2.<Double>getAs(Columns.AMOUNT), EPS);

    Row c4 = rows.get("c4");
    assertNull(c4.getAs(Columns.REJECT_REASON));
    assertEquals(LocalDate.of(2024, 2, 29), c4.<Date>getAs(Columns.DUE_DATE).toLocalDate());
    assertEquals(80.0, c4.<Double>getAs(Columns.WRITTEN_OFF), EPS);

    assertEquals("UNPARSABLE_DATE", rows.get("c3").getAs(Columns.REJECT_REASON));
    assertEquals("NON_NUMERIC_AMOUNT", rows.get("c5").getAs(Columns.REJECT_REASON));
    assertEquals("MISSING_DUE_DATE", rows.get("c6").getAs(Columns.REJECT_REASON));
    assertEquals("NON_NUMERIC_AMOUNT", rows.get("c7").getAs(Columns.REJECT_REASON));

    InputCounts counts = InputCounts.of(checked);
    assertEquals(7, counts.read());
    assertEquals(3, counts.accepted());
  }
}
