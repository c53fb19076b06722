package io.customerpyramid.generate;

import static io.customerpyramid.generate.GeneratedDataQueries.CUSTOMERS;
import static io.customerpyramid.generate.GeneratedDataQueries.EARLIEST;
import static io.customerpyramid.generate.GeneratedDataQueries.END;
import static io.customerpyramid.generate.GeneratedDataQueries.END_DATE;
import static io.customerpyramid.generate.GeneratedDataQueries.SEED;
import static io.customerpyramid.generate.GeneratedDataQueries.SMALL_CUSTOMERS;
import static io.customerpyramid.generate.GeneratedDataQueries.TIMESTAMP_REGEX;
import static io.customerpyramid.generate.GeneratedDataQueries.UNPARSABLE_TIMESTAMP;
import static io.customerpyramid.generate.GeneratedDataQueries.counts;
import static io.customerpyramid.generate.GeneratedDataQueries.lineOptions;
import static io.customerpyramid.generate.GeneratedDataQueries.options;
import static io.customerpyramid.generate.GeneratedDataQueries.read;
import static io.customerpyramid.generate.GeneratedDataQueries.returnRate;
import static io.customerpyramid.generate.GeneratedDataQueries.rows;
import static io.customerpyramid.generate.GeneratedDataQueries.sortedLines;
import static io.customerpyramid.generate.SyntheticDataGenerator.AMOUNT;
import static io.customerpyramid.generate.SyntheticDataGenerator.CONTACTS;
import static io.customerpyramid.generate.SyntheticDataGenerator.CONTACT_TS;
import static io.customerpyramid.generate.SyntheticDataGenerator.CONTACT_TYPE;
import static io.customerpyramid.generate.SyntheticDataGenerator.CUSTOMER_ID;
import static io.customerpyramid.generate.SyntheticDataGenerator.DUE_DATE;
import static io.customerpyramid.generate.SyntheticDataGenerator.HANDLING_COST;
import static io.customerpyramid.generate.SyntheticDataGenerator.INPUTS;
import static io.customerpyramid.generate.SyntheticDataGenerator.INVOICES;
import static io.customerpyramid.generate.SyntheticDataGenerator.ORDERS;
import static io.customerpyramid.generate.SyntheticDataGenerator.ORDER_ID;
import static io.customerpyramid.generate.SyntheticDataGenerator.ORDER_TS;
import static io.customerpyramid.generate.SyntheticDataGenerator.PAID_DATE;
import static io.customerpyramid.generate.SyntheticDataGenerator.REFUND_AMOUNT;
import static io.customerpyramid.generate.SyntheticDataGenerator.RETURNS;
import static io.customerpyramid.generate.SyntheticDataGenerator.RETURN_TS;
import static io.customerpyramid.generate.SyntheticDataGenerator.WRITTEN_OFF;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.testing.SparkTestSession;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the synthetic data's shape, determinism, realism and planted bad rows on small runs. */
class SyntheticDataGeneratorTest extends LineLevelGeneratorChecks {

  @BeforeAll
  static void generate() {
    spark = SparkTestSession.get();
    withBad = tempDir.resolve("with-bad").toString();
    withBadCounts = SyntheticDataGenerator.generate(spark, options(SEED, withBad, "csv", false, true));
    clean = tempDir.resolve("clean").toString();
    SyntheticDataGenerator.generate(spark, options(SEED + 1, clean, "csv", false, false));
    lines = tempDir.resolve("lines").toString();
    SyntheticDataGenerator.generate(spark, lineOptions(lines, "csv"));
  }

