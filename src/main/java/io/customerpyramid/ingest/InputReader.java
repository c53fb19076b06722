package io.customerpyramid.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import io.customerpyramid.config.InputSource;
import io.customerpyramid.config.InputSource.CsvLayout;
import io.customerpyramid.config.InputSource.Deduplication;
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
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads one input (CSV or Parquet) and renames its mapped columns to the canonical names; every
 * row keeps its raw form and source file so that a reject can show it.
 */
public final class InputReader {

  private static final org.apache.logging.log4j.Logger LOG = org.apache.logging.log4j.LogManager.getLogger(InputReader.class);

  private InputReader() {}

  /**
   * Canonical columns (as read: text for CSV, source types for Parquet) plus the bookkeeping columns
   * a reject needs: {@link Columns#SOURCE_ROW} (the source columns as read, a struct), {@link
   * Columns#RAW_RECORD} (set only for a row that stands for a file left out), {@link
   * Columns#SOURCE_FILE}, {@link Columns#CORRUPT_RECORD} (non-null for a CSV line that does not fit
   * the header) and {@link Columns#DUPLICATE_KEY} (the compared columns when deduplication compares
   * chosen columns). The raw record of a row is rendered as text only if the row is rejected ({@link
   * CheckedInput}): most rows never need it.
   */
  public static Dataset<Row> read(SparkSession spark, InputSource source) {
    String path = source.path().orElseThrow(() -> new IllegalStateException(source.name() + " is not configured"));
    requireExists(spark, source, path);
    InputFiles.Verdicts verdicts = InputFiles.check(spark.sparkContext().hadoopConfiguration(), source, path);
    requireReadable(source, path, verdicts);
    String[] files = verdicts.readable().toArray(String[]::new);
    Dataset<Row> frame =
        "csv".equals(source.format())
            ? readCsv(spark, source, path, files)
            : withBasePath(spark.read(), spark, path).parquet(files);
    List<String> found = new ArrayList<>(Arrays.asList(frame.columns()));
    found.remove(Columns.CORRUPT_RECORD);
    requireMappedColumns(source, path, found);
    requireDeduplicationColumns(source, path, found);

    List<Column> projection = new ArrayList<>();
    for (Map.Entry<String, String> mapping : source.columns().entrySet()) {
      projection.add(col(quote(mapping.getValue())).as(mapping.getKey()));
    }
    Column corrupt =
        Arrays.asList(frame.columns()).contains(Columns.CORRUPT_RECORD)
            ? col(Columns.CORRUPT_RECORD)
            : lit(null).cast(DataTypes.StringType);
    projection.add(sourceRow(found).as(Columns.SOURCE_ROW));
    projection.add(lit(null).cast(DataTypes.StringType).as(Columns.RAW_RECORD));
    projection.add(input_file_name().as(Columns.SOURCE_FILE));
    projection.add(corrupt.as(Columns.CORRUPT_RECORD));
    projection.add(duplicateKey(source.deduplication()).as(Columns.DUPLICATE_KEY));
    projection.add(lit(null).cast(DataTypes.StringType).as(Columns.FILE_PROBLEM));
    Dataset<Row> rows = frame.select(projection.toArray(Column[]::new));
    return verdicts.bad().isEmpty() ? rows : rows.unionByName(badFileRows(spark, rows.schema(), verdicts.bad()));
  }

  /** The typed columns of a checked input followed by the bookkeeping columns {@link #read} adds, which rejects and duplicates need. */
  static Column[] withBookkeeping(Column... typed) {
    List<Column> columns = new ArrayList<>(Arrays.asList(typed));
    for (String name : List.of(Columns.SOURCE_ROW, Columns.RAW_RECORD, Columns.SOURCE_FILE, Columns.CORRUPT_RECORD, Columns.DUPLICATE_KEY)) {
      columns.add(col(name));
    }
    return columns.toArray(Column[]::new);
  }

  /** A bad file fails the run, or (on_bad_file = skip) is left out and stands as one UNREADABLE_FILE reject row. */
  private static void requireReadable(InputSource source, String path, InputFiles.Verdicts verdicts) {
    List<InputFiles.BadFile> bad = verdicts.bad();
    if (!bad.isEmpty() && source.onBadFile() == InputSource.BadFilePolicy.FAIL) {
      throw new InputError(
          "input " + source.name() + ": " + bad.size() + " file(s) cannot be read as this input (input." + source.name()
              + ".on_bad_file = \"skip\" leaves them out): " + String.join("; ", bad.stream().limit(5).map(Object::toString).toList())
              + (bad.size() > 5 ? "; ..." : ""));
    }
    if (verdicts.readable().isEmpty()) {
      throw new InputError(
          "input " + source.name() + " (" + path + "): no readable file"
              + (bad.isEmpty() ? "" : "; left out: " + String.join("; ", bad.stream().limit(5).map(Object::toString).toList())));
    }
    bad.forEach(file -> LOG.warn("input {}: left out {}", source.name(), file));
  }

