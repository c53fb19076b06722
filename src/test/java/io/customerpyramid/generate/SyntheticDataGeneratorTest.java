package io.customerpyramid.generate;

import static io.customerpyramid.generate.OrderLines.COUNTRY;
import static io.customerpyramid.generate.OrderLines.DESCRIPTION;
import static io.customerpyramid.generate.OrderLines.INVOICE_DATE;
import static io.customerpyramid.generate.OrderLines.INVOICE_NO;
import static io.customerpyramid.generate.OrderLines.QUANTITY;
import static io.customerpyramid.generate.OrderLines.STOCK_CODE;
import static io.customerpyramid.generate.OrderLines.UNIT_PRICE;
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
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.ConfigLoader;
import io.customerpyramid.config.InputSource;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.ingest.CheckedInput;
import io.customerpyramid.ingest.InputCounts;
import io.customerpyramid.ingest.InputReader;
import io.customerpyramid.ingest.OrdersIngest;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.testing.SparkTestSession;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the synthetic data's shape, determinism, realism and planted bad rows on small runs. */
class SyntheticDataGeneratorTest {

  private static final long CUSTOMERS = 2000;
  private static final long SMALL_CUSTOMERS = 200;
  private static final long LINE_CUSTOMERS = 500;
  /** The last customer of the line-level fixture: ids sort like numbers (zero padded). */
  private static final String LAST_LINE_CUSTOMER = "C0000500";
  private static final long SEED = 7;
  private static final LocalDate END_DATE = LocalDate.of(2026, 10, 31);
  private static final String END = END_DATE.toString();
  private static final String EARLIEST = END_DATE.minusYears(3).minusDays(1).toString();
  private static final String UNPARSABLE_TIMESTAMP = "2025-13-45 99:00:00";
  private static final String LINE_TIMESTAMP_REGEX =
      "^([1-9]|1[0-2])/([1-9]|[12]\\d|3[01])/\\d{4} ([0-9]|1\\d|2[0-3]):[0-5]\\d$";
  private static final String CENTS = "decimal(20,2)";
  private static final String TIMESTAMP_REGEX = "^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$";

  @TempDir static Path tempDir;

  private static final Map<String, Dataset<Row>> READ = new HashMap<>();

  private static SparkSession spark;
  private static String withBad;
  private static Map<String, Long> withBadCounts;
  private static String clean;
  private static String lines;

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

  /** Line level, with bad rows, the same seed as {@link #withBad}: its first customers' orders as lines. */
  private static GeneratorOptions lineOptions(String outDir, String format) {
    return new GeneratorOptions(
        LINE_CUSTOMERS, SEED, outDir, format, false, true, END_DATE, GeneratorOptions.GRANULARITY_LINE);
  }

  private static GeneratorOptions options(
      long seed, String outDir, String format, boolean singleFile, boolean withBadRows) {
    return new GeneratorOptions(CUSTOMERS, seed, outDir, format, singleFile, withBadRows, END_DATE);
  }

  /** The input as written, read once per test class: the data is small and read by many tests. */
  private static Dataset<Row> read(String dir, String input) {
    return READ.computeIfAbsent(
        dir + "/" + input, path -> spark.read().option("header", "true").csv(path).cache());
  }

  private static List<String> sortedLines(Dataset<Row> data) {
    return data.collectAsList().stream().map(Row::toString).sorted().collect(Collectors.toList());
  }

  private static long rows(Dataset<Row> data, Column condition) {
    return counts(data, condition)[0];
  }

