package io.customerpyramid.testing;

import static org.apache.spark.sql.functions.col;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import com.holdenkarau.spark.testing.SparkSessionProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Function1;
import scala.runtime.BoxedUnit;

/**
 * Whole-table assertions for JUnit 5 tests, on spark-testing-base's DataFrame comparison.
 *
 * <p>spark-testing-base compares two frames row by row in their order; these methods first select the
 * expected frame's columns from the actual one and put both in one order (by the given key columns,
 * then by every other orderable column), so row order never matters. A failure is an {@link
 * AssertionError} that shows the unequal rows (expected and result, up to 10 pairs), or both tables when
 * the row counts differ, or both schemas when the column types differ.
 *
 * <p>spark-testing-base's Java base classes are JUnit 4 suites; one instance is held here and only its
 * comparison methods are called, on the project's shared session ({@link SparkTestSession#get()}).
 */
public final class DataFrameAssertions {

  /** Rows of each side shown when the row counts differ. */
  private static final int ROWS_SHOWN = 20;

  private static SparkSession boundSession;
  private static JavaDataFrameSuiteBase suite;

  private DataFrameAssertions() {}

  /**
   * Asserts that {@code actual} has exactly the rows of {@code expected} in any order, on expected's
   * columns, matching rows after sorting by {@code keyColumns} (if any) and then every column.
   */
  public static void assertTableEquals(Dataset<Row> expected, Dataset<Row> actual, String... keyColumns) {
    compare(expected, actual, 0.0, keyColumns);
  }

  /**
   * Asserts like {@link #assertTableEquals}, but doubles may differ by at most {@code tolerance}
   * (absolute), so give key columns when rows could otherwise sort by nearly equal doubles.
   */
  public static void assertTableApproxEquals(
      Dataset<Row> expected, Dataset<Row> actual, double tolerance, String... keyColumns) {
    compare(expected, actual, tolerance, keyColumns);
  }

  /** The session spark-testing-base compares on (for the test of this class). */
  static SparkSession comparisonSession() {
    return suite().spark();
  }

  private static synchronized JavaDataFrameSuiteBase suite() {
    SparkSession session = SparkTestSession.get();
    if (suite == null || session != boundSession) {
      // spark() of spark-testing-base reads SparkSessionProvider, which only its JUnit-4 @Before
      // (runBefore, never called here) would fill by building a session: hand it ours instead. Its
      // spark() is a lazy val, so a session replaced by SparkTestSession gets a new instance.
      SparkSessionProvider._sparkSession_$eq(session);
      suite = new JavaDataFrameSuiteBase();
      boundSession = session;
    }
    return suite;
  }

  private static void compare(Dataset<Row> expected, Dataset<Row> actual, double tolerance, String[] keyColumns) {
    JavaDataFrameSuiteBase base = suite();
    String[] columns = expected.columns();
    Set<String> missing = new LinkedHashSet<>(Arrays.asList(columns));
    missing.removeAll(Arrays.asList(actual.columns()));
    if (!missing.isEmpty()) {
      throw new AssertionError(
          "actual table has no column(s) " + missing + "; its columns: " + Arrays.toString(actual.columns()));
    }
    List<String> order = sortColumns(expected.schema(), keyColumns);
    String sortedBy =
        "rows sorted by " + (keyColumns.length == 0 ? "all columns" : Arrays.toString(keyColumns) + ", then the other columns");
    Dataset<Row> e = inOrder(expected.select(cols(columns)), order);
    Dataset<Row> a = inOrder(actual.select(cols(columns)), order);
    List<Row> unequal = new ArrayList<>();
    Function1<Dataset<Row>, BoxedUnit> keepUnequal =
        rows -> {
          unequal.addAll(rows.collectAsList());
          return BoxedUnit.UNIT;
        };
    try {
      if (tolerance == 0.0) {
        base.assertDataFrameEquals(e, a, keepUnequal);
      } else {
        base.assertDataFrameApproximateEquals(e, a, tolerance, java.time.Duration.ZERO, keepUnequal);
      }
    } catch (AssertionError failure) {
      throw new AssertionError(describe(failure, e, a, unequal, sortedBy, tolerance), failure);
    }
  }

  /**
   * Both sides with the expected frame's columns, in one partition sorted by {@code order}, with every
   * field nullable: a hand-built expected frame declares nullability as its author chose while Spark
   * derives it for a computed one (count is never null, a CASE may be), and that difference says nothing
   * about the values; the written tables' exact schemas are checked against their DDL files elsewhere.
   */
  private static Dataset<Row> inOrder(Dataset<Row> frame, List<String> order) {
    // coalesce, not repartition: no extra shuffle (the last stage of the plan under test runs as one task).
    Dataset<Row> sorted = frame.coalesce(1).sortWithinPartitions(cols(order.toArray(String[]::new)));
    // Dataset.to(schema) keeps a non-nullable column non-nullable: re-declare the rows' schema instead.
    return frame.sparkSession().createDataFrame(sorted.javaRDD(), (StructType) nullable(frame.schema()));
  }

