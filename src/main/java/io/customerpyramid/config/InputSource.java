package io.customerpyramid.config;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where one input lives, how its files are written and how its columns are named.
 *
 * @param name logical input name (orders, returns, contacts, invoices)
 * @param path file or directory; empty for an optional input that is not configured
 * @param format csv or parquet
 * @param csv how a CSV file of this input is written (ignored for Parquet)
 * @param timePatterns java.time patterns of timestamps (or dates, for invoices) held as text, tried in order
 * @param customerIdFormat how customer ids are read
 * @param deduplication which rows are duplicates of an earlier one
 * @param columns logical column name to source column name, only for columns the source has; with
 *     {@code header = false}, source columns are 1-based positions ("1", "2", ...)
 * @param limits the range a value must be in to be accepted
 * @param onBadFile what a file that cannot be read as this input does to the run
 */
public record InputSource(
    String name,
    Optional<String> path,
    String format,
    CsvLayout csv,
    List<String> timePatterns,
    CustomerIdFormat customerIdFormat,
    Deduplication deduplication,
    Map<String, String> columns,
    ValueLimits limits,
    BadFilePolicy onBadFile)
    implements Serializable {

  public boolean isConfigured() {
    return path.isPresent();
  }

  public boolean hasColumn(String logicalName) {
    return columns.containsKey(logicalName);
  }

  /** The source column name behind a logical name. */
  public String sourceColumn(String logicalName) {
    String source = columns.get(logicalName);
    if (source == null) {
      throw new IllegalStateException("input." + name + ".columns." + logicalName + " is not mapped");
    }
    return source;
  }

  /** The same input with another column mapping (and deduplication, which may name mapped columns). */
  InputSource with(Map<String, String> newColumns, Deduplication newDeduplication) {
    return new InputSource(
        name, path, format, csv, timePatterns, customerIdFormat, newDeduplication, Map.copyOf(newColumns), limits, onBadFile);
  }

  /**
   * Values outside these are rejects, not data: an amount of 1e308 or a date in year 1 is a typo or
   * a placeholder, and would skew every sum or fail the write.
   *
   * @param maxAbsAmount money and quantities must be below this in absolute value ({@code AMOUNT_OUT_OF_RANGE})
   * @param minDate timestamps and dates before this day are {@code DATE_OUT_OF_RANGE}
   */
  public record ValueLimits(java.math.BigDecimal maxAbsAmount, java.time.LocalDate minDate) implements Serializable {}

  /** What a file that cannot be read as this input (not its header, binary, unreadable) does. */
  public enum BadFilePolicy {
    /** The run stops with an input error naming the file. */
    FAIL,
    /** The file is left out, and named and counted in the summary and the manifest. */
    SKIP
  }

  /**
   * How a CSV file is written.
   *
   * @param header true when the first line names the columns; false: columns are named by 1-based position
   * @param delimiter field delimiter
   * @param quote quote character
   * @param escape character that escapes a quote inside a quoted value (the quote itself: doubled quotes)
   * @param multiline true when a quoted value may hold line breaks (RFC 4180); each file is then one task
   * @param encoding Java charset name
   */
  public record CsvLayout(boolean header, String delimiter, String quote, String escape, String encoding, boolean multiline)
      implements Serializable {}

  /** How customer ids are read. */
  public enum CustomerIdFormat {
    /** Trimmed text, as written. */
    AS_IS("as-is"),
    /** A whole number: 17850, 17850.0 and " 17850.00 " are customer 17850; anything else is rejected. */
    INTEGER("integer");

    private final String configName;

    CustomerIdFormat(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }
  }

  /**
   * Which rows are duplicates: rows of one order of one customer (orders, returns) or of one customer
   * (contacts, invoices) equal in the compared source columns; the first copy is kept.
   *
   * @param columns the compared source columns when {@code mode} is {@link Mode#COLUMNS}; empty otherwise
   */
  public record Deduplication(Mode mode, List<String> columns) implements Serializable {

    /** What is compared. */
    public enum Mode {
      /** Every source column as read, mapped or not. */
      SOURCE_ROW,
      /** Nothing: no row is a duplicate. */
      OFF,
      /** The listed source columns. */
      COLUMNS
    }

    public static final Deduplication SOURCE_ROW = new Deduplication(Mode.SOURCE_ROW, List.of());
    public static final Deduplication OFF = new Deduplication(Mode.OFF, List.of());
  }
}
