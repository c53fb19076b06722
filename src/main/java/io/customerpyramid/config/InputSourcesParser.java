package io.customerpyramid.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import io.customerpyramid.schema.Columns;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Parses the {@code input.*} section: the four input sources and the order rules. */
final class InputSourcesParser {

  private static final Set<String> FORMATS = Set.of("csv", "parquet");
  private static final java.util.regex.Pattern POSITION = java.util.regex.Pattern.compile("[1-9][0-9]*");
  /** Input amounts are DECIMAL(20,8): twelve integer digits. */
  private static final java.math.BigDecimal MAX_AMOUNT_LIMIT = java.math.BigDecimal.TEN.pow(12);

  /** The parsed inputs: orders (required), returns, contacts and invoices (optional). */
  record Inputs(InputSource orders, JobConfig.OrderRules orderRules, InputSource returns, InputSource contacts, InputSource invoices) {}

  private InputSourcesParser() {}

  static Inputs parse(Config c) {
    boolean lineGranularity = parseGranularity(c.getString("input.orders.granularity"));
    InputSource orders = inputSource(c, "orders", "timestamp_pattern");
    if (orders.path().isEmpty()) {
      throw new ConfigError("input.orders.path is required: the job needs order history");
    }
    requireColumns(orders, List.of(Columns.ORDER_ID, Columns.CUSTOMER_ID, Columns.ORDER_TS));
    if (lineGranularity) {
      requireColumns(orders, List.of(Columns.QUANTITY, Columns.UNIT_PRICE));
      orders = withoutColumns(orders, List.of(Columns.AMOUNT));
    } else {
      requireColumns(orders, List.of(Columns.AMOUNT));
      orders = withoutColumns(orders, List.of(Columns.QUANTITY, Columns.UNIT_PRICE));
    }
    InputSource returns = inputSource(c, "returns", "timestamp_pattern");
    if (returns.isConfigured()) {
      requireColumns(returns, List.of(Columns.RETURN_TS, Columns.REFUND_AMOUNT));
      if (!returns.hasColumn(Columns.ORDER_ID) && !returns.hasColumn(Columns.CUSTOMER_ID)) {
        throw new ConfigError("input.returns.columns: map order_id or customer_id (or both)");
      }
    }
    InputSource contacts = inputSource(c, "contacts", "timestamp_pattern");
    if (contacts.isConfigured()) {
      requireColumns(contacts, List.of(Columns.CUSTOMER_ID, Columns.CONTACT_TS, Columns.CONTACT_TYPE));
    }
    InputSource invoices = inputSource(c, "invoices", "date_pattern");
    if (invoices.isConfigured()) {
      requireColumns(invoices, List.of(Columns.CUSTOMER_ID, Columns.DUE_DATE, Columns.PAID_DATE, Columns.AMOUNT));
    }
    return new Inputs(
        orders, new JobConfig.OrderRules(lineGranularity, c.getString("input.orders.cancellation_prefix")), returns, contacts,
        invoices);
  }

  static boolean parseGranularity(String granularity) {
    return switch (granularity) {
      case "order" -> false;
      case "line" -> true;
      default -> throw new ConfigError(
          "input.orders.granularity must be 'order' or 'line', got '" + granularity + "'");
    };
  }

  /** Columns that belong to the other granularity are not read (a line export has no amount column). */
  static InputSource withoutColumns(InputSource source, List<String> logicalNames) {
    Map<String, String> columns = new LinkedHashMap<>(source.columns());
    logicalNames.forEach(columns::remove);
    return source.with(columns, source.deduplication());
  }