  private static DataType nullable(DataType type) {
    if (type instanceof StructType struct) {
      StructField[] fields =
          Arrays.stream(struct.fields())
              .map(f -> new StructField(f.name(), nullable(f.dataType()), true, Metadata.empty()))
              .toArray(StructField[]::new);
      return new StructType(fields);
    }
    if (type instanceof ArrayType array) {
      return new ArrayType(nullable(array.elementType()), true);
    }
    if (type instanceof MapType map) {
      return new MapType(nullable(map.keyType()), nullable(map.valueType()), true);
    }
    return type;
  }

  /** The key columns, then every other column of the expected frame that Spark can sort by. */
  private static List<String> sortColumns(StructType schema, String[] keyColumns) {
    Set<String> order = new LinkedHashSet<>(Arrays.asList(keyColumns));
    for (StructField field : schema.fields()) {
      if (orderable(field.dataType())) {
        order.add(field.name());
      }
    }
    return new ArrayList<>(order);
  }

  private static boolean orderable(DataType type) {
    if (type instanceof MapType) {
      return false;
    }
    if (type instanceof ArrayType array) {
      return orderable(array.elementType());
    }
    if (type instanceof StructType struct) {
      return Arrays.stream(struct.fields()).allMatch(f -> orderable(f.dataType()));
    }
    return true;
  }

  private static Column[] cols(String[] names) {
    return Arrays.stream(names).map(n -> col("`" + n + "`")).toArray(Column[]::new);
  }

  private static String describe(
      AssertionError failure, Dataset<Row> e, Dataset<Row> a, List<Row> unequal, String sortedBy, double tolerance) {
    String compared = sortedBy + (tolerance == 0.0 ? ", values compared exactly" : ", doubles within " + tolerance);
    if (!e.schema().equals(a.schema())) {
      return "tables have different column types (nullability ignored):\n  expected: " + e.schema().simpleString()
          + "\n  actual:   " + a.schema().simpleString();
    }
    if (!unequal.isEmpty()) {
      // spark-testing-base's rows: source_dataframe ("expected" / "result"), then the columns, in pairs.
      String[] names = unequal.get(0).schema().fieldNames();
      Set<String> differing = new LinkedHashSet<>();
      for (int i = 0; i + 1 < unequal.size(); i += 2) {
        for (int c = 1; c < names.length; c++) {
          if (!same(unequal.get(i).get(c), unequal.get(i + 1).get(c), tolerance)) {
            differing.add(names[c]);
          }
        }
      }
      int pairs = unequal.size() / 2;
      return "tables differ in " + pairs + (pairs >= 10 ? " or more rows (first 10 shown)" : " row(s)") + ", in column(s) "
          + differing + "; " + compared + ":\n" + table(names, unequal);
    }
    List<Row> expectedRows = e.limit(ROWS_SHOWN + 1).collectAsList();
    List<Row> actualRows = a.limit(ROWS_SHOWN + 1).collectAsList();
    return failure.getMessage() + " (row counts); " + compared + "\nexpected" + more(expectedRows) + ":\n"
        + table(e.columns(), expectedRows.subList(0, Math.min(ROWS_SHOWN, expectedRows.size())))
        + "actual" + more(actualRows) + ":\n"
        + table(a.columns(), actualRows.subList(0, Math.min(ROWS_SHOWN, actualRows.size())));
  }

  private static boolean same(Object expected, Object actual, double tolerance) {
    if (expected instanceof Double x && actual instanceof Double y) {
      return x.equals(y) || Math.abs(x - y) <= tolerance;
    }
    return java.util.Objects.equals(expected, actual);
  }

  private static String more(List<Row> rows) {
    return rows.size() > ROWS_SHOWN ? " (first " + ROWS_SHOWN + " rows)" : "";
  }

  /** Rows as an aligned text table, like {@code Dataset.show()}. */
  static String table(String[] header, List<Row> rows) {
    List<String[]> cells = new ArrayList<>();
    cells.add(header);
    for (Row row : rows) {
      String[] line = new String[header.length];
      for (int i = 0; i < header.length; i++) {
        line[i] = text(row.get(i));
      }
      cells.add(line);
    }
    int[] widths = new int[header.length];
    for (String[] line : cells) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    StringBuilder rule = new StringBuilder("+");
    for (int width : widths) {
      rule.append("-".repeat(width + 2)).append('+');
    }
    out.append(rule).append('\n');
    for (int r = 0; r < cells.size(); r++) {
      out.append('|');
      for (int i = 0; i < widths.length; i++) {
        out.append(' ').append(String.format("%-" + widths[i] + "s", cells.get(r)[i])).append(" |");
      }
      out.append('\n');
      if (r == 0) {
        out.append(rule).append('\n');
      }
    }
    return out.append(rule).append('\n').toString();
  }

  private static String text(Object value) {
    if (value instanceof scala.collection.Seq<?> seq) {
      return seq.mkString("[", ", ", "]");
    }
    return String.valueOf(value);
  }
}
