package io.customerpyramid.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The DuckDB side of jobs/bench. Commands (every option is "--name value"):
 *
 * <pre>
 *   convert  --sql DIR --csv DIR --parquet DIR           the CSV data set to typed Parquet, once
 *   run      --sql DIR --format csv|parquet --data DIR --out DIR --snapshot-date S [--threads N]
 *                                                        the metrics (sql/NN_*.sql) written as Parquet;
 *                                                        prints "step FILE SECONDS" per file
 *   compare  --sql DIR --job-customers DIR --duckdb-customers FILE
 *                                                        the agreement rule (sql/compare/); exit 3 on disagreement
 *   manifest --manifest FILE                             what jobs/bench needs of the job's run manifest,
 *                                                        as "key TAB value" lines
 * </pre>
 *
 * Exit codes: 0 success, 1 failure, 2 usage error, 3 the job and DuckDB disagree.
 */
public final class DuckDbBench {

  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;
  static final int DISAGREE = 3;

  private final PrintStream out = System.out;

  private DuckDbBench() {}

  public static void main(String[] args) {
    int code;
    try {
      code = new DuckDbBench().dispatch(args);
    } catch (UsageException e) {
      System.err.println("bench-duckdb: " + e.getMessage());
      code = USAGE;
    } catch (SQLException | IOException | UncheckedIOException e) {
      System.err.println("bench-duckdb: " + e.getMessage());
      code = FAILURE;
    }
    System.exit(code);
  }

  private int dispatch(String[] args) throws SQLException, IOException {
    if (args.length == 0) {
      throw new UsageException("a command is needed: convert, run, compare or manifest");
    }
    Map<String, String> options = options(args);
    return switch (args[0]) {
      case "convert" -> convert(options);
      case "run" -> run(options);
      case "compare" -> compare(options);
      case "manifest" -> manifest(options);
      default -> throw new UsageException("unknown command '" + args[0] + "'");
    };
  }

