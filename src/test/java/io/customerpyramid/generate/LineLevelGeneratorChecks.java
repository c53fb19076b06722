package io.customerpyramid.generate;

import static io.customerpyramid.generate.GeneratedDataQueries.CENTS;
import static io.customerpyramid.generate.GeneratedDataQueries.EARLIEST;
import static io.customerpyramid.generate.GeneratedDataQueries.END;
import static io.customerpyramid.generate.GeneratedDataQueries.END_DATE;
import static io.customerpyramid.generate.GeneratedDataQueries.LAST_LINE_CUSTOMER;
import static io.customerpyramid.generate.GeneratedDataQueries.LINE_TIMESTAMP_REGEX;
import static io.customerpyramid.generate.GeneratedDataQueries.UNPARSABLE_TIMESTAMP;
import static io.customerpyramid.generate.GeneratedDataQueries.counts;
import static io.customerpyramid.generate.GeneratedDataQueries.fails;
import static io.customerpyramid.generate.GeneratedDataQueries.lineOptions;
import static io.customerpyramid.generate.GeneratedDataQueries.lineTimestamp;
import static io.customerpyramid.generate.GeneratedDataQueries.lineValue;
import static io.customerpyramid.generate.GeneratedDataQueries.maxDistinct;
import static io.customerpyramid.generate.GeneratedDataQueries.plantedLine;
import static io.customerpyramid.generate.GeneratedDataQueries.read;
import static io.customerpyramid.generate.GeneratedDataQueries.rows;
import static io.customerpyramid.generate.GeneratedDataQueries.sortedLines;
import static io.customerpyramid.generate.GeneratedDataQueries.strings;
import static io.customerpyramid.generate.OrderLines.COUNTRY;
import static io.customerpyramid.generate.OrderLines.DESCRIPTION;
import static io.customerpyramid.generate.OrderLines.INVOICE_DATE;
import static io.customerpyramid.generate.OrderLines.INVOICE_NO;
import static io.customerpyramid.generate.OrderLines.QUANTITY;
import static io.customerpyramid.generate.OrderLines.STOCK_CODE;
import static io.customerpyramid.generate.OrderLines.UNIT_PRICE;
import static io.customerpyramid.generate.SyntheticDataGenerator.AMOUNT;
import static io.customerpyramid.generate.SyntheticDataGenerator.CONTACTS;
import static io.customerpyramid.generate.SyntheticDataGenerator.CUSTOMER_ID;
import static io.customerpyramid.generate.SyntheticDataGenerator.INPUTS;
import static io.customerpyramid.generate.SyntheticDataGenerator.INVOICES;
import static io.customerpyramid.generate.SyntheticDataGenerator.ORDERS;
import static io.customerpyramid.generate.SyntheticDataGenerator.ORDER_ID;
import static io.customerpyramid.generate.SyntheticDataGenerator.RETURNS;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.ConfigLoader;
import io.customerpyramid.config.InputSource;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.ingest.CheckedInput;
import io.customerpyramid.ingest.InputCounts;
import io.customerpyramid.ingest.InputReader;
import io.customerpyramid.ingest.OrdersIngest;
import io.customerpyramid.schema.Columns;
import java.io.File;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The line-level (--granularity line) checks of {@link SyntheticDataGeneratorTest}, on the data it
 * generates: abstract and inherited, so that the generation runs once for both parts.
 */
abstract class LineLevelGeneratorChecks {

  // Generated once, in SyntheticDataGeneratorTest's @BeforeAll: generation is what costs time here.
  @TempDir static Path tempDir;

  static SparkSession spark;
  static String withBad;
  static Map<String, Long> withBadCounts;
  static String clean;
  static String lines;

  static long firstOrderLines() {
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
