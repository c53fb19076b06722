package io.customerpyramid.ingest;

import static io.customerpyramid.ingest.IngestFixtures.EPS;
import static io.customerpyramid.ingest.IngestFixtures.ORDERS_HEADER;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.features.Snapshot;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Row-checking of the returns, contacts and invoices inputs: customers resolved from the orders,
 * contact costs by type, invoice dates.
 */
class OtherInputsIngestTest {

  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void session() {
    spark = SparkTestSession.get();
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
            Columns.SOURCE_ROW, Columns.RAW_RECORD, Columns.SOURCE_FILE, Columns.CORRUPT_RECORD),
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
