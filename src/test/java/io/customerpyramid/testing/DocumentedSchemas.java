package io.customerpyramid.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.customerpyramid.schema.Tables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The versioned schemas of the output tables. {@code src/test/resources/table-schemas/<table>.v<N>.ddl}
 * holds the columns of version N of a table; a table written with other columns under the same version
 * fails the test, so a schema change has to raise the table's version in {@link Tables#SCHEMA_VERSIONS}
 * and in docs/tables.md. Run the tests with {@code -Dtable.schemas.record=true} to record the file of a
 * new version (an existing version's file is never rewritten).
 */
public final class DocumentedSchemas {

  private static final Path ROOT = Path.of(System.getProperty("project.root", ".")).toAbsolutePath();
  private static final Path SCHEMAS = ROOT.resolve("src/test/resources/table-schemas");

  /** The partition columns, described once for all tables. */
  private static final java.util.Set<String> PARTITION_COLUMNS = java.util.Set.of("snapshot_date", "run_id");
  /** The first cell of a row of a markdown table: one column name, or several separated by commas. */
  private static final Pattern TABLE_ROW = Pattern.compile("^\\|([^|]+)\\|");
  private static final Pattern HEADER_ROW = Pattern.compile("^\\|\\s*(column|-+)\\s*\\|");

  private DocumentedSchemas() {}

  /** @param written the schema of the table as read back from its directory: its columns, then snapshot_date */
  public static void assertDocumented(String table, StructType written) throws IOException {
    int version = Tables.schemaVersion(table);
    Path file = SCHEMAS.resolve(table + ".v" + version + ".ddl");
    String actual = ddl(written);
    if (!Files.exists(file)) {
      if (Boolean.getBoolean("table.schemas.record")) {
        Files.createDirectories(SCHEMAS);
        Files.writeString(file, actual, StandardCharsets.UTF_8);
        return;
      }
      fail(table + " is at schema version " + version + " but " + file + " does not exist: record it with -Dtable.schemas.record=true");
    }
    assertEquals(
        Files.readString(file, StandardCharsets.UTF_8),
        actual,
        table + " changed its columns under schema version " + version
            + ": raise its version in Tables.SCHEMA_VERSIONS and docs/tables.md, then record the new version's file");
    assertDocumentedVersion(table, version);
    List<String> columns = java.util.Arrays.asList(written.fieldNames());
    assertEquals(List.of(), columnProblems(table, columns), "docs/tables.md against the columns of " + table);
  }

  /** The columns of a table's current schema version, as recorded in its DDL file. */
  public static List<String> recordedColumns(String table) throws IOException {
    Path file = SCHEMAS.resolve(table + ".v" + Tables.schemaVersion(table) + ".ddl");
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).map(l -> l.split(" ")[0]).toList();
  }

  /**
   * What docs/tables.md gets wrong about a table's columns: a column it does not mention in the
   * table's section (the {@code snapshot_date} and {@code run_id} partition columns are described once for all tables), or
   * a column its table of columns lists that the table does not have. Empty when the section is right.
   */
  public static List<String> columnProblems(String table, List<String> columns) throws IOException {
    String section = section(table);
    List<String> problems = new ArrayList<>();
    for (String column : columns) {
      if (!PARTITION_COLUMNS.contains(column) && !Pattern.compile("(?<!\\w)" + column + "(?!\\w)").matcher(section).find()) {
        problems.add(column + " is not documented");
      }
    }
    for (String line : section.split("\n")) {
      Matcher row = TABLE_ROW.matcher(line);
      if (row.find() && !HEADER_ROW.matcher(line).find()) {
        for (String name : row.group(1).split(",")) {
          String documented = name.strip().replace("`", "");
          if (!columns.contains(documented)) {
            problems.add(documented + " is documented but not a column");
          }
        }
      }
    }
    return problems;
  }

  private static String section(String table) throws IOException {
    String docs = Files.readString(ROOT.resolve("docs/tables.md"), StandardCharsets.UTF_8);
    Matcher section = Pattern.compile("### `" + table + "`(.*?)(?=\\n### |\\z)", Pattern.DOTALL).matcher(docs);
    assertTrue(section.find(), "docs/tables.md has no section for " + table);
    return section.group(1);
  }

  /** docs/tables.md says "Schema version N" in the table's section. */
  private static void assertDocumentedVersion(String table, int version) throws IOException {
    Matcher documented = Pattern.compile("Schema version (\\d+)").matcher(section(table));
    assertTrue(documented.find(), "docs/tables.md does not give the schema version of " + table);
    assertEquals(version, Integer.parseInt(documented.group(1)), "docs/tables.md's schema version of " + table);
  }

  /** One line per column: name, type; nullability is not part of a Parquet table's contract. */
  static String ddl(StructType schema) {
    StringBuilder out = new StringBuilder();
    for (StructField field : schema.fields()) {
      out.append(field.name()).append(' ').append(field.dataType().sql()).append('\n');
    }
    return out.toString();
  }
}
