package io.customerpyramid.ingest;

import static io.customerpyramid.ingest.ExportFiles.CONTACTS;
import static io.customerpyramid.ingest.ExportFiles.bzip2;
import static io.customerpyramid.ingest.ExportFiles.contactCosts;
import static io.customerpyramid.ingest.ExportFiles.contacts;
import static io.customerpyramid.ingest.ExportFiles.gzip;
import static io.customerpyramid.ingest.ExportFiles.lines;
import static io.customerpyramid.ingest.ExportFiles.onlineRetail;
import static io.customerpyramid.ingest.ExportFiles.orderLines;
import static io.customerpyramid.ingest.ExportFiles.orders;
import static io.customerpyramid.ingest.ExportFiles.rawRecords;
import static io.customerpyramid.ingest.ExportFiles.utc;
import static io.customerpyramid.testing.DataFrameAssertions.assertTableApproxEquals;
import static io.customerpyramid.testing.DataFrameAssertions.assertTableEquals;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Company exports as the tools that write them write them: no header line, Excel's quoting, other
 * encodings and byte-order marks, compressed files, mixed date formats (customer ids as numbers: CustomerIdExportsTest).
 * Files are written byte for byte here.
 */
class ExportFormatsTest {

  private static final double EPS = Fixtures.TOLERANCE;
  private static final String ONLINE_RETAIL_HEADER =
      "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void session() {
    spark = SparkTestSession.get();
  }

  private String write(String name, byte[] bytes) throws IOException {
    return ExportFiles.write(dir, name, bytes);
  }

  // ---- header, quote and escape

  @Test
  void withoutAHeaderLineColumnsAreMappedByTheirOneBasedPosition() throws IOException {
    String file =
        write(
            "no-header.csv",
            lines(
                StandardCharsets.UTF_8,
                "536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom",
                "536366,22633,HAND WARMER UNION JACK,6,12/1/2010 8:28,1.85,17850,United Kingdom"));
    JobConfig config =
        Fixtures.config(
            "input.orders.path=" + file,
            "input.orders.header=false",
            "input.orders.granularity=line",
            "input.orders.timestamp_pattern=M/d/yyyy H:mm",
            "input.orders.columns.order_id=1",
            "input.orders.columns.customer_id=7",
            "input.orders.columns.order_ts=5",
            "input.orders.columns.quantity=4",
            "input.orders.columns.unit_price=6",
            "input.orders.columns.amount=",
            "input.orders.columns.discount=",
            "input.orders.columns.cost_of_goods=");
    CheckedInput checked = orders(config);
    // The first line is data, not a header: both lines are orders.
    assertTableApproxEquals(
        orderLines(
            new Object[] {"536365", "17850", utc("2010-12-01T08:26:00Z"), 15.3},
            new Object[] {"536366", "17850", utc("2010-12-01T08:28:00Z"), 11.1}),
        checked.accepted().select(Columns.ORDER_ID, Columns.CUSTOMER_ID, Columns.ORDER_TS, Columns.LINE_VALUE),
        EPS);
    assertEquals(
        "{\"1\":\"536365\",\"2\":\"85123A\",\"3\":\"WHITE HANGING HEART\",\"4\":\"6\",\"5\":\"12/1/2010 8:26\","
            + "\"6\":\"2.55\",\"7\":\"17850\",\"8\":\"United Kingdom\"}",
        rawRecords(checked).get(0));
  }

  @Test
  void aPositionBeyondTheLastColumnNamesThePositionAndTheColumnsFound() throws IOException {
    String file = write("no-header.csv", lines(StandardCharsets.UTF_8, "c1,2024-01-05 10:00:00,inquiry"));
    JobConfig config =
        Fixtures.config(
            "input.contacts.path=" + file,
            "input.contacts.header=false",
            "input.contacts.columns.customer_id=1",
            "input.contacts.columns.contact_ts=2",
            "input.contacts.columns.contact_type=3",
            "input.contacts.columns.handling_cost=4");
    InputError error = org.junit.jupiter.api.Assertions.assertThrows(InputError.class, () -> contacts(config));
    assertTrue(
        error.getMessage().contains("column '4' (input.contacts.columns.handling_cost) not found; columns found: 1, 2, 3"),
        error.getMessage());
  }

  @Test
  void quotedValuesFollowExcelByDefaultAndOtherQuotingWhenConfigured() throws IOException {
    // What Excel writes: a value with a delimiter or a quote is quoted, a quote inside it doubled.
    String excel =
        write(
            "excel.csv",
            lines(
                StandardCharsets.UTF_8,
                "customer_id,contact_ts,contact_type",
                "c1,2024-01-05 10:00:00,\"Billing, \"\"urgent\"\"\"",
                "c2,2024-01-06 10:00:00,inquiry"));
    Map<String, Row> byCustomer = Fixtures.byKey(contacts(Fixtures.config(
        "input.contacts.path=" + excel, "input.contacts.columns.handling_cost=")).accepted(), Columns.CUSTOMER_ID);
    assertEquals("billing, \"urgent\"", byCustomer.get("c1").getAs(Columns.CONTACT_TYPE));
    assertEquals("inquiry", byCustomer.get("c2").getAs(Columns.CONTACT_TYPE));

    // Another tool: single quotes, a backslash before a quote inside them.
    String other =
        write(
            "other.csv",
            lines(
                StandardCharsets.UTF_8,
                "customer_id;contact_ts;contact_type",
                "c1;2024-01-05 10:00:00;'Billing; \\'urgent\\''"));
    JobConfig config =
        Fixtures.config(
            "input.contacts.path=" + other,
            "input.contacts.csv_delimiter=;",
            "input.contacts.quote='",
            "input.contacts.escape=\\",
            "input.contacts.columns.handling_cost=");
    assertEquals("billing; 'urgent'", contacts(config).accepted().first().getAs(Columns.CONTACT_TYPE));
  }

  // ---- encodings

  @Test
  void aUtf8ByteOrderMarkIsNotPartOfTheFirstColumnName() throws IOException {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] text = lines(StandardCharsets.UTF_8, "customer_id,contact_ts,contact_type", "c1,2024-01-05 10:00:00,Réclamation");
    byte[] withBom = new byte[bom.length + text.length];
    System.arraycopy(bom, 0, withBom, 0, bom.length);
    System.arraycopy(text, 0, withBom, bom.length, text.length);
    String file = write("excel-utf8.csv", withBom);
    CheckedInput checked =
        contacts(Fixtures.config("input.contacts.path=" + file, "input.contacts.columns.handling_cost="));
    Row row = checked.accepted().first();
    assertEquals("c1", row.getAs(Columns.CUSTOMER_ID));
    assertEquals("réclamation", row.getAs(Columns.CONTACT_TYPE));
    assertEquals(
        "{\"customer_id\":\"c1\",\"contact_ts\":\"2024-01-05 10:00:00\",\"contact_type\":\"Réclamation\"}",
        rawRecords(checked).get(0));
  }

  @Test
  void latin1AndWindows1252ExportsKeepAccentsPoundAndEuroSigns() throws IOException {
    // Online Retail's data.csv is ISO-8859-1; a European Excel writes windows-1252, where 0x80 is the euro sign.
    String latin1 =
        write(
            "data.csv",
            lines(
                StandardCharsets.ISO_8859_1,
                ONLINE_RETAIL_HEADER,
                "536365,85123A,CRÈME BRÛLÉE SET £5,6,12/1/2010 8:26,2.55,17850,United Kingdom"));
    CheckedInput fromLatin1 = orders(onlineRetail(latin1, "input.orders.encoding=ISO-8859-1"));
    assertTrue(rawRecords(fromLatin1).get(0).contains("\"Description\":\"CRÈME BRÛLÉE SET £5\""), rawRecords(fromLatin1).get(0));
    assertEquals(1, fromLatin1.accepted().count());

    String windows =
        write(
            "export-1252.csv",
            lines(
                Charset.forName("windows-1252"),
                "InvoiceNo;StockCode;Description;Quantity;InvoiceDate;UnitPrice;CustomerID;Country",
                "536366;22633;CAFÉ VOUCHER €10 / £8;1;12/1/2010 8:28;10;12583;France"));
    CheckedInput fromWindows =
        orders(onlineRetail(windows, "input.orders.encoding=windows-1252", "input.orders.csv_delimiter=;"));
    String raw = rawRecords(fromWindows).get(0);
    assertTrue(raw.contains("\"Description\":\"CAFÉ VOUCHER €10 / £8\""), raw);
    assertTrue(raw.contains("\"Country\":\"France\""), raw);
    assertEquals(new java.math.BigDecimal("10.00000000"), fromWindows.accepted().first().getAs(Columns.LINE_VALUE));
  }

  // ---- compression

  @Test
  void gzipAndBzip2FilesAreReadByTheirExtension() throws IOException {
    byte[] plain = lines(StandardCharsets.UTF_8, CONTACTS);
    for (String file : List.of(write("contacts.csv.gz", gzip(plain)), write("contacts.csv.bz2", bzip2(plain)))) {
      CheckedInput checked = contacts(Fixtures.config("input.contacts.path=" + file));
      assertTableApproxEquals(
          contactCosts(new Object[] {"c1", 2.5}, new Object[] {"c2", 20.0}),
          checked.accepted().select(Columns.CUSTOMER_ID, Columns.HANDLING_COST),
          EPS);
      assertTrue(checked.rows().first().<String>getAs(Columns.SOURCE_FILE).endsWith(file), file);
    }
  }

  @Test
  void aDirectoryMixingPlainAndGzippedPartsIsReadWhole() throws IOException {
    write("contacts/part-00000.csv", lines(StandardCharsets.UTF_8, CONTACTS));
    write(
        "contacts/part-00001.csv.gz",
        gzip(lines(StandardCharsets.UTF_8, CONTACTS[0], "c3,2024-01-07 10:00:00,billing,", "c4,2024-01-08 10:00:00,x,1")));
    CheckedInput checked = contacts(Fixtures.config("input.contacts.path=" + dir.resolve("contacts")));
    assertTableApproxEquals(
        contactCosts(new Object[] {"c1", 2.5}, new Object[] {"c2", 20.0}, new Object[] {"c3", 6.0}, new Object[] {"c4", 1.0}),
        checked.accepted().select(Columns.CUSTOMER_ID, Columns.HANDLING_COST),
        EPS);
    String source = checked.rows().filter(col(Columns.CUSTOMER_ID).equalTo("c4")).first().getAs(Columns.SOURCE_FILE);
    assertTrue(source.endsWith("/contacts/part-00001.csv.gz"), source);
  }

  // ---- timestamps and dates

  @Test
  void timestampsAreReadWithTheFirstPatternOfTheListThatFits() throws IOException {
    String file =
        write(
            "data.csv",
            lines(
                StandardCharsets.UTF_8,
                ONLINE_RETAIL_HEADER,
                "536365,85123A,A,1,12/1/2010 8:26,1,17850,United Kingdom",
                "536366,85123A,A,1,12/01/2010 08:28,1,17850,United Kingdom",
                "536367,85123A,A,1,2010-12-01 09:01:30,1,17850,United Kingdom",
                "536368,85123A,A,1,1.12.2010 09:02,1,17850,United Kingdom"));
    JobConfig config =
        onlineRetail(file, "input.orders.timestamp_pattern=[\"yyyy-MM-dd HH:mm:ss\", \"M/d/yyyy H:mm\"]");
    assertEquals(List.of("yyyy-MM-dd HH:mm:ss", "M/d/yyyy H:mm"), config.orders().timePatterns());
    CheckedInput checked = orders(config);
    StructType schema =
        new StructType()
            .add(Columns.ORDER_ID, DataTypes.StringType)
            .add(Columns.ORDER_TS, DataTypes.TimestampType)
            .add(Columns.REJECT_REASON, DataTypes.StringType);
    assertTableEquals(
        Fixtures.frame(
            schema,
            new Object[] {"536365", utc("2010-12-01T08:26:00Z"), null},
            new Object[] {"536366", utc("2010-12-01T08:28:00Z"), null},
            new Object[] {"536367", utc("2010-12-01T09:01:30Z"), null},
            // Neither pattern fits.
            new Object[] {"536368", null, "UNPARSABLE_TIMESTAMP"}),
        checked.rows().select(Columns.ORDER_ID, Columns.ORDER_TS, Columns.REJECT_REASON));
  }

  @Test
  void aPatternThatAnOlderParserWouldHaveReadLenientlyRejectsTheRowInsteadOfFailingTheRun() throws IOException {
    // dd/MM/yyyy HH:mm needs two digits where this export writes one: a reject, not a Spark upgrade error.
    String file =
        write(
            "data.csv",
            lines(StandardCharsets.UTF_8, ONLINE_RETAIL_HEADER, "536365,85123A,A,1,12/1/2010 8:26,1,17850,United Kingdom"));
    CheckedInput checked = orders(onlineRetail(file, "input.orders.timestamp_pattern=dd/MM/yyyy HH:mm"));
    assertEquals("UNPARSABLE_TIMESTAMP", checked.rows().first().getAs(Columns.REJECT_REASON));
  }

  @Test
  void invoiceDatesTakeAListOfPatternsToo() throws IOException {
    String file =
        write(
            "invoices.csv",
            lines(
                StandardCharsets.UTF_8,
                "customer_id,due_date,paid_date,amount",
                "c1,2024-01-31,25.01.2024,100",
                "c2,31.01.2024,,200",
                "c3,01/31/2024,,50"));
    JobConfig config =
        Fixtures.config(
            "input.invoices.path=" + file,
            "input.invoices.date_pattern=[yyyy-MM-dd, dd.MM.yyyy]",
            "input.invoices.columns.written_off=");
    CheckedInput checked = InvoicesIngest.check(InputReader.read(spark, config.invoices()), config.invoices());
    StructType schema =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.DUE_DATE, DataTypes.DateType)
            .add(Columns.PAID_DATE, DataTypes.DateType)
            .add(Columns.REJECT_REASON, DataTypes.StringType);
    assertTableEquals(
        Fixtures.frame(
            schema,
            new Object[] {"c1", Date.valueOf("2024-01-31"), Date.valueOf("2024-01-25"), null},
            new Object[] {"c2", Date.valueOf("2024-01-31"), null, null},
            new Object[] {"c3", null, null, "UNPARSABLE_DATE"}),
        checked.rows().select(Columns.CUSTOMER_ID, Columns.DUE_DATE, Columns.PAID_DATE, Columns.REJECT_REASON));
  }
}