  /** How many rows meet each condition, in one pass. */
  private static long[] counts(Dataset<Row> data, Column... conditions) {
    Row row =
        data.agg(
                count(lit(1)),
                Arrays.stream(conditions).map(c -> sum(when(c, 1L).otherwise(0L))).toArray(Column[]::new))
            .first();
    long[] counts = new long[conditions.length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = row.isNullAt(i + 1) ? 0 : row.getLong(i + 1);
    }
    return counts;
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

  private static double returnRate(Dataset<Row> perCustomer) {
    Row sums = perCustomer.agg(sum("returns"), sum("orders")).first();
    return (double) sums.getLong(0) / sums.getLong(1);
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
  // ---- line level (--granularity line)

  /** The literal bad lines (not the double exports, which repeat generated lines). */
  private static Column plantedLine() {
    return col(INVOICE_NO).isin(LongStream.range(0, 4).mapToObj(n -> BadRows.badId("O", n)).toArray());
  }

  /** True only where the condition is false or null: a value that does not match counts as a failure. */
  private static Column fails(Column condition) {
    return coalesce(condition, lit(false)).equalTo(false);
  }

  private static Column lineValue() {
    return col(QUANTITY).cast(CENTS).multiply(col(UNIT_PRICE).cast(CENTS));
  }

  private static Column lineTimestamp() {
    return functions.to_timestamp(col(INVOICE_DATE), OrderLines.TIMESTAMP_PATTERN);
  }

  private static long firstOrderLines() {
    return rows(read(lines, ORDERS), col(INVOICE_NO).equalTo(BadRows.firstOrderId()));
  }

  @Test
  void lineLevelOrdersHaveTheExportsColumnsAndFormats() {
    Dataset<Row> orders = read(lines, ORDERS);
    assertEquals(
        List.of("InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"),
        List.of(orders.columns()));
    Dataset<Row> generated = orders.where(fails(plantedLine()));
    assertArrayEquals(
        new long[9],
        counts(
            generated,
            fails(col(INVOICE_NO).rlike("^[OC]\\d{10}$")),
            fails(col(STOCK_CODE).rlike("^1\\d{4}A?$")),
            fails(col(DESCRIPTION).rlike("^[A-Z0-9][A-Z0-9 -]+$")),
            fails(col(QUANTITY).rlike("^-?[1-9]\\d*$")),
            // M/d/yyyy H:mm without leading zeros, as in 12/1/2010 8:26
            fails(col(INVOICE_DATE).rlike(LINE_TIMESTAMP_REGEX)),
            fails(lineTimestamp().geq(EARLIEST).and(lineTimestamp().lt(END))),
            fails(col(UNIT_PRICE).rlike("^\\d+\\.\\d{2}$").and(col(UNIT_PRICE).cast(CENTS).geq(0.01))),
            fails(col(OrderLines.CUSTOMER_ID).rlike("^C\\d{7}$")),
            col(COUNTRY).isNull()));
    assertEquals(1, maxDistinct(generated, STOCK_CODE, DESCRIPTION), "one description per product");
    assertEquals(1, maxDistinct(generated, DESCRIPTION, STOCK_CODE), "one product per description");
    assertEquals(1, maxDistinct(generated, OrderLines.CUSTOMER_ID, COUNTRY), "one country per customer");
    Dataset<Row> customers = generated.select(OrderLines.CUSTOMER_ID, COUNTRY).distinct();
    double home = (double) rows(customers, col(COUNTRY).equalTo("United Kingdom")) / customers.count();
    assertTrue(home > 0.8 && home < 0.95, "share of United Kingdom customers " + home);
  }

  private static long maxDistinct(Dataset<Row> data, String key, String value) {
    return data.groupBy(key).agg(countDistinct(col(value)).as("n")).agg(max("n")).first().getLong(0);
  }

  @Test
  void everyOrderIsAnInvoiceOfOneOrMoreLinesThatSumToItsAmount() {
    Dataset<Row> orderLevel =
        read(withBad, ORDERS).where(col(CUSTOMER_ID).leq(LAST_LINE_CUSTOMER).or(col(CUSTOMER_ID).isNull()));
    Dataset<Row> lineLevel = read(lines, ORDERS);
    assertEquals(
        new TreeSet<>(strings(orderLevel.select(ORDER_ID).distinct())),
        new TreeSet<>(strings(lineLevel.select(INVOICE_NO).distinct())),
        "the invoice numbers are the order ids, bad rows included");

    // The double exports repeat whole lines: distinct() leaves each line once.
    Dataset<Row> perInvoice =
        lineLevel
            .where(fails(plantedLine()))
            .distinct()
            .groupBy(INVOICE_NO)
            .agg(count(lit(1)).as("lines"), sum(abs(col(QUANTITY).cast("long"))).as("units"), sum(lineValue()).as("value"));
    Dataset<Row> amounts =
        orderLevel.where(col(CUSTOMER_ID).isNotNull()).select(col(ORDER_ID).as(INVOICE_NO), col(AMOUNT).cast(CENTS).as(AMOUNT)).distinct();
    Dataset<Row> matched = perInvoice.join(amounts, new String[] {INVOICE_NO}, "inner").cache();
    assertEquals(perInvoice.count(), matched.count());
    // Each unit price is rounded to the cent (half a cent per unit) and is at least 0.01.
    Column tolerance = col("units").multiply(0.005).plus(col("lines").multiply(0.01));
    assertEquals(0, rows(matched, abs(col("value").minus(col(AMOUNT))).gt(tolerance)));
    Row shape =
        matched
            .where(col(INVOICE_NO).startsWith("O"))
            .agg(min("lines"), avg("lines"), max("lines"), avg(when(col("lines").equalTo(1), 1.0).otherwise(0.0)))
            .first();
    assertEquals(1L, shape.getLong(0));
    assertTrue(shape.getDouble(1) > 3.5 && shape.getDouble(1) < 4.5, "mean lines per invoice " + shape);
    assertTrue(shape.getLong(2) <= OrderLines.MAX_LINES, "most lines " + shape);
    assertTrue(shape.getDouble(3) > 0.2 && shape.getDouble(3) < 0.36, "single-line share " + shape);
  }

  private static List<String> strings(Dataset<Row> column) {
    return column.collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toList());
  }

  @Test
  void someInvoicesHaveSeveralProductsAtTheSameQuantityAndUnitPrice() {
    Dataset<Row> regular = read(lines, ORDERS).where(col(INVOICE_NO).startsWith("O").and(fails(plantedLine())));
    long multiLine =
        regular.groupBy(INVOICE_NO).agg(countDistinct(col(STOCK_CODE)).as("products")).where(col("products").geq(2)).count();
    long samePrice =
        regular
            .groupBy(INVOICE_NO, QUANTITY, UNIT_PRICE)
            .agg(countDistinct(col(STOCK_CODE)).as("products"))
            .where(col("products").geq(2))
            .select(INVOICE_NO)
            .distinct()
            .count();
    double share = (double) samePrice / multiLine;
    double documented = OrderLines.SAME_PRICE_PERCENT / 100.0;
    assertTrue(
        share > documented - 0.04 && share < documented + 0.04,
        samePrice + " of " + multiLine + " multi-line invoices have products at equal quantity and price: " + share);
    // Within an invoice the products differ: only the double exports repeat a StockCode.
    List<String> repeated =
        strings(
            read(lines, ORDERS).groupBy(INVOICE_NO, STOCK_CODE).count().where(col("count").gt(1)).select(INVOICE_NO).distinct());
    assertEquals(List.of(BadRows.firstOrderId()), repeated);
  }

  @Test
  void cancellationsRepeatTheOrdersLinesAtNegativeQuantityLater() {
    Dataset<Row> generated = read(lines, ORDERS).where(fails(plantedLine())).distinct();
    Column cancellation = col(INVOICE_NO).startsWith("C");
    assertArrayEquals(
        new long[2],
        counts(
            generated,
            cancellation.and(col(QUANTITY).cast("long").geq(0)),
            fails(cancellation).and(col(QUANTITY).cast("long").leq(0))));
    Dataset<Row> cancelled =
        generated
            .where(cancellation)
            .select(
                col(INVOICE_NO).substr(2, 20).as("number"),
                col(STOCK_CODE),
                col(QUANTITY).cast("long").as("cancelled_quantity"),
                col(UNIT_PRICE).as("cancelled_price"),
                col(OrderLines.CUSTOMER_ID).as("cancelled_customer"),
                lineTimestamp().as("cancelled_ts"));
    Dataset<Row> ordered =
        generated
            .where(fails(cancellation))
            .select(
                col(INVOICE_NO).substr(2, 20).as("number"),
                col(STOCK_CODE),
                col(QUANTITY).cast("long").as(QUANTITY),
                col(UNIT_PRICE),
                col(OrderLines.CUSTOMER_ID),
                lineTimestamp().as("ordered_ts"));
    long cancelledLines = cancelled.count();
    assertTrue(cancelledLines > 0, "some cancellations");
    Dataset<Row> matched = cancelled.join(ordered, new String[] {"number", STOCK_CODE}, "inner");
    assertEquals(cancelledLines, matched.count());
    assertEquals(
        0,
        rows(
            matched,
            col("cancelled_quantity").notEqual(negate(col(QUANTITY)))
                .or(col("cancelled_price").notEqual(col(UNIT_PRICE)))
                .or(col("cancelled_customer").notEqual(col(OrderLines.CUSTOMER_ID)))
                .or(col("cancelled_ts").leq(col("ordered_ts")))));
    Dataset<Row> cancelledNumbers = cancelled.select("number").distinct();
    assertEquals(cancelledLines, ordered.join(cancelledNumbers, new String[] {"number"}, "left_semi").count(), "every line is cancelled");
  }

  @Test
  void lineLevelRevenueKeepsTheHeavyTail() {
    List<Double> revenues =
        read(lines, ORDERS)
            .where(col(INVOICE_NO).startsWith("O").and(fails(plantedLine())))
            .groupBy(OrderLines.CUSTOMER_ID)
            .agg(sum(lineValue().cast("double")).as("revenue"))
            .select("revenue")
            .collectAsList()
            .stream()
            .map(r -> r.getDouble(0))
            .sorted((a, b) -> Double.compare(b, a))
            .collect(Collectors.toList());
    double total = revenues.stream().mapToDouble(Double::doubleValue).sum();
    double top = revenues.stream().limit(revenues.size() / 5).mapToDouble(Double::doubleValue).sum();
    assertTrue(top / total >= 0.55 && top / total <= 0.90, "top 20% revenue share " + top / total);
  }

  @Test
  void lineLevelIsDeterministicAndLeavesTheOtherInputsAsTheyAre() {
    String parquetDir = tempDir.resolve("lines-parquet").toString();
    Map<String, Long> parquetCounts = SyntheticDataGenerator.generate(spark, lineOptions(parquetDir, "parquet"));
    for (String input : INPUTS) {
      List<String> csvLines = sortedLines(read(lines, input));
      assertEquals(parquetCounts.get(input), csvLines.size(), input);
      assertEquals(csvLines, sortedLines(spark.read().parquet(parquetDir + "/" + input)), input);
    }
    // The same seed at order level, restricted to the same customers: the same returns, contacts, invoices.
    for (String input : List.of(RETURNS, CONTACTS, INVOICES)) {
      Dataset<Row> orderLevel =
          read(withBad, input).where(col(CUSTOMER_ID).leq(LAST_LINE_CUSTOMER).or(col(CUSTOMER_ID).isNull()));
      assertEquals(sortedLines(orderLevel), sortedLines(read(lines, input)), input);
    }
    Dataset<Row> invoiceNumbers = read(lines, ORDERS).select(col(INVOICE_NO).as(ORDER_ID));
    List<String> orphans = strings(read(lines, RETURNS).join(invoiceNumbers, new String[] {ORDER_ID}, "left_anti").select(ORDER_ID));
    assertEquals(List.of(BadRows.missingOrderId()), orphans, "only the planted return of an unknown order");
  }

  @Test
  void plantsEachDocumentedBadLine() {
    Dataset<Row> orders = read(lines, ORDERS);
    String future = OrderLines.format(END_DATE.plusDays(BadRows.DAYS_AFTER_END).atTime(12, 0));
    assertArrayEquals(
        new long[] {1, 1, 1, 1},
        counts(
            orders,
            col(OrderLines.CUSTOMER_ID).isNull(),
            col(INVOICE_DATE).equalTo("13/45/2025 99:00"),
            col(QUANTITY).equalTo("2x"),
            col(INVOICE_DATE).equalTo(future)));
    assertEquals(BadRows.badId("O", 3), orders.where(col(INVOICE_DATE).equalTo(future)).first().getAs(INVOICE_NO));
    long doubled = firstOrderLines();
    assertTrue(doubled >= 2 && doubled % 2 == 0, "every line of the first order twice: " + doubled);
    assertEquals(orders.count() - doubled / 2, orders.distinct().count(), "identical rows are the double exports");
  }

  /**
   * The job reads the line-level output as configured in conf/generated-lines.conf (the README's
   * snippet): products at equal quantity and price are accepted, only the second copies of the
   * double-exported lines are DUPLICATE_ROW, and the accepted value is the file's to the cent.
   */
  @Test
  void theJobReadsTheLineLevelOutputWithTheDocumentedConfig() {
    JobConfig config =
        ConfigLoader.load(
            Optional.of(new File("conf/generated-lines.conf")), List.of("input.orders.path=" + lines + "/" + ORDERS));
    InputSource source = config.orders();
    CheckedInput checked =
        OrdersIngest.check(InputReader.read(spark, source), source, config.orderRules(), config.costs().grossMarginRate())
            .persist();
    long doubled = firstOrderLines();
    assertEquals(
        Map.of("MISSING_CUSTOMER_ID", 1L, "UNPARSABLE_TIMESTAMP", 1L, "NON_NUMERIC_QUANTITY", 1L, "DUPLICATE_ROW", doubled / 2),
        InputCounts.of(checked).rejectedByReason());
    List<String> duplicates =
        strings(checked.rejects().where(col(Columns.REJECT_REASON).equalTo("DUPLICATE_ROW")).select(Columns.RAW_RECORD));
    for (String raw : duplicates) {
      assertTrue(raw.contains("\"InvoiceNo\":\"" + BadRows.firstOrderId() + "\""), "a double export: " + raw);
    }

    // Directly from the file, on the driver: each distinct line with a customer, a numeric quantity
    // and a date of the pattern, quantity x unit price in exact decimals.
    DateTimeFormatter pattern = DateTimeFormatter.ofPattern("M/d/uuuu H:mm").withResolverStyle(ResolverStyle.STRICT);
    Set<List<String>> distinctLines = new LinkedHashSet<>();
    for (Row row : read(lines, ORDERS).collectAsList()) {
      distinctLines.add(Arrays.asList(OrderLines.COLUMNS.stream().map(c -> (String) row.getAs(c)).toArray(String[]::new)));
    }
    BigDecimal expected = BigDecimal.ZERO.setScale(2);
    long expectedLines = 0;
    int quantityAt = OrderLines.COLUMNS.indexOf(QUANTITY);
    int priceAt = OrderLines.COLUMNS.indexOf(UNIT_PRICE);
    int dateAt = OrderLines.COLUMNS.indexOf(INVOICE_DATE);
    int customerAt = OrderLines.COLUMNS.indexOf(OrderLines.CUSTOMER_ID);
    for (List<String> line : distinctLines) {
      if (line.get(customerAt) == null || !line.get(quantityAt).matches("-?\\d+")) {
        continue;
      }
      try {
        LocalDateTime.parse(line.get(dateAt), pattern);
      } catch (DateTimeParseException e) {
        continue;
      }
      expected = expected.add(new BigDecimal(line.get(quantityAt)).multiply(new BigDecimal(line.get(priceAt))));
      expectedLines++;
    }
    List<Row> accepted = checked.accepted().select(Columns.LINE_VALUE, Columns.ORDER_ID, Columns.IS_RETURN_LINE).collectAsList();
    BigDecimal actual = BigDecimal.ZERO.setScale(2);
    for (Row row : accepted) {
      // Decimal from parse on: each line's value is exactly quantity x unit price.
      actual = actual.add(row.getDecimal(0));
      assertEquals(row.getString(1).startsWith("C"), row.getBoolean(2), "a return line is a cancellation: " + row);
    }
    assertEquals(expectedLines, accepted.size());
    assertEquals(0, expected.compareTo(actual), expected + " read from the file, " + actual + " accepted");
    checked.unpersist();
  }
}
