package io.customerpyramid.generate;

import static io.customerpyramid.generate.OrderLines.INVOICE_DATE;
import static io.customerpyramid.generate.OrderLines.INVOICE_NO;
import static io.customerpyramid.generate.OrderLines.QUANTITY;
import static io.customerpyramid.generate.OrderLines.UNIT_PRICE;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.testing.SparkTestSession;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** The generator's options in these tests, and queries over what it wrote: rows read once, counts in one pass, line values. */
final class GeneratedDataQueries {

  static final long CUSTOMERS = 2000;
  static final long SMALL_CUSTOMERS = 200;
  private static final long LINE_CUSTOMERS = 500;
  /** The last customer of the line-level fixture: ids sort like numbers (zero padded). */
  static final String LAST_LINE_CUSTOMER = "C0000500";
  static final long SEED = 7;
  static final LocalDate END_DATE = LocalDate.of(2026, 10, 31);
  static final String END = END_DATE.toString();
  static final String EARLIEST = END_DATE.minusYears(3).minusDays(1).toString();
  static final String UNPARSABLE_TIMESTAMP = "2025-13-45 99:00:00";
  static final String LINE_TIMESTAMP_REGEX =
      "^([1-9]|1[0-2])/([1-9]|[12]\\d|3[01])/\\d{4} ([0-9]|1\\d|2[0-3]):[0-5]\\d$";
  static final String CENTS = "decimal(20,2)";
  static final String TIMESTAMP_REGEX = "^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$";

  private static final Map<String, Dataset<Row>> READ = new HashMap<>();

  private GeneratedDataQueries() {}

  /** Line level, with bad rows, the same seed as the with-bad-rows fixture: its first customers' orders as lines. */
  static GeneratorOptions lineOptions(String outDir, String format) {
    return new GeneratorOptions(
        LINE_CUSTOMERS, SEED, outDir, format, false, true, END_DATE, GeneratorOptions.GRANULARITY_LINE);
  }

  static GeneratorOptions options(
      long seed, String outDir, String format, boolean singleFile, boolean withBadRows) {
    return new GeneratorOptions(CUSTOMERS, seed, outDir, format, singleFile, withBadRows, END_DATE);
  }

  /** The input as written, read once per test class: the data is small and read by many tests. */
  static Dataset<Row> read(String dir, String input) {
    return READ.computeIfAbsent(
        dir + "/" + input, path -> SparkTestSession.get().read().option("header", "true").csv(path).cache());
  }

  static List<String> sortedLines(Dataset<Row> data) {
    return data.collectAsList().stream().map(Row::toString).sorted().collect(Collectors.toList());
  }

  static long rows(Dataset<Row> data, Column condition) {
    return counts(data, condition)[0];
  }

  /** How many rows meet each condition, in one pass. */
  static long[] counts(Dataset<Row> data, Column... conditions) {
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

  static double returnRate(Dataset<Row> perCustomer) {
    Row sums = perCustomer.agg(sum("returns"), sum("orders")).first();
    return (double) sums.getLong(0) / sums.getLong(1);
  }

  /** The literal bad lines (not the double exports, which repeat generated lines). */
  static Column plantedLine() {
    return col(INVOICE_NO).isin(LongStream.range(0, 4).mapToObj(n -> BadRows.badId("O", n)).toArray());
  }

  /** True only where the condition is false or null: a value that does not match counts as a failure. */
  static Column fails(Column condition) {
    return coalesce(condition, lit(false)).equalTo(false);
  }

  static Column lineValue() {
    return col(QUANTITY).cast(CENTS).multiply(col(UNIT_PRICE).cast(CENTS));
  }

  static Column lineTimestamp() {
    return functions.to_timestamp(col(INVOICE_DATE), OrderLines.TIMESTAMP_PATTERN);
  }

  static long maxDistinct(Dataset<Row> data, String key, String value) {
    return data.groupBy(key).agg(countDistinct(col(value)).as("n")).agg(max("n")).first().getLong(0);
  }

  static List<String> strings(Dataset<Row> column) {
    return column.collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toList());
  }
}
