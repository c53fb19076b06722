package io.customerpyramid.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hostile-input corpus (src/test/resources/hostile-inputs, described in its README.md): every
 * file is either read with each of its records accounted for (read = accepted + rejected, against a
 * count taken from the file itself), or refused by name with its problem, or the input is refused
 * naming the column it lacks. Files that read alike share one Spark read, so the corpus costs a few
 * queries, not one job per file.
 */
class HostileInputCorpusTest {

  private static final Path CORPUS = Path.of("src/test/resources/hostile-inputs");
  private static final String ACCEPTED = "accepted";
  private static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = SparkTestSession.get();
  }

  @Test
  void everyRecordOfTheReadableFilesIsAcceptedOrRejectedForItsReason() throws IOException {
    Map<String, Map<String, Long>> expected = new TreeMap<>();
    expected.put("ancient-dates.csv", Map.of("DATE_OUT_OF_RANGE", 2L, ACCEPTED, 1L));
    expected.put("bom.csv", Map.of(ACCEPTED, 3L));
    expected.put("bzip2-ok.csv.bz2", Map.of(ACCEPTED, 3L));
    expected.put("crlf.csv", Map.of(ACCEPTED, 3L));
    expected.put("duplicate-rows.csv", Map.of(ACCEPTED, 2L, "DUPLICATE_ROW", 1L));
    expected.put("empty-lines.csv", Map.of(ACCEPTED, 3L));
    expected.put("escaped-quotes.csv", Map.of(ACCEPTED, 2L));
    expected.put("gzip-ok.csv.gz", Map.of(ACCEPTED, 3L));
    expected.put("huge-numbers.csv", Map.of("AMOUNT_OUT_OF_RANGE", 3L, ACCEPTED, 1L));
    expected.put("long-field.csv", Map.of("AMOUNT_OUT_OF_RANGE", 1L, ACCEPTED, 1L));
    expected.put("malformed.csv", Map.of(ACCEPTED, 2L, "MALFORMED_ROW", 2L));
    expected.put("missing-values.csv", Map.of("MISSING_ORDER_ID", 1L, "MISSING_CUSTOMER_ID", 1L, "MISSING_TIMESTAMP", 1L,
        "MISSING_AMOUNT", 1L, "UNPARSABLE_TIMESTAMP", 1L));
    expected.put("no-final-newline.csv", Map.of(ACCEPTED, 2L));
    expected.put("not-plain-numbers.csv", Map.of("NON_NUMERIC_AMOUNT", 5L));
    expected.put("quoted-fields.csv", Map.of("NON_NUMERIC_AMOUNT", 1L, ACCEPTED, 1L));
    expected.put("unicode.csv", Map.of(ACCEPTED, 2L));
    expected.put("whitespace.csv", Map.of(ACCEPTED, 1L));
    Path readable = CORPUS.resolve("readable");
    Map<String, Map<String, Long>> actual = statusesByFile(Fixtures.config("input.orders.path=" + readable.toAbsolutePath()));
    assertEquals(expected, actual);
    // The empty file and the header-only file hold no record; every other file's records are all there.
    try (var files = Files.list(readable)) {
      for (Path file : files.toList()) {
        long records = actual.getOrDefault(file.getFileName().toString(), Map.of()).values().stream().mapToLong(Long::longValue).sum();
        assertEquals(recordsIn(file), records, file.getFileName().toString());
      }
    }
  }

  @Test
  void filesWrittenAnotherWayAreReadWithTheirSettings() throws IOException {
    assertEquals(Map.of("orders.csv", Map.of(ACCEPTED, 3L)),
        statusesByFile(Fixtures.config("input.orders.path=" + corpus("trailing-delimiter"))));
    assertEquals(Map.of("orders.csv", Map.of(ACCEPTED, 3L)),
        statusesByFile(Fixtures.config("input.orders.path=" + corpus("multiline"), "input.orders.multiline=true")));
    assertEquals(Map.of("orders.csv", Map.of(ACCEPTED, 1L, "NON_NUMERIC_AMOUNT", 1L)),
        statusesByFile(Fixtures.config("input.orders.path=" + corpus("semicolon"), "input.orders.csv_delimiter=;")));
    JobConfig latin1 = Fixtures.config("input.orders.path=" + corpus("latin1"), "input.orders.encoding=ISO-8859-1");
    assertEquals(Map.of("orders.csv", Map.of(ACCEPTED, 2L)), statusesByFile(latin1));
    assertEquals(List.of("Müller", "clé"),
        checked(latin1).accepted().select(Columns.CUSTOMER_ID).orderBy(Columns.CUSTOMER_ID).as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }

  @Test
  void aFileThatIsNotThisInputIsRefusedByNameWithItsProblem() {
    Map<String, String> problems = new TreeMap<>();
    problems.put("another-table/returns.csv", "its first line is not the header of");
    problems.put("binary/image.csv", "binary content (a NUL byte in its first 508 bytes), not CSV text");
    problems.put("csv-and-parquet/part-00000.parquet", "binary content");
    problems.put("headerless-part/part-2.csv", "its first line is not the header of");
    problems.put("long-first-line/garbage.csv", "its first line is longer than 64 KiB: not a header");
    problems.put("truncated-gzip/more.csv.gz", "cannot be read as a gz file");
    problems.put("utf16-in-utf8/utf16.csv", "binary content");
    Map<String, String> found = new TreeMap<>();
    try (var dirs = Files.list(CORPUS.resolve("bad-files"))) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        String format = dir.getFileName().toString().startsWith("parquet") ? "parquet" : "csv";
        JobConfig config = Fixtures.config("input.orders.path=" + dir.toAbsolutePath(), "input.orders.format=" + format);
        InputFiles.Verdicts verdicts = InputFiles.check(spark.sparkContext().hadoopConfiguration(), config.orders(), config.orders().path().get());
        assertEquals(1, verdicts.readable().size(), dir + ": " + verdicts);
        for (InputFiles.BadFile bad : verdicts.bad()) {
          found.put(CORPUS.resolve("bad-files").toAbsolutePath().toUri().relativize(Path.of(java.net.URI.create(bad.file())).toUri()).getPath(), bad.problem());
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    problems.put("parquet-with-csv/stray.csv", "not a Parquet file (it does not start with PAR1)");
    assertEquals(problems.keySet(), found.keySet());
    problems.forEach((file, problem) -> assertTrue(found.get(file).startsWith(problem), file + ": " + found.get(file)));
  }

  @Test
  void anInputWithoutTheConfiguredColumnsNamesTheColumnAndTheColumnsFound() {
    InputError duplicateNames = assertThrows(InputError.class,
        () -> checked(Fixtures.config("input.orders.path=" + corpus("wrong-columns/duplicate-header-names"))));
    assertTrue(duplicateNames.getMessage().contains("column 'amount' (input.orders.columns.amount), column 'discount' (input.orders.columns.discount)"
            + " not found; columns found: order_id, customer_id, order_ts, amount3, amount4, cost_of_goods"),
        duplicateNames.getMessage());
    InputError delimiter = assertThrows(InputError.class, () -> checked(Fixtures.config("input.orders.path=" + corpus("wrong-columns/wrong-delimiter"))));
    assertTrue(delimiter.getMessage().contains("columns found: order_id;customer_id;order_ts;amount;discount;cost_of_goods"), delimiter.getMessage());
  }

  private static String corpus(String dir) {
    return CORPUS.resolve(dir).toAbsolutePath().toString();
  }

  private static CheckedInput checked(JobConfig config) {
    return OrdersIngest.check(InputReader.read(spark, config.orders()), config.orders(), config.orderRules(), config.costs().grossMarginRate());
  }

  /** file name -> status -> records, in one query over the whole input. */
  private static Map<String, Map<String, Long>> statusesByFile(JobConfig config) {
    Map<String, Map<String, Long>> byFile = new TreeMap<>();
    List<Row> counts = checked(config).rows()
        .groupBy(col(Columns.SOURCE_FILE), coalesce(col(Columns.REJECT_REASON), lit(ACCEPTED)).as("status")).count().collectAsList();
    for (Row r : counts) {
      String file = r.getString(0).substring(r.getString(0).lastIndexOf('/') + 1);
      byFile.computeIfAbsent(file, f -> new TreeMap<>()).put(r.getString(1), r.getLong(2));
    }
    return byFile;
  }

  /** Records as a person counts them in the file: lines that are not blank, after the header. */
  private static long recordsIn(Path file) throws IOException {
    String name = file.getFileName().toString();
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : name.endsWith(".bz2") ? new BZip2CompressorInputStream(raw) : raw;
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return Math.max(0, lines.lines().filter(line -> !line.isBlank()).count() - 1);
    }
  }
}
