package io.customerpyramid.testing;

import io.customerpyramid.config.ConfigLoader;
import io.customerpyramid.config.JobConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Small helpers for building fixtures; tables are compared with {@link DataFrameAssertions}. */
public final class Fixtures {

  /** Absolute tolerance for doubles that tests compare with hand-computed values. */
  public static final double TOLERANCE = 1e-6;

  private Fixtures() {}

  /**
   * A DataFrame from literal rows with an explicit schema. A number given for a decimal column is
   * taken as written, rounded to the column's scale ({@code 12.5} is 12.50 in a DECIMAL(18,2) column), so money can be written as
   * plain literals.
   */
  public static Dataset<Row> frame(StructType schema, Object[]... rows) {
    List<Row> list = Arrays.stream(rows).map(values -> RowFactory.create(decimals(schema, values))).toList();
    return SparkTestSession.get().createDataFrame(list, schema);
  }

  private static Object[] decimals(StructType schema, Object[] values) {
    Object[] converted = values.clone();
    StructField[] fields = schema.fields();
    for (int i = 0; i < converted.length && i < fields.length; i++) {
      if (fields[i].dataType() instanceof DecimalType type
          && converted[i] instanceof Number number
          && !(number instanceof BigDecimal)) {
        // Rounded to the column's scale: a sum of double literals (24.380000000000003) means 24.38.
        converted[i] = new BigDecimal(number.toString()).setScale(type.scale(), RoundingMode.HALF_UP);
      }
    }
    return converted;
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
}
