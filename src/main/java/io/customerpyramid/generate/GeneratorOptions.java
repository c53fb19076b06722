package io.customerpyramid.generate;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;

/** Immutable, validated settings for one run of the {@link SyntheticDataGenerator}. */
public final class GeneratorOptions {

  public static final String FORMAT_CSV = "csv";
  public static final String FORMAT_PARQUET = "parquet";

  /** Upper bound on customers: keeps the ids (customer number times 1000 plus a slot) short. */
  public static final long MAX_CUSTOMERS = 1_000_000_000L;

  private final long customers;
  private final long seed;
  private final String outDir;
  private final String format;
  private final boolean singleFile;
  private final boolean withBadRows;
  private final LocalDate endDate;

  /**
   * @param customers number of customers, 1 to {@link #MAX_CUSTOMERS}
   * @param seed seed every random value is derived from
   * @param outDir directory (any Hadoop path) the four inputs are written under
   * @param format {@code csv} or {@code parquet} (case-insensitive)
   * @param singleFile write each input as one file {@code outDir/<input>.<format>} (small samples only)
   * @param withBadRows append a few deliberately invalid rows to each input
   * @param endDate last day of the history; no event happens after it
   * @throws IllegalArgumentException if a value is out of range
   */
  public GeneratorOptions(
      long customers,
      long seed,
      String outDir,
      String format,
      boolean singleFile,
      boolean withBadRows,
      LocalDate endDate) {
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
        && endDate.equals(other.endDate);
  }

  @Override
  public int hashCode() {
    return Objects.hash(customers, seed, outDir, format, singleFile, withBadRows, endDate);
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
        + '}';
  }
}
