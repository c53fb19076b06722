package io.customerpyramid.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.config.InputSource;
import io.customerpyramid.schema.Columns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads one input (CSV or Parquet) and renames its mapped columns to the canonical names; every
 * row keeps its raw form and source file so that a reject can show it.
 */
public final class InputReader {

  private InputReader() {}

  /**
   * Canonical columns (as read: text for CSV, source types for Parquet) plus {@link
   * Columns#RAW_RECORD}, {@link Columns#SOURCE_FILE} and {@link Columns#CORRUPT_RECORD} (non-null
   * for a CSV line that does not fit the header).
   */
  public static Dataset<Row> read(SparkSession spark, InputSource source) {
    String path = source.path().orElseThrow(() -> new IllegalStateException(source.name() + " is not configured"));
    requireExists(spark, source, path);
    Dataset<Row> frame = "csv".equals(source.format()) ? readCsv(spark, source, path) : spark.read().parquet(path);
    List<String> found = new ArrayList<>(Arrays.asList(frame.columns()));
    found.remove(Columns.CORRUPT_RECORD);
    requireMappedColumns(source, path, found);

    List<Column> projection = new ArrayList<>();
    for (Map.Entry<String, String> mapping : source.columns().entrySet()) {
      projection.add(col(quote(mapping.getValue())).as(mapping.getKey()));
    }
    Column sourceColumns = struct(found.stream().map(name -> col(quote(name))).toArray(Column[]::new));
    Column corrupt =
        Arrays.asList(frame.columns()).contains(Columns.CORRUPT_RECORD)
            ? col(Columns.CORRUPT_RECORD)
            : org.apache.spark.sql.functions.lit(null).cast(DataTypes.StringType);
    projection.add(when(corrupt.isNotNull(), corrupt).otherwise(to_json(sourceColumns)).as(Columns.RAW_RECORD));
    projection.add(input_file_name().as(Columns.SOURCE_FILE));
    projection.add(corrupt.as(Columns.CORRUPT_RECORD));
    return frame.select(projection.toArray(Column[]::new));
  }

  private static Dataset<Row> readCsv(SparkSession spark, InputSource source, String path) {
    StructType header =
        spark.read().option("header", "true").option("sep", source.csvDelimiter()).option("inferSchema", "false").csv(path).schema();
    if (header.fields().length == 0) {
      throw new InputError("input " + source.name() + " (" + path + "): no header line found; the file is empty");
    }
    // Every column as text, so that a bad value becomes a reject row rather than a failed read.
    StructType schema = new StructType();
    for (StructField field : header.fields()) {
      schema = schema.add(field.name(), DataTypes.StringType, true);
    }
    schema = schema.add(Columns.CORRUPT_RECORD, DataTypes.StringType, true);
    return spark
        .read()
        .schema(schema)
        .option("header", "true")
        .option("sep", source.csvDelimiter())
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", Columns.CORRUPT_RECORD)
        .csv(path);
  }

  /** True when the configured path (file, directory or glob) matches something. */
  public static boolean exists(SparkSession spark, InputSource source) {
    String path = source.path().orElseThrow(() -> new IllegalStateException(source.name() + " is not configured"));
    try {
      Path hadoopPath = new Path(path);
      FileSystem fs = hadoopPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] matches = fs.globStatus(hadoopPath);
      return matches != null && matches.length > 0;
    } catch (IOException e) {
      throw new InputError("input." + source.name() + ".path: cannot access '" + path + "': " + e.getMessage(), e);
    }
  }

  private static void requireExists(SparkSession spark, InputSource source, String path) {
    if (!exists(spark, source)) {
      throw new InputError("input." + source.name() + ".path: nothing found at '" + path + "'");
    }
  }

  private static void requireMappedColumns(InputSource source, String path, List<String> found) {
    for (Map.Entry<String, String> mapping : source.columns().entrySet()) {
      if (!found.contains(mapping.getValue())) {
        throw new InputError(
            "input "
                + source.name()
                + " ("
                + path
                + "): column '"
                + mapping.getValue()
                + "' (input."
                + source.name()
                + ".columns."
                + mapping.getKey()
                + ") not found; columns found: "
                + String.join(", ", found));
      }
    }
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