  @Test
  void writesEveryInputWithTheJobsColumnsAndReturnsItsRowCount() {
    assertEquals(INPUTS, List.copyOf(withBadCounts.keySet()));
    assertArrayEquals(
        new String[] {"order_id", "customer_id", "order_ts", "amount", "discount", "cost_of_goods"},
        read(withBad, ORDERS).columns());
    assertArrayEquals(
        new String[] {"return_id", "order_id", "customer_id", "return_ts", "refund_amount"},
        read(withBad, RETURNS).columns());
    assertArrayEquals(
        new String[] {"contact_id", "customer_id", "contact_ts", "contact_type", "handling_cost"},
        read(withBad, CONTACTS).columns());
    assertArrayEquals(
        new String[] {"invoice_id", "customer_id", "due_date", "paid_date", "amount", "written_off"},
        read(withBad, INVOICES).columns());
    for (String input : INPUTS) {
      long rows = read(withBad, input).count();
      assertTrue(rows > 0, input);
      assertEquals(rows, withBadCounts.get(input), input);
    }
    long orders = withBadCounts.get(ORDERS);
    assertTrue(orders > 8 * CUSTOMERS && orders < 13 * CUSTOMERS, "about 10 orders per customer: " + orders);
    assertEquals(CUSTOMERS, read(withBad, ORDERS).select(CUSTOMER_ID).distinct().where(col(CUSTOMER_ID).isNotNull()).count());
  }

  @Test
  void anotherSeedGivesOtherData() {
    for (String input : INPUTS) {
      List<String> first = sortedLines(read(withBad, input));
      Set<String> shared = new HashSet<>(sortedLines(read(clean, input)));
      shared.retainAll(first);
      assertTrue(shared.size() < first.size() / 100, input + " shares " + shared.size() + " rows with another seed");
    }
  }

  @Test
  void orderIdsAreUniqueExceptThePlantedDuplicate() {
    List<Row> repeated =
        read(withBad, ORDERS).groupBy(ORDER_ID).count().where(col("count").gt(1)).collectAsList();
    assertEquals(1, repeated.size());
    assertEquals("O0000001000", repeated.get(0).getString(0));
    assertEquals(2L, repeated.get(0).getLong(1));
    Dataset<Row> cleanOrders = read(clean, ORDERS);
    assertEquals(cleanOrders.count(), cleanOrders.select(ORDER_ID).distinct().count());
    assertEquals(cleanOrders.count(), cleanOrders.distinct().count());
  }

  @Test
  void ordersHaveTheDocumentedFormats() {
    Dataset<Row> orders = read(clean, ORDERS);
    assertArrayEquals(
        new long[5],
        counts(
            orders,
            col(CUSTOMER_ID).rlike("^C\\d{7,}$").equalTo(false),
            col(ORDER_ID).rlike("^[OC]\\d{10,}$").equalTo(false),
            col(ORDER_TS).rlike(TIMESTAMP_REGEX).equalTo(false),
            col(AMOUNT).rlike("^-?\\d+\\.\\d{2}$").equalTo(false),
            col("discount").cast("double").lt(0)));
    Dataset<Row> regular = orders.where(col(ORDER_ID).startsWith("O"));
    assertEquals(0, rows(regular, col(AMOUNT).cast("double").leq(0)));
    Row margin =
        regular
            .select(
                min(lit(1).minus(col("cost_of_goods").divide(col(AMOUNT)))),
                max(lit(1).minus(col("cost_of_goods").divide(col(AMOUNT)))))
            .first();
    assertTrue(margin.getDouble(0) > 0.33 && margin.getDouble(1) < 0.47, "margin range " + margin);
  }

  @Test
  void cancellationsReverseAnEarlierOrderOfTheSameCustomer() {
    Dataset<Row> orders = read(clean, ORDERS);
    Dataset<Row> cancellations = orders.where(col(ORDER_ID).startsWith("C"));
    long share = cancellations.count() * 1000 / orders.count();
    assertTrue(share >= 5 && share <= 20, "cancellations per mille: " + share);
    Dataset<Row> originals =
        orders
            .where(col(ORDER_ID).startsWith("O"))
            .select(
                col(ORDER_ID).substr(2, 20).as("number"),
                col(CUSTOMER_ID).as("original_customer"),
                col(ORDER_TS).as("original_ts"),
                col(AMOUNT).as("original_amount"));
    Dataset<Row> matched =
        cancellations.join(originals, col(ORDER_ID).substr(2, 20).equalTo(col("number")));
    assertEquals(cancellations.count(), matched.count());
    assertEquals(
        0,
        rows(
            matched,
            col(CUSTOMER_ID).notEqual(col("original_customer"))
                .or(col(ORDER_TS).leq(col("original_ts")))
                .or(col(AMOUNT).cast("double").notEqual(col("original_amount").cast("double").multiply(-1)))
                .or(col("discount").cast("double").notEqual(0))));
  }

