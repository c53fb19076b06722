package io.customerpyramid.ingest;

import static io.customerpyramid.ingest.IngestFixtures.EPS;
import static io.customerpyramid.ingest.IngestFixtures.ORDER_LINES;
import static io.customerpyramid.ingest.IngestFixtures.orders;
import static io.customerpyramid.ingest.IngestFixtures.path;
import static io.customerpyramid.ingest.IngestFixtures.reason;
import static io.customerpyramid.ingest.IngestFixtures.reasons;
import static io.customerpyramid.ingest.IngestFixtures.utc;
import static io.customerpyramid.testing.DataFrameAssertions.assertTableApproxEquals;
import static io.customerpyramid.testing.DataFrameAssertions.assertTableEquals;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How input files are laid out: line-level exports and the rows exported twice, column mapping,
 * delimiters and Parquet.
 */
class InputLayoutIngestTest {

  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void session() {
    spark = SparkTestSession.get();
  }

  // ---- line exports and duplicate rows

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

  /**
   * A map column cannot be sorted or hashed by Spark: rows whose only difference is in a map (the
   * product, here) are compared through the map's JSON text, still exactly.
   */
  @Test
  void aParquetMapColumnTakesPartInTheComparison() {
    String csv = Fixtures.csv(dir, "export-with-map.csv", MULTI_PRODUCT_INVOICE);
    String parquet = dir.resolve("export-with-map.parquet").toString();
    spark.read().option("header", "true").option("inferSchema", "true").csv(csv)
        .withColumn("Product", org.apache.spark.sql.functions.map(
            org.apache.spark.sql.functions.lit("code"), org.apache.spark.sql.functions.col("StockCode"),
            org.apache.spark.sql.functions.lit("description"), org.apache.spark.sql.functions.col("Description")))
        .drop("StockCode", "Description")
        .write().parquet(parquet);
    CheckedInput checked = orders(lineExport(parquet, "parquet"));
    InputCounts counts = InputCounts.of(checked);
    assertEquals(4, counts.accepted(), "four products that differ only in the map are four lines");
    assertEquals(Map.of("DUPLICATE_ROW", 1L), counts.rejectedByReason());
    String duplicate = checked.rejects().first().getAs(Columns.RAW_RECORD);
    assertTrue(duplicate.contains("\"code\":\"84029G\""), duplicate);
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
}
