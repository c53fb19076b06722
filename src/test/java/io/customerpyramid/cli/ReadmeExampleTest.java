package io.customerpyramid.cli;

import static io.customerpyramid.testing.DataFrameAssertions.assertTableEquals;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerpyramid.schema.Tables;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's line-level example, taken from the README itself, runs on a file of the same shape as
 * the export it names (the UCI Online Retail data.csv: ISO-8859-1, M/d/yyyy H:mm dates, products of
 * one invoice at equal quantity and price, a cancellation, a line exported twice, a line without a
 * customer, an Excel-style customer id), and every figure is checked against a hand computation.
 */
class ReadmeExampleTest {

  private static final String SNAPSHOT = "2010-12-10";

  /** InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country. */
  private static final List<String> EXPORT =
      List.of(
          "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country",
          // 17850: two products at 6 x 2.55 (30.60) and one at 8 x 2.75 (22.00): 52.60.
          "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom",
          "536365,71053,WHITE MÉTAL LANTERN,6,12/1/2010 8:26,2.55,17850,United Kingdom",
          "536365,84406B,CREAM CUPID HEARTS COAT HANGER,8,12/1/2010 8:26,2.75,17850,United Kingdom",
          // The same line exported twice: a duplicate (22.00 rejected).
          "536365,84406B,CREAM CUPID HEARTS COAT HANGER,8,12/1/2010 8:26,2.75,17850,United Kingdom",
          // 17850: a second order, zero-padded date: 6 x 1.85 = 11.10.
          "536366,22633,HAND WARMER UNION JACK,6,12/01/2010 08:28,1.85,17850,United Kingdom",
          // 17850: a cancellation of 27.50.
          "C536379,D,Discount,-1,12/1/2010 9:41,27.50,17850,United Kingdom",
          // 13047, written the way a spreadsheet writes it: 32 x 1.69 + 6 x 2.10 = 54.08 + 12.60 = 66.68.
          "536367,84879,ASSORTED COLOUR BIRD ORNAMENT,32,12/1/2010 8:34,1.69,13047.0,United Kingdom",
          "536367,22745,POPPY'S PLAYHOUSE BEDROOM £,6,12/1/2010 8:34,2.10,13047.0,United Kingdom",
          // No customer: rejected.
          "536414,22139,,56,12/1/2010 11:52,0,,United Kingdom");

  @TempDir static Path dir;
  private static String summary;

  @BeforeAll
  static void runTheReadmeExample() throws IOException {
    SparkTestSession.get();
    Path export = dir.resolve("data.csv");
    Files.writeString(export, String.join("\n", EXPORT) + "\n", StandardCharsets.ISO_8859_1);
    Path config = dir.resolve("online-retail.conf");
    Files.writeString(config, readmeExample(), StandardCharsets.UTF_8);
    PrintStream originalOut = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit =
          SegmentCli.execute(
              "run", "--config", config.toString(),
              "--set", "input.orders.path=" + export,
              "--set", "output.root=" + dir.resolve("output"),
              "--set", "snapshot.date=" + SNAPSHOT,
              "--set", "segmentation.k=2",
              "--set", "catalog.enabled=false");
    } finally {
      System.setOut(originalOut);
    }
    summary = captured.toString(StandardCharsets.UTF_8);
    assertEquals(ExitCodes.SUCCESS, exit, summary);
  }

  /** The HOCON block after "A company export works without renaming" in README.md. */
  private static String readmeExample() throws IOException {
    String readme = Files.readString(Path.of(System.getProperty("project.root", ".")).resolve("README.md"), StandardCharsets.UTF_8);
    Matcher block = Pattern.compile("A company export works without renaming.*?```hocon\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(block.find(), "README.md has the line-level example");
    return block.group(1);
  }

  private static Dataset<Row> table(String name) {
    return SparkTestSession.get().read().parquet(dir.resolve("output").resolve(name).toString());
  }

  @Test
  void everyCustomerFigureMatchesTheHandComputation() {
    StructType expected =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.FREQUENCY, DataTypes.LongType)
            .add(Columns.REVENUE, Money.STORED)
            .add(Columns.RETURNS, Money.STORED)
            .add(Columns.NET_REVENUE, Money.STORED)
            .add(Columns.COST_OF_GOODS, Money.STORED)
            .add(Columns.CONTRIBUTION, Money.STORED);
    assertTableEquals(
        Fixtures.frame(
            expected,
            // 52.60 + 11.10 = 63.70 revenue; 27.50 cancelled; costs at the default 40 % margin:
            // (63.70 - 27.50) x 0.6 = 21.72.
            new Object[] {"17850", 2L, 63.70, 27.50, 36.20, 21.72, 14.48},
            // 66.68 revenue; 66.68 x 0.6 = 40.008, stored 40.01.
            new Object[] {"13047", 1L, 66.68, 0.0, 66.68, 40.01, 26.67}),
        table(Tables.CUSTOMER_FEATURES),
        Columns.CUSTOMER_ID);
  }

  @Test
  void onlyTheLineExportedTwiceAndTheLineWithoutCustomerAreRejected() {
    assertEquals(
        List.of("DUPLICATE_ROW", "MISSING_CUSTOMER_ID"),
        table(Tables.REJECTS).orderBy(Columns.REJECT_REASON).select(Columns.REJECT_REASON).as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    String duplicate = table(Tables.REJECTS).filter(col(Columns.REJECT_REASON).equalTo("DUPLICATE_ROW")).first().getAs(Columns.RAW_RECORD);
    assertTrue(duplicate.contains("\"StockCode\":\"84406B\""), duplicate);
    assertTrue(
        table(Tables.REJECTS).filter(col(Columns.RAW_RECORD).contains("MÉTAL")).isEmpty(),
        "the second product at the same quantity and price is accepted");
  }

  @Test
  void theBooksBalanceAndTheSummaryAndManifestShowThem() throws IOException {
    JsonNode orders =
        new ObjectMapper()
            .readTree(dir.resolve("output").resolve(Tables.MANIFESTS).resolve(Columns.SNAPSHOT_DATE + "=" + SNAPSHOT).resolve("manifest.json").toFile())
            .get("books")
            .get("orders");
    // Accepted: 52.60 + 11.10 - 27.50 + 66.68; rejected: the duplicate's 22.00 and the customerless 0.
    assertEquals(0, new BigDecimal("102.88").compareTo(orders.get("accepted").decimalValue()), orders.toString());
    assertEquals(0, new BigDecimal("22.00").compareTo(orders.get("rejected").decimalValue()), orders.toString());
    assertEquals(0, new BigDecimal("124.88").compareTo(orders.get("read").decimalValue()), orders.toString());
    assertEquals(0, new BigDecimal("102.88").compareTo(orders.get("in_customer_features").decimalValue()), orders.toString());
    assertTrue(orders.get("balanced").asBoolean(), orders.toString());
    assertTrue(summary.matches("(?s).*\\n  orders +124\\.88 +102\\.88 +22\\.00 +0\\.00 +102\\.88  balanced\\n.*"), summary);
    assertTrue(summary.contains("returns     (not configured"), summary);
  }
}
