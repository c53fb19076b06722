package io.customerpyramid.ingest;

import static io.customerpyramid.ingest.ExportFiles.contacts;
import static io.customerpyramid.ingest.ExportFiles.lines;
import static io.customerpyramid.ingest.ExportFiles.onlineRetail;
import static io.customerpyramid.ingest.ExportFiles.orders;
import static io.customerpyramid.ingest.ExportFiles.utc;
import static io.customerpyramid.testing.DataFrameAssertions.assertTableEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Customer ids exported as numbers (17850.0 from a spreadsheet, float64 from pandas) read as whole numbers when configured. */
class CustomerIdExportsTest {

  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void session() {
    spark = SparkTestSession.get();
  }

  private String write(String name, byte[] bytes) throws IOException {
    return ExportFiles.write(dir, name, bytes);
  }

  @Test
  void integerCustomerIdsFromASpreadsheetExportAreWholeNumbersAndOthersAreRejected() throws IOException {
    // Online Retail II, exported from Excel: "Customer ID" holds 17850.0.
    String file =
        write(
            "online_retail_II.csv",
            lines(
                StandardCharsets.UTF_8,
                "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country",
                "489434,85048,A,1,2009-12-01 07:45:00,1,17850.0,United Kingdom",
                "489435,85048,A,1,2009-12-01 07:46:00,1,17850,United Kingdom",
                "489436,85048,A,1,2009-12-01 07:47:00,1, 17850.00 ,United Kingdom",
                "489437,85048,A,1,2009-12-01 07:48:00,1,017850,United Kingdom",
                "489438,85048,A,1,2009-12-01 07:49:00,1,17850.5,United Kingdom",
                "489439,85048,A,1,2009-12-01 07:50:00,1,n/a,United Kingdom",
                "489440,85048,A,1,2009-12-01 07:51:00,1,,United Kingdom"));
    JobConfig config =
        onlineRetail(
            file,
            "input.orders.customer_id_format=integer",
            "input.orders.timestamp_pattern=yyyy-MM-dd HH:mm:ss",
            "input.orders.columns.order_id=Invoice",
            "input.orders.columns.customer_id=Customer ID",
            "input.orders.columns.unit_price=Price");
    StructType schema =
        new StructType()
            .add(Columns.ORDER_ID, DataTypes.StringType)
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.REJECT_REASON, DataTypes.StringType);
    assertTableEquals(
        Fixtures.frame(
            schema,
            new Object[] {"489434", "17850", null},
            new Object[] {"489435", "17850", null},
            new Object[] {"489436", "17850", null},
            new Object[] {"489437", "17850", null},
            new Object[] {"489438", null, "NON_INTEGER_CUSTOMER_ID"},
            new Object[] {"489439", null, "NON_INTEGER_CUSTOMER_ID"},
            new Object[] {"489440", null, "MISSING_CUSTOMER_ID"}),
        orders(config).rows().select(Columns.ORDER_ID, Columns.CUSTOMER_ID, Columns.REJECT_REASON));