  /** The CSV data set as typed Parquet (sql/convert/csv_to_parquet.sql). */
  private int convert(Map<String, String> options) throws SQLException, IOException {
    Path sql = Path.of(required(options, "sql"));
    Path parquet = Path.of(required(options, "parquet"));
    for (String input : List.of("orders", "returns", "contacts", "invoices")) {
      Files.createDirectories(parquet.resolve(input));
    }
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
      setVariable(connection, "csv_dir", required(options, "csv"));
      setVariable(connection, "parquet_dir", parquet.toString());
      runScript(connection, sql.resolve("convert/csv_to_parquet.sql"));
    }
    return OK;
  }

  /** The metrics: sql/NN_*.sql in order, the inputs file of the format only; the time of each file. */
  private int run(Map<String, String> options) throws SQLException, IOException {
    Path sql = Path.of(required(options, "sql"));
    String format = required(options, "format");
    if (!format.equals("csv") && !format.equals("parquet")) {
      throw new UsageException("--format must be csv or parquet, got '" + format + "'");
    }
    Path outDir = Path.of(required(options, "out"));
    Files.createDirectories(outDir);
    List<Path> scripts = scripts(sql, format);
    long start = System.nanoTime();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
      out.printf(Locale.ROOT, "step\topen\t%.2f%n", seconds(start));
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET threads = " + Integer.parseInt(options.getOrDefault("threads", "2")));
        statement.execute("SET temp_directory = " + literal(outDir.resolve("duckdb_tmp").toString()));
      }
      setVariable(connection, "data_dir", required(options, "data"));
      setVariable(connection, "out_dir", outDir.toString());
      setVariable(connection, "snapshot_date", required(options, "snapshot-date"));
      for (Path script : scripts) {
        long scriptStart = System.nanoTime();
        runScript(connection, script);
        out.printf(Locale.ROOT, "step\t%s\t%.2f%n", script.getFileName(), seconds(scriptStart));
      }
    }
    out.printf(Locale.ROOT, "step\ttotal\t%.2f%n", seconds(start));
    return OK;
  }

  private static List<Path> scripts(Path sql, String format) throws IOException {
    try (Stream<Path> files = Files.list(sql)) {
      List<Path> scripts =
          files
              .filter(p -> p.getFileName().toString().matches("[0-9]{2}_.*\\.sql"))
              .filter(p -> !p.getFileName().toString().contains("_inputs_")
                  || p.getFileName().toString().endsWith("_inputs_" + format + ".sql"))
              .sorted()
              .toList();
      if (scripts.isEmpty()) {
        throw new UsageException("no NN_*.sql file in " + sql);
      }
      return scripts;
    }
  }

  /** The agreement checks, and on disagreement the customers that differ; exit 3 then. */
  private int compare(Map<String, String> options) throws SQLException, IOException {
    Path sql = Path.of(required(options, "sql"));
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
      setVariable(connection, "job_customers", required(options, "job-customers"));
      setVariable(connection, "duckdb_customers", required(options, "duckdb-customers"));
      List<List<String>> checks = runScript(connection, sql.resolve("compare/agreement.sql"));
      boolean agree = true;
      out.printf("%-20s %22s %22s%n", "check", "job", "duckdb");
      for (List<String> row : checks.subList(1, checks.size())) {
        boolean equal = Boolean.parseBoolean(row.get(3));
        agree &= equal;
        out.printf("%-20s %22s %22s%s%n", row.get(0), row.get(1), row.get(2), equal ? "" : "   DIFFERENT");
      }
      List<String> rfm = runScript(connection, sql.resolve("compare/rfm_scores.sql")).get(1);
      out.printf(
          "RFM scores: r differs for %s customers, f for %s, m for %s%n",
          rfm.get(0), rfm.get(1), rfm.get(2));
      if (agree) {
        out.println("agreement: the job and DuckDB agree (customers, customers per tier, total contribution to the cent, RFM scores)");
        return OK;
      }
      out.println();
      out.println("agreement: the job and DuckDB DISAGREE; customers that differ (at most 20, largest difference first):");
      printTable(runScript(connection, sql.resolve("compare/differences.sql")));
      return DISAGREE;
    }
  }

  /** run_id, customers, rows read per input, the customer_segments run directory and seconds_by_stage of a run manifest. */
  private int manifest(Map<String, String> options) throws SQLException, IOException {
    String json = Files.readString(Path.of(required(options, "manifest")));
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT 'run_id', j->>'$.run_id' FROM (SELECT CAST(? AS JSON) AS j)"
                    + " UNION ALL SELECT 'customers', j->>'$.customers' FROM (SELECT CAST(? AS JSON) AS j)"
                    + " UNION ALL SELECT 'customer_segments', j->>'$.tables.customer_segments' FROM (SELECT CAST(? AS JSON) AS j)"
                    + " UNION ALL SELECT 'read.' || key, value->>'read' FROM json_each(CAST(? AS JSON), '$.inputs')"
                    + " UNION ALL SELECT 'stage.' || key, CAST(value AS VARCHAR) FROM json_each(CAST(? AS JSON), '$.seconds_by_stage')")) {
      for (int i = 1; i <= 5; i++) {
        query.setString(i, json);
      }
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          out.println(rows.getString(1) + "\t" + rows.getString(2));
        }
      }
    }
    return OK;
  }

  /**
   * Runs the statements of one file in order; returns the rows of the last query (header first),
   * or an empty list. Statements end with ';' at the end of a line; '--' starts a comment.
   */
  private static List<List<String>> runScript(Connection connection, Path script) throws SQLException, IOException {
    List<List<String>> last = List.of();
    for (String sql : statements(Files.readString(script))) {
      try (Statement statement = connection.createStatement()) {
        if (statement.execute(sql)) {
          last = rows(statement.getResultSet());
        }
      } catch (SQLException e) {
        throw new SQLException(script.getFileName() + ": " + e.getMessage() + "\nin:\n" + sql, e);
      }
    }
    return last;
  }

  /** The statements of a script: comments removed (outside quotes), split at ';'. */
  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inQuote = false;
    for (int i = 0; i < script.length(); i++) {
      char c = script.charAt(i);
      if (!inQuote && c == '-' && i + 1 < script.length() && script.charAt(i + 1) == '-') {
        while (i < script.length() && script.charAt(i) != '\n') {
          i++;
        }
        current.append('\n');
        continue;
      }
      if (c == '\'') {
        inQuote = !inQuote;
      }
      if (!inQuote && c == ';') {
        if (!current.toString().isBlank()) {
          statements.add(current.toString().strip());
        }
        current.setLength(0);
        continue;
      }
      current.append(c);
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString().strip());
    }
    return statements;
  }

  private static List<List<String>> rows(ResultSet resultSet) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    ResultSetMetaData meta = resultSet.getMetaData();
    List<String> header = new ArrayList<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      header.add(meta.getColumnLabel(i));
    }
    rows.add(header);
    while (resultSet.next()) {
      List<String> row = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        row.add(String.valueOf(resultSet.getString(i)));
      }
      rows.add(row);
    }
    return rows;
  }

  private void printTable(List<List<String>> rows) {
    if (rows.isEmpty()) {
      return;
    }
    int[] widths = new int[rows.get(0).size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static void setVariable(Connection connection, String name, String value) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET VARIABLE " + name + " = " + literal(value));
    }
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new UsageException("options are '--name value' pairs; got '" + args[i] + "'");
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      throw new UsageException("--" + name + " is required");
    }
    return value;
  }

  /** A bad command line: exit code 2. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