  @Test
  void everyReferencedCustomerAndOrderExists() {
    Dataset<Row> customers = read(withBad, ORDERS).select(CUSTOMER_ID).where(col(CUSTOMER_ID).isNotNull()).distinct();
    for (String input : List.of(RETURNS, CONTACTS, INVOICES)) {
      Dataset<Row> referenced = read(withBad, input).where(col(CUSTOMER_ID).isNotNull());
      assertEquals(0, referenced.join(customers, new String[] {CUSTOMER_ID}, "left_anti").count(), input);
    }
    Dataset<Row> orders =
        read(withBad, ORDERS)
            .where(col(ORDER_ID).startsWith("O"))
            .select(col(ORDER_ID), col(CUSTOMER_ID), col(ORDER_TS), col(AMOUNT).as("order_amount"))
            .dropDuplicates();
    Dataset<Row> returns = read(withBad, RETURNS);
    List<Row> orphans = returns.join(orders, new String[] {ORDER_ID, CUSTOMER_ID}, "left_anti").collectAsList();
    assertEquals(1, orphans.size(), "only the planted return of an unknown order: " + orphans);
    assertEquals("O0000001999", orphans.get(0).getAs(ORDER_ID));
    Dataset<Row> valid =
        returns
            .join(orders, new String[] {ORDER_ID, CUSTOMER_ID})
            .where(col(RETURN_TS).notEqual(UNPARSABLE_TIMESTAMP).and(col(REFUND_AMOUNT).notEqual("abc")));
    assertEquals(
        0,
        rows(
            valid,
            col(RETURN_TS).leq(col(ORDER_TS))
                .or(col(REFUND_AMOUNT).cast("double").gt(col("order_amount").cast("double")))
                .or(col(REFUND_AMOUNT).cast("double").leq(0))));
  }

  @Test
  void everyEventHappensBeforeTheEndDateExceptThePlantedOnes() {
    // Timestamps are compared as text: the format sorts chronologically.
    assertEquals(1, rows(read(withBad, ORDERS), col(ORDER_TS).geq(END)));
    assertEquals(1, rows(read(withBad, CONTACTS), col(CONTACT_TS).geq(END)));
    assertEquals(0, rows(read(withBad, RETURNS), col(RETURN_TS).geq(END)));
    assertEquals(0, rows(read(withBad, INVOICES), col(PAID_DATE).geq(END)));
    assertEquals(0, rows(read(clean, ORDERS), col(ORDER_TS).geq(END).or(col(ORDER_TS).lt(EARLIEST))));
    assertEquals(0, rows(read(clean, CONTACTS), col(CONTACT_TS).geq(END).or(col(CONTACT_TS).lt(EARLIEST))));
    assertEquals(0, rows(read(clean, RETURNS), col(RETURN_TS).geq(END)));
    long[] invoices =
        counts(
            read(clean, INVOICES),
            col(DUE_DATE).gt(END),
            col(DUE_DATE).gt(END).and(col(PAID_DATE).isNotNull().or(col(WRITTEN_OFF).equalTo("1"))),
            col(PAID_DATE).lt(functions.date_sub(col(DUE_DATE).cast("date"), 30).cast("string")));
    assertTrue(invoices[0] > 0, "some invoices are still open");
    assertEquals(0, invoices[1], "open invoices are unpaid and not written off");
    assertEquals(0, invoices[2], "no payment before the order");
  }

  @Test
  void topFifthOfCustomersEarnsMostOfTheRevenue() {
    List<Double> revenues =
        read(clean, ORDERS)
            .where(col(AMOUNT).cast("double").gt(0))
            .groupBy(CUSTOMER_ID)
            .agg(sum(col(AMOUNT).cast("double")).as("revenue"))
            .select("revenue")
            .collectAsList()
            .stream()
            .map(r -> r.getDouble(0))
            .sorted((a, b) -> Double.compare(b, a))
            .collect(Collectors.toList());
    double total = revenues.stream().mapToDouble(Double::doubleValue).sum();
    double top = revenues.stream().limit(revenues.size() / 5).mapToDouble(Double::doubleValue).sum();
    double share = top / total;
    assertTrue(share >= 0.55 && share <= 0.90, "top 20% revenue share " + share);
  }

