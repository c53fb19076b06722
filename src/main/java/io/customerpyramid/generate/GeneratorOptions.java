package io.customerpyramid.generate;

import java.time.LocalDate;
import java.util.Locale;

/**
 * Immutable, validated settings for one run of the {@link SyntheticDataGenerator}.
 *
 * @param customers number of customers, 1 to {@link #MAX_CUSTOMERS}
 * @param seed seed every random value is derived from
 * @param outDir directory (any Hadoop path) the four inputs are written under
 * @param format {@code csv} or {@code parquet}; given in any case, held in lower case
 * @param singleFile write each input as one file {@code outDir/<input>.<format>} (small samples only)
 * @param withBadRows append a few deliberately invalid rows to each input
 * @param endDate last day of the history; no event happens after it
 * @param granularity of the orders input: {@code order} (one row per order) or {@code line} (one
 *     row per product line); given in any case, held in lower case
 */
public record GeneratorOptions(
    long customers,
    long seed,
    String outDir,
    String format,
    boolean singleFile,
    boolean withBadRows,
    LocalDate endDate,
    String granularity) {

  public static final String FORMAT_CSV = "csv";
  public static final String FORMAT_PARQUET = "parquet";
  /** One row per order: order_id, customer_id, order_ts, amount, discount, cost_of_goods. */
  public static final String GRANULARITY_ORDER = "order";
  /** One row per product line, shaped like a retail line-level export (see {@link SyntheticDataGenerator}). */
  public static final String GRANULARITY_LINE = "line";

  /** Upper bound on customers: keeps the ids (customer number times 1000 plus a slot) short. */
  public static final long MAX_CUSTOMERS = 1_000_000_000L;

  /** @throws IllegalArgumentException if a value is out of range */
  public GeneratorOptions {
    if (customers < 1 || customers > MAX_CUSTOMERS) {
      throw new IllegalArgumentException(
          "customers must be between 1 and " + MAX_CUSTOMERS + ", got " + customers);
    }
    if (outDir == null || outDir.isBlank()) {
      throw new IllegalArgumentException("outDir must not be empty, got '" + outDir + "'");
    }
    String normalizedFormat = format == null ? null : format.trim().toLowerCase(Locale.ROOT);
    if (!FORMAT_CSV.equals(normalizedFormat) && !FORMAT_PARQUET.equals(normalizedFormat)) {
      throw new IllegalArgumentException("format must be csv or parquet, got '" + format + "'");
    }
    String normalizedGranularity = granularity == null ? null : granularity.trim().toLowerCase(Locale.ROOT);
    if (!GRANULARITY_ORDER.equals(normalizedGranularity) && !GRANULARITY_LINE.equals(normalizedGranularity)) {
      throw new IllegalArgumentException("granularity must be order or line, got '" + granularity + "'");
    }
    if (endDate == null) {
      throw new IllegalArgumentException("endDate must be set, got null");
    }
    format = normalizedFormat;
    granularity = normalizedGranularity;
  }

  /** Order-level options ({@link #GRANULARITY_ORDER}). */
  public GeneratorOptions(
      long customers, long seed, String outDir, String format, boolean singleFile, boolean withBadRows, LocalDate endDate) {
    this(customers, seed, outDir, format, singleFile, withBadRows, endDate, GRANULARITY_ORDER);
  }

  /** True when the orders input is written one row per product line. */
  public boolean lineLevel() {
    return GRANULARITY_LINE.equals(granularity);
  }
}