  private static Dataset<Row> badFileRows(SparkSession spark, StructType readSchema, List<InputFiles.BadFile> bad) {
    // Such a row has no source row: every column may be null here, even the struct that is never null when read.
    StructType schema = new StructType();
    for (org.apache.spark.sql.types.StructField field : readSchema.fields()) {
      schema = schema.add(field.name(), field.dataType(), true);
    }
    List<Row> rows = new ArrayList<>();
    for (InputFiles.BadFile file : bad) {
      Object[] values = new Object[schema.fields().length];
      values[schema.fieldIndex(Columns.RAW_RECORD)] = "unreadable file: " + file.problem();
      values[schema.fieldIndex(Columns.SOURCE_FILE)] = file.file();
      values[schema.fieldIndex(Columns.FILE_PROBLEM)] = file.problem();
      rows.add(org.apache.spark.sql.RowFactory.create(values));
    }
    return spark.createDataFrame(rows, schema);
  }

  /** Partition directories (key=value) under a configured directory stay columns when files are listed one by one. */
  private static DataFrameReader withBasePath(DataFrameReader reader, SparkSession spark, String path) {
    try {
      Path hadoopPath = new Path(path);
      FileSystem fs = hadoopPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.isDirectory(hadoopPath) ? reader.option("basePath", path) : reader;
    } catch (IOException e) {
      throw new InputError("input: cannot access '" + path + "': " + e.getMessage(), e);
    }
  }

  /** The source columns as read, in their order: what a raw record shows and what duplicates share. */
  private static Column sourceRow(List<String> sourceColumns) {
    return struct(sourceColumns.stream().map(name -> col(quote(name))).toArray(Column[]::new));
  }

  /** The compared columns when deduplication compares chosen columns; null otherwise (the whole source row, or nothing). */
  private static Column duplicateKey(Deduplication deduplication) {
    return deduplication.mode() == Deduplication.Mode.COLUMNS
        ? sourceRow(deduplication.columns())
        : lit(null).cast(DataTypes.StringType);
  }

  private static Dataset<Row> readCsv(SparkSession spark, InputSource source, String path, String[] files) {
    CsvLayout layout = source.csv();
    StructType firstLine = csvReader(spark, layout).option("inferSchema", "false").csv(files[0]).schema();
    if (firstLine.fields().length == 0) {
      throw new InputError(
          "input " + source.name() + " (" + path + "): no " + (layout.header() ? "header " : "") + "line found; the file is empty");
    }
    // Every column as text, so that a bad value becomes a reject row rather than a failed read.
    StructType schema = new StructType();
    for (int i = 0; i < firstLine.fields().length; i++) {
      schema = schema.add(columnName(layout, firstLine.fields()[i].name(), i), DataTypes.StringType, true);
    }
    schema = schema.add(Columns.CORRUPT_RECORD, DataTypes.StringType, true);
    return withBasePath(csvReader(spark, layout), spark, path)
        .schema(schema)
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", Columns.CORRUPT_RECORD)
        .csv(files);
  }

  private static DataFrameReader csvReader(SparkSession spark, CsvLayout layout) {
    return spark
        .read()
        .option("header", Boolean.toString(layout.header()))
        .option("sep", layout.delimiter())
        .option("quote", layout.quote())
        .option("escape", layout.escape())
        .option("encoding", layout.encoding())
        .option("multiLine", Boolean.toString(layout.multiline()));
  }

  /** Without a header line a column is named by its 1-based position ("1", "2", ...), as the config maps it. */
  private static String columnName(CsvLayout layout, String headerName, int index) {
    return layout.header() ? headerName : Integer.toString(index + 1);
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

  /** Every configured column the file lacks, in the order of their logical names (the mapping itself has no order). */
  private static void requireMappedColumns(InputSource source, String path, List<String> found) {
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, String> mapping : new java.util.TreeMap<>(source.columns()).entrySet()) {
      if (!found.contains(mapping.getValue())) {
        missing.add("column '" + mapping.getValue() + "' (input." + source.name() + ".columns." + mapping.getKey() + ")");
      }
    }
    if (!missing.isEmpty()) {
      throw new InputError(
          "input " + source.name() + " (" + path + "): " + String.join(", ", missing) + " not found; columns found: "
              + String.join(", ", found));
    }
  }

  private static void requireDeduplicationColumns(InputSource source, String path, List<String> found) {
    for (String column : source.deduplication().columns()) {
      if (!found.contains(column)) {
        throw new InputError(
            "input " + source.name() + " (" + path + "): column '" + column + "' (input." + source.name()
                + ".deduplicate) not found; columns found: " + String.join(", ", found));
      }
    }
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