    // As-is, the default, keeps the text: 17850.0 and 17850 are two customers.
    assertEquals(
        List.of("017850", "17850", "17850.0", "17850.00", "17850.5", "n/a"),
        orders(onlineRetail(file, "input.orders.timestamp_pattern=yyyy-MM-dd HH:mm:ss", "input.orders.columns.order_id=Invoice",
                "input.orders.columns.customer_id=Customer ID", "input.orders.columns.unit_price=Price"))
            .accepted()
            .select(Columns.CUSTOMER_ID)
            .orderBy(Columns.CUSTOMER_ID)
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList());
  }

  @Test
  void integerCustomerIdsInParquetDoublesAreWholeNumbers() {
    StructType schema =
        new StructType()
            .add("Invoice", DataTypes.StringType)
            .add("InvoiceDate", DataTypes.TimestampType)
            .add("Quantity", DataTypes.LongType)
            .add("Price", DataTypes.DoubleType)
            .add("Customer ID", DataTypes.DoubleType);
    String out = dir.resolve("online_retail_II.parquet").toString();
    // pandas writes an integer column with gaps as float64.
    Fixtures.frame(
            schema,
            new Object[] {"489434", utc("2009-12-01T07:45:00Z"), 1L, 1.0, 17850.0},
            new Object[] {"489435", utc("2009-12-01T07:46:00Z"), 1L, 1.0, 12345678.0},
            new Object[] {"489436", utc("2009-12-01T07:47:00Z"), 1L, 1.0, 17850.5},
            new Object[] {"489437", utc("2009-12-01T07:48:00Z"), 1L, 1.0, null})
        .write()
        .parquet(out);
    JobConfig config =
        onlineRetail(
            out,
            "input.orders.format=parquet",
            "input.orders.customer_id_format=integer",
            "input.orders.columns.order_id=Invoice",
            "input.orders.columns.customer_id=Customer ID",
            "input.orders.columns.unit_price=Price");
    StructType expected =
        new StructType()
            .add(Columns.ORDER_ID, DataTypes.StringType)
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.REJECT_REASON, DataTypes.StringType);
    assertTableEquals(
        Fixtures.frame(
            expected,
            new Object[] {"489434", "17850", null},
            // Not 1.2345678E7.
            new Object[] {"489435", "12345678", null},
            new Object[] {"489436", null, "NON_INTEGER_CUSTOMER_ID"},
            new Object[] {"489437", null, "MISSING_CUSTOMER_ID"}),
        orders(config).rows().select(Columns.ORDER_ID, Columns.CUSTOMER_ID, Columns.REJECT_REASON));
  }

  @Test
  void integerCustomerIdsOfTheOtherInputsMatchTheOrders() throws IOException {
    String ordersFile =
        write(
            "orders.csv",
            lines(StandardCharsets.UTF_8, "order_id,customer_id,order_ts,amount", "o1,17850,2024-01-10 10:00:00,100"));
    String contactsFile =
        write(
            "contacts.csv",
            lines(
                StandardCharsets.UTF_8,
                "customer_id,contact_ts,contact_type",
                "17850.0,2024-01-11 10:00:00,inquiry",
                "17850.5,2024-01-11 10:00:00,inquiry"));
    String returnsFile =
        write(
            "returns.csv",
            lines(
                StandardCharsets.UTF_8,
                "order_id,customer_id,return_ts,refund_amount",
                "o1,17850.00,2024-01-12 10:00:00,10",
                "o1,x,2024-01-12 10:00:00,10"));
    String invoicesFile =
        write(
            "invoices.csv",
            lines(StandardCharsets.UTF_8, "customer_id,due_date,paid_date,amount", "17850.0,2024-01-31,,100", "c,2024-01-31,,1"));
    JobConfig config =
        Fixtures.config(
            "input.orders.path=" + ordersFile,
            "input.orders.columns.discount=",
            "input.orders.columns.cost_of_goods=",
            "input.orders.customer_id_format=integer",
            "input.contacts.path=" + contactsFile,
            "input.contacts.columns.handling_cost=",
            "input.contacts.customer_id_format=integer",
            "input.returns.path=" + returnsFile,
            "input.returns.customer_id_format=integer",
            "input.invoices.path=" + invoicesFile,
            "input.invoices.columns.written_off=",
            "input.invoices.customer_id_format=integer");
    Dataset<Row> customerIds = orders(config).accepted().select(Columns.CUSTOMER_ID).distinct();
    List<CheckedInput> checked =
        List.of(
            KnownCustomers.check(contacts(config), customerIds),
            KnownCustomers.check(ReturnsIngest.check(InputReader.read(spark, config.returns()), config.returns()), customerIds),
            KnownCustomers.check(
                InvoicesIngest.check(InputReader.read(spark, config.invoices()), config.invoices()), customerIds));
    StructType schema =
        new StructType().add(Columns.CUSTOMER_ID, DataTypes.StringType).add(Columns.REJECT_REASON, DataTypes.StringType);
    for (CheckedInput input : checked) {
      assertTableEquals(
          Fixtures.frame(schema, new Object[] {"17850", null}, new Object[] {null, "NON_INTEGER_CUSTOMER_ID"}),
          input.rows().select(Columns.CUSTOMER_ID, Columns.REJECT_REASON));
    }
  }
}
