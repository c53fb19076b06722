package io.customerpyramid.generate;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;

/** Immutable, validated settings for one run of the {@link SyntheticDataGenerator}. */
public final class GeneratorOptions {

  public static final String FORMAT_CSV = "csv";
  public static final String FORMAT_PARQUET = "parquet";
  /** One row per order: order_id, customer_id, order_ts, amount, discount, cost_of_goods. */
  public static final String GRANULARITY_ORDER = "order";
  /** One row per product line, shaped like a retail line-level export (see {@link SyntheticDataGenerator}). */
  public static final String GRANULARITY_LINE = "line";

  /** Upper bound on customers: keeps the ids (customer number times 1000 plus a slot) short. */
  public static final long MAX_CUSTOMERS = 1_000_000_000L;

  private final long customers;
  private final long seed;
  private final String outDir;
  private final String format;
  private final boolean singleFile;
  private final boolean withBadRows;
  private final LocalDate endDate;
  private final String granularity;

  /** Order-level options ({@link #GRANULARITY_ORDER}); see the full constructor. */
  public GeneratorOptions(
      long customers,
      long seed,
      String outDir,
      String format,
      boolean singleFile,
      boolean withBadRows,
      LocalDate endDate) {
    this(customers, seed, outDir, format, singleFile, withBadRows, endDate, GRANULARITY_ORDER);
  }

  /**
   * @param customers number of customers, 1 to {@link #MAX_CUSTOMERS}
   * @param seed seed every random value is derived from
   * @param outDir directory (any Hadoop path) the four inputs are written under
   * @param format {@code csv} or {@code parquet} (case-insensitive)
   * @param singleFile write each input as one file {@code outDir/<input>.<format>} (small samples only)
   * @param withBadRows append a few deliberately invalid rows to each input
   * @param endDate last day of the history; no event happens after it
   * @param granularity of the orders input: {@code order} (one row per order) or {@code line} (one
   *     row per product line), case-insensitive
   * @throws IllegalArgumentException if a value is out of range
   */
  public GeneratorOptions(
      long customers,
      long seed,
      String outDir,
      String format,
      boolean singleFile,
      boolean withBadRows,
      LocalDate endDate,
      String granularity) {
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
    this.customers = customers;
    this.seed = seed;
    this.outDir = outDir;
    this.format = normalizedFormat;
    this.singleFile = singleFile;
    this.withBadRows = withBadRows;
    this.endDate = endDate;
    this.granularity = normalizedGranularity;
  }

  public long customers() {
    return customers;
  }

  public long seed() {
    return seed;
  }

  public String outDir() {
    return outDir;
  }

  /** The format in lower case: {@code csv} or {@code parquet}. */
  public String format() {
    return format;
  }

  public boolean singleFile() {
    return singleFile;
  }

  public boolean withBadRows() {
    return withBadRows;
  }

  public LocalDate endDate() {
    return endDate;
  }

  /** The granularity of the orders input in lower case: {@code order} or {@code line}. */
  public String granularity() {
    return granularity;
  }

  /** True when the orders input is written one row per product line. */
  public boolean lineLevel() {
    return GRANULARITY_LINE.equals(granularity);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof GeneratorOptions)) {
      return false;
    }
    GeneratorOptions other = (GeneratorOptions) o;
    return customers == other.customers
        && seed == other.seed
        && singleFile == other.singleFile
        && withBadRows == other.withBadRows
        && outDir.equals(other.outDir)
        && format.equals(other.format)
        && endDate.equals(other.endDate)
        && granularity.equals(other.granularity);
  }

  @Override
  public int hashCode() {
    return Objects.hash(customers, seed, outDir, format, singleFile, withBadRows, endDate, granularity);
  }

  @Override
  public String toString() {
    return "GeneratorOptions{customers=" + customers
        + ", seed=" + seed
        + ", outDir=" + outDir
        + ", format=" + format
        + ", singleFile=" + singleFile
        + ", withBadRows=" + withBadRows
        + ", endDate=" + endDate
        + ", granularity=" + granularity
        + '}';
  }
}
