package io.customerpyramid.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.holdenkarau.spark.testing.DataFrameSuiteBase$;
import io.customerpyramid.config.ConfigLoader;
import io.customerpyramid.config.JobConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** Small helpers for building fixtures and comparing rows in tests. */
public final class Fixtures {

  public static final double TOLERANCE = 1e-6;

  private Fixtures() {}

  /** A DataFrame from literal rows with an explicit schema. */
  public static Dataset<Row> frame(StructType schema, Object[]... rows) {
    List<Row> list = Arrays.stream(rows).map(RowFactory::create).toList();
    return SparkTestSession.get().createDataFrame(list, schema);
  }

  /** The bundled defaults with overrides ("key=value"). */
  public static JobConfig config(String... overrides) {
    return ConfigLoader.load(Optional.empty(), List.of(overrides));
  }

  /** Writes a CSV file (lines joined with newlines) and returns its path. */
  public static String csv(Path dir, String name, String... lines) {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
      return file.toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Rows keyed by the string value of one column (for small results). */
  public static Map<String, Row> byKey(Dataset<Row> frame, String keyColumn) {
    Map<String, Row> rows = new HashMap<>();
    for (Row row : frame.collectAsList()) {
      rows.put(String.valueOf(row.<Object>getAs(keyColumn)), row);
    }
    return rows;
  }

  /** Compares two rows field by field, doubles within {@link #TOLERANCE} (spark-testing-base's approxEquals). */
  public static void assertRowApprox(Row expected, Row actual) {
    assertEquals(expected.size(), actual.size(), "row width: expected " + expected + " but was " + actual);
    assertTrue(
        DataFrameSuiteBase$.MODULE$.approxEquals(expected, actual, TOLERANCE),
        "expected " + expected + " but was " + actual);
  }

  /** Selects the named columns of one row into a new row (for comparison with an expected row). */
  public static Row pick(Row row, String... columns) {
    return RowFactory.create(Arrays.stream(columns).map(row::getAs).toArray());
  }
}