  @Test
  void aboutOneCustomerInTenIsAProblemCustomer() {
    Dataset<Row> complaints =
        read(clean, CONTACTS)
            .groupBy(CUSTOMER_ID)
            .agg(sum(when(col(CONTACT_TYPE).equalTo("complaint"), 1).otherwise(0)).as("complaints"));
    Dataset<Row> returnsPerCustomer = read(clean, RETURNS).groupBy(CUSTOMER_ID).agg(count(lit(1)).as("returns"));
    Dataset<Row> perCustomer =
        read(clean, ORDERS)
            .where(col(ORDER_ID).startsWith("O"))
            .groupBy(CUSTOMER_ID)
            .agg(count(lit(1)).as("orders"))
            .join(complaints, new String[] {CUSTOMER_ID}, "left")
            .join(returnsPerCustomer, new String[] {CUSTOMER_ID}, "left")
            .na()
            .fill(0)
            .cache();
    Column problemLike = col("complaints").geq(3);
    long problems = rows(perCustomer, problemLike);
    assertTrue(problems >= CUSTOMERS * 6 / 100 && problems <= CUSTOMERS * 15 / 100, "problem-like customers: " + problems);
    double problemReturnRate = returnRate(perCustomer.where(problemLike));
    double otherReturnRate = returnRate(perCustomer.where(problemLike.equalTo(false)));
    assertTrue(
        problemReturnRate > 2 * otherReturnRate,
        "return rates: problem-like " + problemReturnRate + ", others " + otherReturnRate);
    long writtenOff = rows(read(clean, INVOICES), col(WRITTEN_OFF).equalTo("1"));
    assertTrue(writtenOff > 0, "some bad debt");
  }

