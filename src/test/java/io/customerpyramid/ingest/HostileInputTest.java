package io.customerpyramid.ingest;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values and files that look like input and are not: each a reject or an error naming the file, never a lost row. */
class HostileInputTest {

  private static final String HEADER = "order_id,customer_id,order_ts,amount,discount,cost_of_goods";
  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void session() {
    spark = SparkTestSession.get();
  }

  private static CheckedInput orders(JobConfig config) {
    return OrdersIngest.check(InputReader.read(spark, config.orders()), config.orders(), config.orderRules(), config.costs().grossMarginRate());
  }

  /** order id -> status (null = accepted). */
  private static Map<String, String> statuses(CheckedInput checked) {
    Map<String, String> statuses = new TreeMap<>();
    for (Row r : checked.rows().select(Columns.ORDER_ID, Columns.REJECT_REASON).collectAsList()) {
      statuses.put(r.getString(0), r.getString(1));
    }
    return statuses;
  }

  @Test
  void amountsMustBePlainFiniteDecimalsBelowTheLimitAndDatesAfterTheMinimum() {
    String file = Fixtures.csv(dir, "orders.csv", HEADER,
        "ok-max,c1,2024-01-10 10:00:00,999999999999.99,,",
        "ok-exp,c1,2024-01-10 10:00:00,1.5e3,,",
        "huge,c1,2024-01-10 10:00:00,1e308,,",
        "limit,c1,2024-01-10 10:00:00,-1000000000000,,",
        "overflow,c1,2024-01-10 10:00:00,1e400,,",
        "long,c1,2024-01-10 10:00:00," + "1".repeat(5000) + ",,",
        "discount,c1,2024-01-10 10:00:00,10,1e13,",
        "suffix,c1,2024-01-10 10:00:00,12d,,",
        "hex,c1,2024-01-10 10:00:00,0x1p4,,",
        "nan,c1,2024-01-10 10:00:00,NaN,,",
        "inf,c1,2024-01-10 10:00:00,Infinity,,",
        "year1,c1,0001-01-01 00:00:00,10,,",
        "y1899,c1,1899-12-31 23:59:59,10,,",
        "y1900,c1,1900-01-01 00:00:00,10,,");
    Map<String, String> statuses = statuses(orders(Fixtures.config("input.orders.path=" + file)));
    Map<String, String> expected = new TreeMap<>();
    expected.put("ok-max", null);
    expected.put("ok-exp", null);
    expected.put("huge", "AMOUNT_OUT_OF_RANGE");
    expected.put("limit", "AMOUNT_OUT_OF_RANGE");
    expected.put("overflow", "AMOUNT_OUT_OF_RANGE");
    expected.put("long", "AMOUNT_OUT_OF_RANGE");
    expected.put("discount", "AMOUNT_OUT_OF_RANGE");
    expected.put("suffix", "NON_NUMERIC_AMOUNT");
    expected.put("hex", "NON_NUMERIC_AMOUNT");
    expected.put("nan", "NON_NUMERIC_AMOUNT");
    expected.put("inf", "NON_NUMERIC_AMOUNT");
    expected.put("year1", "DATE_OUT_OF_RANGE");
    expected.put("y1899", "DATE_OUT_OF_RANGE");
    expected.put("y1900", null);
    assertEquals(expected, statuses);
    // A lower limit and an earlier first day are the user's to set.
    Map<String, String> strict = statuses(orders(Fixtures.config("input.orders.path=" + file, "input.max_abs_amount=1000", "input.min_date=1800-01-01")));
    assertEquals("AMOUNT_OUT_OF_RANGE", strict.get("ok-exp"));
    assertEquals(null, strict.get("y1899"));
  }

  @Test
  void aPartFileWithoutHeaderFailsTheRunNamingItOrIsLeftOutAsOneReject() throws Exception {
    Path parts = Files.createDirectories(dir.resolve("orders"));
    Files.writeString(parts.resolve("part-1.csv"), HEADER + "\no1,c1,2024-01-10 10:00:00,10,,\no2,c1,2024-01-11 10:00:00,20,,\n");
    Files.writeString(parts.resolve("part-2.csv"), "o3,c2,2024-01-12 10:00:00,30,,\no4,c2,2024-01-13 10:00:00,40,,\n");
    Files.writeString(parts.resolve("_SUCCESS"), "");
    InputError error = assertThrows(InputError.class, () -> orders(Fixtures.config("input.orders.path=" + parts)));
    assertTrue(error.getMessage().contains("1 file(s) cannot be read as this input (input.orders.on_bad_file = \"skip\" leaves them out)"), error.getMessage());
    assertTrue(error.getMessage().contains("part-2.csv: its first line is not the header of"), error.getMessage());

    CheckedInput skipped = orders(Fixtures.config("input.orders.path=" + parts, "input.orders.on_bad_file=skip"));
    List<Row> rejects = skipped.rejects().collectAsList();
    assertEquals(1, rejects.size());
    assertEquals("UNREADABLE_FILE", rejects.get(0).getAs(Columns.REJECT_REASON));
    assertTrue(rejects.get(0).<String>getAs(Columns.SOURCE_FILE).endsWith("part-2.csv"));
    assertEquals(List.of("o1", "o2"), skipped.accepted().select(Columns.ORDER_ID).orderBy(Columns.ORDER_ID).as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }

  @Test
  void binaryAndTruncatedCompressedFilesAreNamedWithTheirProblem() throws Exception {
    Path parts = Files.createDirectories(dir.resolve("mixed"));
    Files.writeString(parts.resolve("part-1.csv"), HEADER + "\no1,c1,2024-01-10 10:00:00,10,,\n");
    byte[] binary = new byte[300];
    Arrays.fill(binary, (byte) 7);
    binary[10] = 0;
    Files.write(parts.resolve("part-2.csv"), binary);
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      gz.write((HEADER + "\no9,c1,2024-01-10 10:00:00,10,,\n").getBytes(StandardCharsets.UTF_8));
    }
    Files.write(parts.resolve("part-3.csv.gz"), Arrays.copyOf(zipped.toByteArray(), 12));
    InputError error = assertThrows(InputError.class, () -> orders(Fixtures.config("input.orders.path=" + parts)));
    assertTrue(error.getMessage().contains("2 file(s) cannot be read"), error.getMessage());
    assertTrue(error.getMessage().contains("part-2.csv: binary content (a NUL byte in its first 300 bytes), not CSV text"), error.getMessage());
    assertTrue(error.getMessage().contains("part-3.csv.gz: cannot be read as a gz file"), error.getMessage());
    CheckedInput skipped = orders(Fixtures.config("input.orders.path=" + parts, "input.orders.on_bad_file=skip"));
    assertEquals(2L, skipped.rejects().filter(col(Columns.REJECT_REASON).equalTo("UNREADABLE_FILE")).count());
    assertEquals(1L, skipped.accepted().count());
  }

  @Test
  void aQuotedValueOverSeveralLinesIsOneRowWhenTheInputSaysSo() {
    String file = Fixtures.csv(dir, "multi.csv", HEADER, "o1,c1,2024-01-10 10:00:00,10,,", "\"o2\nsecond line\",c1,2024-01-11 10:00:00,20,,",
        "o3,c1,2024-01-12 10:00:00,30,,");
    Map<String, String> statuses = statuses(orders(Fixtures.config("input.orders.path=" + file, "input.orders.multiline=true")));
    Map<String, String> expected = new TreeMap<>();
    expected.put("o1", null);
    expected.put("o2\nsecond line", null);
    expected.put("o3", null);
    assertEquals(expected, statuses);
  }
}