  static InputSource inputSource(Config c, String name, String patternKey) {
    String prefix = "input." + name + ".";
    String path = c.getString(prefix + "path").trim();
    String format = c.getString(prefix + "format").toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      throw new ConfigError(prefix + "format must be one of " + FORMATS + ", got '" + format + "'");
    }
    InputSource.CsvLayout csv = csvLayout(c, prefix);
    List<String> patterns = timePatterns(c, prefix + patternKey);
    InputSource.CustomerIdFormat customerIdFormat = customerIdFormat(c, prefix + "customer_id_format");
    Map<String, String> columns = new LinkedHashMap<>();
    for (String logical : c.getObject(prefix + "columns").keySet()) {
      String source = c.getString(prefix + "columns." + logical).trim();
      if (!source.isEmpty()) {
        columns.put(logical, source);
      }
    }
    InputSource.Deduplication deduplication = deduplication(c, prefix + "deduplicate");
    if (deduplication.mode() == InputSource.Deduplication.Mode.COLUMNS && columns.containsKey(Columns.LINE_ID)) {
      // Lines that differ in their line id are never duplicates, whatever else they share.
      List<String> compared = new ArrayList<>(deduplication.columns());
      if (!compared.contains(columns.get(Columns.LINE_ID))) {
        compared.add(columns.get(Columns.LINE_ID));
      }
      deduplication = new InputSource.Deduplication(InputSource.Deduplication.Mode.COLUMNS, List.copyOf(compared));
    }
    if (!csv.header() && format.equals("csv")) {
      columns.forEach((logical, source) -> requirePosition(prefix + "columns." + logical, prefix, source));
      deduplication.columns().forEach(source -> requirePosition(prefix + "deduplicate", prefix, source));
    }
    return new InputSource(
        name, path.isEmpty() ? Optional.empty() : Optional.of(path), format, csv, patterns, customerIdFormat, deduplication,
        Map.copyOf(columns), valueLimits(c), badFilePolicy(c, prefix + "on_bad_file"));
  }

  private static InputSource.ValueLimits valueLimits(Config c) {
    java.math.BigDecimal maxAbsAmount;
    try {
      maxAbsAmount = new java.math.BigDecimal(c.getString("input.max_abs_amount").trim()).stripTrailingZeros();
    } catch (NumberFormatException e) {
      throw new ConfigError("input.max_abs_amount must be a number, got '" + c.getString("input.max_abs_amount") + "'");
    }
    if (maxAbsAmount.signum() <= 0 || maxAbsAmount.compareTo(MAX_AMOUNT_LIMIT) > 0) {
      throw new ConfigError(
          "input.max_abs_amount must be above 0 and at most " + MAX_AMOUNT_LIMIT.toPlainString()
              + " (the exact decimal type of input amounts), got " + maxAbsAmount.toPlainString());
    }
    String minDate = c.getString("input.min_date").trim();
    try {
      return new InputSource.ValueLimits(maxAbsAmount, java.time.LocalDate.parse(minDate));
    } catch (java.time.format.DateTimeParseException e) {
      throw new ConfigError("input.min_date must be a date yyyy-MM-dd, got '" + minDate + "'");
    }
  }

  private static InputSource.BadFilePolicy badFilePolicy(Config c, String key) {
    String value = c.getString(key).trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "fail" -> InputSource.BadFilePolicy.FAIL;
      case "skip" -> InputSource.BadFilePolicy.SKIP;
      default -> throw new ConfigError(key + " must be fail or skip, got '" + value + "'");
    };
  }

  static InputSource.CsvLayout csvLayout(Config c, String prefix) {
    String delimiter = c.getString(prefix + "csv_delimiter");
    if (delimiter.isEmpty()) {
      throw new ConfigError(prefix + "csv_delimiter must not be empty");
    }
    String quote = c.getString(prefix + "quote");
    String escape = c.getString(prefix + "escape");
    for (Map.Entry<String, String> character : Map.of("quote", quote, "escape", escape).entrySet()) {
      if (character.getValue().length() != 1) {
        throw new ConfigError(
            prefix + character.getKey() + " must be a single character, got '" + character.getValue() + "'");
      }
    }
    String encoding = c.getString(prefix + "encoding").trim();
    try {
      encoding = java.nio.charset.Charset.forName(encoding).name();
    } catch (IllegalArgumentException e) {
      throw new ConfigError(
          prefix + "encoding: unknown character encoding '" + encoding + "' (for example UTF-8, ISO-8859-1, windows-1252)");
    }
    return new InputSource.CsvLayout(c.getBoolean(prefix + "header"), delimiter, quote, escape, encoding, c.getBoolean(prefix + "multiline"));
  }

  /** One pattern or a list of them, tried in order. */
  static List<String> timePatterns(Config c, String key) {
    List<String> patterns =
        c.getValue(key).valueType() == ConfigValueType.LIST ? c.getStringList(key) : List.of(c.getString(key));
    if (patterns.isEmpty()) {
      throw new ConfigError(key + " must give at least one pattern");
    }
    for (String pattern : patterns) {
      try {
        DateTimeFormatter.ofPattern(pattern);
      } catch (IllegalArgumentException e) {
        throw new ConfigError(key + ": invalid pattern '" + pattern + "': " + e.getMessage());
      }
    }
    return List.copyOf(patterns);
  }

  static InputSource.CustomerIdFormat customerIdFormat(Config c, String key) {
    String value = c.getString(key);
    return java.util.Arrays.stream(InputSource.CustomerIdFormat.values())
        .filter(f -> f.configName().equals(value))
        .findFirst()
        .orElseThrow(() -> new ConfigError(key + " must be 'as-is' or 'integer', got '" + value + "'"));
  }

  /** "source-row", "off" or a list of source column names. */
  static InputSource.Deduplication deduplication(Config c, String key) {
    if (c.getValue(key).valueType() == ConfigValueType.LIST) {
      List<String> listed = c.getStringList(key).stream().map(String::trim).distinct().toList();
      if (listed.isEmpty() || listed.contains("")) {
        throw new ConfigError(
            key + " must be \"source-row\", \"off\" or a list of source column names, got " + c.getStringList(key));
      }
      return new InputSource.Deduplication(InputSource.Deduplication.Mode.COLUMNS, listed);
    }
    String value = c.getString(key);
    return switch (value) {
      case "source-row" -> InputSource.Deduplication.SOURCE_ROW;
      case "off" -> InputSource.Deduplication.OFF;
      default -> throw new ConfigError(
          key + " must be \"source-row\", \"off\" or a list of source column names, got '" + value + "'");
    };
  }

  /** Without a header line, a CSV column is named by its 1-based position. */
  static void requirePosition(String key, String prefix, String sourceColumn) {
    if (!POSITION.matcher(sourceColumn).matches()) {
      throw new ConfigError(
          key + ": " + prefix + "header = false, so columns are 1-based positions (such as 1 for the first), got '"
              + sourceColumn + "'");
    }
  }

  static void requireColumns(InputSource input, List<String> logicalNames) {
    for (String logical : logicalNames) {
      if (!input.hasColumn(logical)) {
        throw new ConfigError(
            "input." + input.name() + ".columns." + logical + " must name a source column (it is required)");
      }
    }
  }
}