  @Test
  void contactsHaveKnownTypesAndMostlyACost() {
    Dataset<Row> contacts = read(clean, CONTACTS);
    Set<String> types =
        contacts.select(CONTACT_TYPE).distinct().collectAsList().stream()
            .map(r -> r.getString(0))
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(List.of("billing", "complaint", "inquiry", "technical")), types);
    double missing = (double) rows(contacts, col(HANDLING_COST).isNull()) / contacts.count();
    assertTrue(missing > 0.15 && missing < 0.25, "missing handling cost share " + missing);
    Row complaintCost =
        contacts.where(col(CONTACT_TYPE).equalTo("complaint")).agg(avg(col(HANDLING_COST).cast("double"))).first();
    assertTrue(Math.abs(complaintCost.getDouble(0) - 20) < 1, "complaint cost " + complaintCost);
  }

  @Test
  void plantsEachDocumentedBadRow() {
    Dataset<Row> orders = read(withBad, ORDERS);
    assertArrayEquals(
        new long[] {1, 1, 1, 1},
        counts(
            orders,
            col(CUSTOMER_ID).isNull(),
            col(ORDER_TS).equalTo(UNPARSABLE_TIMESTAMP),
            col(AMOUNT).equalTo("12,3x"),
            col(ORDER_TS).equalTo(END_DATE.plusDays(BadRows.DAYS_AFTER_END) + " 12:00:00")));
    assertEquals(orders.count() - 1, orders.distinct().count());
    assertArrayEquals(
        new long[] {1, 1, 1},
        counts(
            read(withBad, RETURNS),
            col(CUSTOMER_ID).isNull().and(col(ORDER_ID).equalTo("O0000001999")),
            col(REFUND_AMOUNT).equalTo("abc"),
            col(RETURN_TS).equalTo(UNPARSABLE_TIMESTAMP)));
    assertArrayEquals(
        new long[] {1, 1},
        counts(read(withBad, CONTACTS), col(CUSTOMER_ID).isNull(), col(CONTACT_TS).equalTo(UNPARSABLE_TIMESTAMP)));
    assertArrayEquals(
        new long[] {1, 1, 1},
        counts(
            read(withBad, INVOICES),
            col(AMOUNT).equalTo("12,3x"),
            col(CUSTOMER_ID).isNull(),
            col(DUE_DATE).equalTo("2025-13-45")));
    for (String input : INPUTS) {
      assertEquals(0, rows(read(clean, input), col(CUSTOMER_ID).isNull()), input);
    }
    assertEquals(0, rows(read(clean, ORDERS), col(ORDER_TS).rlike(TIMESTAMP_REGEX).equalTo(false)));
  }

  @Test
  void sameSeedGivesIdenticalRowsInEitherFormatAndSingleFileWritesJustFourFiles() throws IOException {
    Path single = tempDir.resolve("single");
    Files.createDirectories(single);
    Files.writeString(single.resolve("orders.csv"), "left over from an earlier run\n");
    Map<String, Long> counts =
        SyntheticDataGenerator.generate(
            spark, new GeneratorOptions(SMALL_CUSTOMERS, SEED, single.toString(), "csv", true, true, END_DATE));
    String[] files = new File(single.toString()).list();
    Arrays.sort(files);
    assertArrayEquals(new String[] {"contacts.csv", "invoices.csv", "orders.csv", "returns.csv"}, files);

    String parquetDir = tempDir.resolve("parquet").toString();
    Map<String, Long> parquetCounts =
        SyntheticDataGenerator.generate(
            spark, new GeneratorOptions(SMALL_CUSTOMERS, SEED, parquetDir, "parquet", false, true, END_DATE));
    assertEquals(counts, parquetCounts);
    for (String input : INPUTS) {
      Dataset<Row> csv = spark.read().option("header", "true").csv(single.resolve(input + ".csv").toString());
      List<String> csvLines = sortedLines(csv);
      assertEquals(counts.get(input), csvLines.size(), input);
      assertEquals(csvLines, sortedLines(spark.read().parquet(parquetDir + "/" + input)), input);
    }
  }

  @Test
  void rejectsInvalidOptionsNamingTheValue() {
    IllegalArgumentException customers =
        assertThrows(IllegalArgumentException.class, () -> new GeneratorOptions(0, 1, "out", "csv", false, false, END_DATE));
    assertTrue(customers.getMessage().contains("0"), customers.getMessage());
    IllegalArgumentException format =
        assertThrows(IllegalArgumentException.class, () -> new GeneratorOptions(10, 1, "out", "json", false, false, END_DATE));
    assertTrue(format.getMessage().contains("json"), format.getMessage());
    IllegalArgumentException outDir =
        assertThrows(IllegalArgumentException.class, () -> new GeneratorOptions(10, 1, " ", "csv", false, false, END_DATE));
    assertTrue(outDir.getMessage().contains("outDir"), outDir.getMessage());
    assertEquals("parquet", new GeneratorOptions(10, 1, "out", "Parquet", false, false, END_DATE).format());
    IllegalArgumentException granularity =
        assertThrows(
            IllegalArgumentException.class, () -> new GeneratorOptions(10, 1, "out", "csv", false, false, END_DATE, "basket"));
    assertTrue(granularity.getMessage().contains("basket"), granularity.getMessage());
    assertEquals("order", new GeneratorOptions(10, 1, "out", "csv", false, false, END_DATE).granularity());
    assertTrue(new GeneratorOptions(10, 1, "out", "csv", false, false, END_DATE, " Line ").lineLevel());
  }

  @Test
  void partitioningDependsOnlyOnTheCustomerCount() {
    assertEquals(1, SyntheticDataGenerator.partitions(1));
    assertEquals(1, SyntheticDataGenerator.partitions(20_000));
    assertEquals(2, SyntheticDataGenerator.partitions(20_001));
    assertEquals(50, SyntheticDataGenerator.partitions(1_000_000));
  }

  @Test
  void eventIdsAreUnique() {
    for (String input : List.of(RETURNS, CONTACTS, INVOICES)) {
      Dataset<Row> data = read(clean, input);
      String id = data.columns()[0];
      assertEquals(data.count(), data.agg(countDistinct(col(id))).first().getLong(0), input);
    }
  }
}
