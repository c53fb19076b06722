package io.customerpyramid.ingest;

import static io.customerpyramid.testing.DataFrameAssertions.assertTableApproxEquals;
import static io.customerpyramid.testing.DataFrameAssertions.assertTableEquals;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.InputSource;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.features.Snapshot;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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

  /** The columns of accepted order lines. */
  private static final StructType ORDER_LINES =
      new StructType()
          .add(Columns.ORDER_ID, DataTypes.StringType)
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.ORDER_TS, DataTypes.TimestampType)
          .add(Columns.LINE_VALUE, Money.WORK)
          .add(Columns.DISCOUNT, Money.WORK)
          .add(Columns.LINE_COST, Money.WORK)
          .add(Columns.IS_RETURN_LINE, DataTypes.BooleanType);

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

  /** Expected (key column, reject reason) rows of a checked input; a null reason is an accepted row. */
  private static Dataset<Row> reasons(String keyColumn, String[]... keyAndReason) {
    StructType schema =
        new StructType().add(keyColumn, DataTypes.StringType).add(Columns.REJECT_REASON, DataTypes.StringType);
    return Fixtures.frame(schema, keyAndReason);
  }

  private static String[] reason(String key, String reason) {
    return new String[] {key, reason};
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

  /**
   * A real line-level export: one invoice, several products at the same quantity and price (the
   * product code is not a mapped column), and one line exported twice. Only the second copy of that
   * line is a duplicate; the invoice keeps its full value.
   */
  private static final String[] MULTI_PRODUCT_INVOICE = {
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID",
    "536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,17850",
    "536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,2.55,17850",
    "536365,84406B,CREAM CUPID HEARTS,6,2010-12-01 08:26:00,2.55,17850",
    "536365,84029G,UNION FLAG HOT WATER BOTTLE,6,2010-12-01 08:26:00,2.55,17850",
    "536365,84029G,UNION FLAG HOT WATER BOTTLE,6,2010-12-01 08:26:00,2.55,17850",
  };

  private static JobConfig lineExport(String file, String format, String... settings) {
    List<String> overrides =
        new java.util.ArrayList<>(
            List.of(
                path("orders") + "=" + file,
                "input.orders.format=" + format,
                "input.orders.granularity=line",
                "input.orders.columns.order_id=InvoiceNo",
                "input.orders.columns.customer_id=CustomerID",
                "input.orders.columns.order_ts=InvoiceDate",
                "input.orders.columns.quantity=Quantity",
                "input.orders.columns.unit_price=UnitPrice",
                "input.orders.columns.amount=",
                "input.orders.columns.discount=",
                "input.orders.columns.cost_of_goods="));
    overrides.addAll(List.of(settings));
    return Fixtures.config(overrides.toArray(String[]::new));
  }

  /** The multi-product invoice as Parquet with typed columns, as a database export writes it. */
  private String multiProductInvoiceParquet() {
    String csv = Fixtures.csv(dir, "export-for-parquet.csv", MULTI_PRODUCT_INVOICE);
    String parquet = dir.resolve("export.parquet").toString();
    spark.read().option("header", "true").option("inferSchema", "true").csv(csv).write().parquet(parquet);
    return parquet;
  }

  /** Every column of the export but the product code and its description. */
  private static final String ALL_BUT_THE_PRODUCT = "input.orders.deduplicate=[InvoiceNo, Quantity, InvoiceDate, UnitPrice, CustomerID]";

  private static void assertOnlyTheRepeatedLineIsADuplicate(CheckedInput checked) {
    InputCounts counts = InputCounts.of(checked);
    assertEquals(5, counts.read());
    assertEquals(4, counts.accepted(), "four products of one invoice at equal quantity and price are four lines");
    assertEquals(Map.of("DUPLICATE_ROW", 1L), counts.rejectedByReason());
    // 4 lines x 6 x 2.55 = 61.20: the invoice keeps every product's value.
    assertEquals(new java.math.BigDecimal("61.20000000"), checked.accepted().agg(sum(Columns.LINE_VALUE)).first().getDecimal(0));
    String duplicate = checked.rejects().first().getAs(Columns.RAW_RECORD);
    assertTrue(duplicate.contains("\"StockCode\":\"84029G\""), duplicate);
  }

  @Test
  void linesOfOneInvoiceThatDifferOnlyInAnUnmappedColumnAreNotDuplicates() {
    assertOnlyTheRepeatedLineIsADuplicate(orders(lineExport(Fixtures.csv(dir, "export.csv", MULTI_PRODUCT_INVOICE), "csv")));
  }

  @Test
  void inParquetTooADuplicateIsARowIdenticalInEveryColumn() {
    assertOnlyTheRepeatedLineIsADuplicate(orders(lineExport(multiProductInvoiceParquet(), "parquet")));
  }

  @Test
  void withDeduplicateOffEveryLineIsKept() {
    String file = Fixtures.csv(dir, "export.csv", MULTI_PRODUCT_INVOICE);
    CheckedInput checked = orders(lineExport(file, "csv", "input.orders.deduplicate=off"));
    InputCounts counts = InputCounts.of(checked);
    assertEquals(5, counts.accepted());
    assertEquals(Map.of(), counts.rejectedByReason());
    // 5 lines x 6 x 2.55, the line exported twice counted twice.
    assertEquals(new java.math.BigDecimal("76.50000000"), checked.accepted().agg(sum(Columns.LINE_VALUE)).first().getDecimal(0));
  }

  @Test
  void aDeduplicateListComparesOnlyTheListedColumns() {
    String file = Fixtures.csv(dir, "export.csv", MULTI_PRODUCT_INVOICE);
    CheckedInput checked = orders(lineExport(file, "csv", ALL_BUT_THE_PRODUCT));
    InputCounts counts = InputCounts.of(checked);
    // Without the product code, the four products at equal quantity and price are one line.
    assertEquals(1, counts.accepted());
    assertEquals(Map.of("DUPLICATE_ROW", 4L), counts.rejectedByReason());
    assertEquals(4, counts.duplicates());
    assertEquals(0, counts.rejectedExceptDuplicates());
  }

  @Test
  void aMappedLineIdIsAddedToTheListedColumns() {
    JobConfig config = lineExport(multiProductInvoiceParquet(), "parquet", ALL_BUT_THE_PRODUCT, "input.orders.columns.line_id=StockCode");
    assertEquals(
        List.of("InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "StockCode"),
        config.orders().deduplication().columns());
    assertOnlyTheRepeatedLineIsADuplicate(orders(config));
  }

  @Test
  void aDeduplicateColumnMissingFromTheFileNamesItTheKeyAndTheColumnsFound() {
    String file = Fixtures.csv(dir, "export.csv", MULTI_PRODUCT_INVOICE);
    JobConfig config = lineExport(file, "csv", "input.orders.deduplicate=[InvoiceNo, Stockcode]");
    InputError error = assertThrows(InputError.class, () -> InputReader.read(spark, config.orders()));
    assertTrue(
        error.getMessage().contains(
            "column 'Stockcode' (input.orders.deduplicate) not found; columns found: InvoiceNo, StockCode, Description,"
                + " Quantity, InvoiceDate, UnitPrice, CustomerID"),
        error.getMessage());
    assertTrue(error.getMessage().contains(file), error.getMessage());
  }

  @Test
  void returnsContactsAndInvoicesExportedTwiceHaveDuplicatesToo() {
    String returnsFile =
        Fixtures.csv(
            dir,
            "returns.csv",
            "order_id,customer_id,return_ts,refund_amount",
            // Returns found through the order only: compared within the order.
            "o1,,2024-01-20 10:00:00,15",
            "o1,,2024-01-20 10:00:00,15",
            "o2,,2024-01-20 10:00:00,15");
    String contactsFile =
        Fixtures.csv(
            dir,
            "contacts.csv",
            "customer_id,contact_ts,contact_type,handling_cost",
            "c1,2024-01-05 10:00:00,inquiry,",
            "c1,2024-01-05 10:00:00,inquiry,",
            "c1,2024-01-05 10:00:00,complaint,");
    String invoicesFile =
        Fixtures.csv(
            dir,
            "invoices.csv",
            "customer_id,due_date,paid_date,amount,written_off",
            "c1,2024-01-31,,100,",
            "c1,2024-01-31,,100,",
            "c2,2024-01-31,,100,");
    String[] paths = {path("returns") + "=" + returnsFile, path("contacts") + "=" + contactsFile, path("invoices") + "=" + invoicesFile};
    JobConfig config = Fixtures.config(paths);
    List<CheckedInput> byDefault =
        List.of(
            ReturnsIngest.check(InputReader.read(spark, config.returns()), config.returns()),
            ContactsIngest.check(InputReader.read(spark, config.contacts()), config.contacts(), config.costs()),
            InvoicesIngest.check(InputReader.read(spark, config.invoices()), config.invoices()));
    for (CheckedInput checked : byDefault) {
      InputCounts counts = InputCounts.of(checked);
      assertEquals(2, counts.accepted(), checked.name());
      assertEquals(Map.of("DUPLICATE_ROW", 1L), counts.rejectedByReason(), checked.name());
    }

    String[] off = Arrays.copyOf(paths, 6);
    off[3] = "input.returns.deduplicate=off";
    off[4] = "input.contacts.deduplicate=off";
    off[5] = "input.invoices.deduplicate=off";
    JobConfig keepAll = Fixtures.config(off);
    assertEquals(3, InputCounts.of(ContactsIngest.check(InputReader.read(spark, keepAll.contacts()), keepAll.contacts(), keepAll.costs())).accepted());
    assertEquals(3, InputCounts.of(InvoicesIngest.check(InputReader.read(spark, keepAll.invoices()), keepAll.invoices())).accepted());
    assertEquals(3, InputCounts.of(ReturnsIngest.check(InputReader.read(spark, keepAll.returns()), keepAll.returns())).accepted());
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
    // A decimal comma is not a number.
    assertTableEquals(
        reasons(Columns.ORDER_ID, reason("A-1", "NON_NUMERIC_AMOUNT"), reason("A-2", null)), checked.rows());
    StructType schema =
        new StructType()
            .add(Columns.ORDER_ID, DataTypes.StringType)
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.ORDER_TS, DataTypes.TimestampType)
            .add(Columns.LINE_VALUE, Money.WORK)
            .add(Columns.LINE_COST, Money.WORK);
    assertTableApproxEquals(
        Fixtures.frame(schema, new Object[] {"A-2", "K7", utc("2024-05-02T09:00:00Z"), 99.5, 59.7}),
        checked.accepted(),
        EPS);
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
    assertTableEquals(
        reasons(
            Columns.ORDER_ID,
            reason("p1", null),
            reason("p2", null),
            reason("p3", "MISSING_TIMESTAMP"),
            reason("p4", "MISSING_AMOUNT")),
        checked.rows());
    Dataset<Row> expected =
        Fixtures.frame(
            ORDER_LINES,
            // No cost column: cost = |value| x 0.6; a missing discount is 0; a negative amount is a return.
            new Object[] {"p1", "c1", utc("2024-03-01T12:00:00Z"), 40.0, 4.0, 24.0, false},
            new Object[] {"p2", "c2", utc("2024-03-02T00:30:00Z"), -15.0, 0.0, 9.0, true});
    assertTableApproxEquals(expected, checked.accepted(), EPS, Columns.ORDER_ID);
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
    StructType schema =
        new StructType()
            .add(Columns.ORDER_ID, DataTypes.StringType)
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.RETURN_TS, DataTypes.TimestampType)
            .add(Columns.REFUND_AMOUNT, Money.WORK)
            .add(Columns.REJECT_REASON, DataTypes.StringType);
    Dataset<Row> expected =
        Fixtures.frame(
            schema,
            // Customer filled in from the order; refund as a positive amount.
            new Object[] {"o1", "c1", utc("2024-01-20T10:00:00Z"), 15.0, null},
            // The row's own customer id wins over the order's; c9 has no orders.
            new Object[] {"o1", "c9", utc("2024-01-20T10:00:00Z"), 5.0, "UNKNOWN_CUSTOMER"},
            new Object[] {"o99", null, utc("2024-01-21T10:00:00Z"), 6.0, "UNKNOWN_ORDER"},
            new Object[] {null, null, utc("2024-01-21T10:00:00Z"), 7.0, "MISSING_CUSTOMER_ID"},
            // No order id, but a known customer id.
            new Object[] {null, "c2", utc("2024-01-22T10:00:00Z"), 8.0, null},
            new Object[] {"o2", "c2", utc("2024-01-22T10:00:00Z"), null, "NON_NUMERIC_AMOUNT"});
    assertTableApproxEquals(expected, checked.rows(), EPS, Columns.REFUND_AMOUNT);

    InputCounts counts = InputCounts.of(checked);
    assertEquals(6, counts.read());
    assertEquals(2, counts.accepted());
    assertEquals(
        Map.of("UNKNOWN_CUSTOMER", 1L, "UNKNOWN_ORDER", 1L, "MISSING_CUSTOMER_ID", 1L, "NON_NUMERIC_AMOUNT", 1L),
        counts.rejectedByReason());
    assertTrue(checked.rejects().collectAsList().stream().allMatch(r -> "returns".equals(r.getAs(Columns.INPUT))));
    // What the features step does with accepted returns: refunds per customer.
    StructType refunds = new StructType().add(Columns.CUSTOMER_ID, DataTypes.StringType).add("refunds", Money.WORK);
    assertTableEquals(
        Fixtures.frame(refunds, new Object[] {"c1", 15.0}, new Object[] {"c2", 8.0}),
        checked.accepted().groupBy(Columns.CUSTOMER_ID).agg(Money.sum(col(Columns.REFUND_AMOUNT)).as("refunds")));
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
    StructType schema =
        new StructType()
            .add(Columns.REFUND_AMOUNT, Money.WORK)
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.REJECT_REASON, DataTypes.StringType);
    assertTableEquals(
        Fixtures.frame(schema, new Object[] {15.0, "c1", null}, new Object[] {5.0, "c9", "UNKNOWN_CUSTOMER"}),
        checked.rows());
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
    assertTableEquals(
        reasons(
            Columns.CUSTOMER_ID,
            reason("c1", null),
            reason("c8", "UNKNOWN_CUSTOMER"),
            // An earlier reason is kept.
            reason(null, "MISSING_CUSTOMER_ID")),
        checked.rows());
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
    StructType schema =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.CONTACT_TS, DataTypes.TimestampType)
            .add(Columns.CONTACT_TYPE, DataTypes.StringType)
            .add(Columns.HANDLING_COST, Money.WORK)
            .add(Columns.REJECT_REASON, DataTypes.StringType);
    Dataset<Row> expected =
        Fixtures.frame(
            schema,
            new Object[] {"c1", utc("2024-01-05T10:00:00Z"), "complaint", 20.0, null},
            new Object[] {"c2", utc("2024-01-06T10:00:00Z"), "inquiry", 3.0, null},
            // A type without a configured cost gets costs.default_contact_cost.
            new Object[] {"c3", utc("2024-01-07T10:00:00Z"), "chat", 5.0, null},
            // Its own cost wins over the type's 6.0.
            new Object[] {"c4", utc("2024-01-08T10:00:00Z"), "billing", 9.5, null},
            // A cost that is not a number: rejected (priced by its type meanwhile).
            new Object[] {"c5", utc("2024-01-09T10:00:00Z"), "inquiry", 3.0, "NON_NUMERIC_COST"},
            new Object[] {"c6", null, "inquiry", 3.0, "UNPARSABLE_TIMESTAMP"});
    assertTableApproxEquals(expected, checked.rows(), EPS, Columns.CUSTOMER_ID);
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
    StructType schema =
        new StructType().add(Columns.CUSTOMER_ID, DataTypes.StringType).add(Columns.HANDLING_COST, Money.WORK);
    assertTableApproxEquals(
        Fixtures.frame(schema, new Object[] {"c1", 7.5}, new Object[] {"c2", 1.25}), checked.accepted(), EPS);
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
    StructType schema =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.DUE_DATE, DataTypes.DateType)
            .add(Columns.PAID_DATE, DataTypes.DateType)
            .add(Columns.AMOUNT, Money.WORK)
            .add(Columns.WRITTEN_OFF, Money.WORK)
            .add(Columns.REJECT_REASON, DataTypes.StringType);
    Dataset<Row> expected =
        Fixtures.frame(
            schema,
            new Object[] {"c1", Date.valueOf("2024-01-31"), Date.valueOf("2024-01-25"), 100.0, 0.0, null},
            // An empty paid date: unpaid.
            new Object[] {"c2", Date.valueOf("2024-01-31"), null, 200.0, 0.0, null},
            new Object[] {"c3", Date.valueOf("2024-01-31"), null, 50.0, 0.0, "UNPARSABLE_DATE"},
            new Object[] {"c4", Date.valueOf("2024-02-29"), null, 80.0, 80.0, null},
            new Object[] {"c5", Date.valueOf("2024-01-31"), null, null, 0.0, "NON_NUMERIC_AMOUNT"},
            new Object[] {"c6", null, Date.valueOf("2024-01-10"), 10.0, 0.0, "MISSING_DUE_DATE"},
            new Object[] {"c7", Date.valueOf("2024-01-31"), null, 10.0, 0.0, "NON_NUMERIC_AMOUNT"});
    assertTableApproxEquals(expected, checked.rows(), EPS, Columns.CUSTOMER_ID);

    InputCounts counts = InputCounts.of(checked);
    assertEquals(7, counts.read());
    assertEquals(3, counts.accepted());
  }
}
