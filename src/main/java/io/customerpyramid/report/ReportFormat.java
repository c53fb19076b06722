package io.customerpyramid.report;

import java.util.Locale;

/**
 * How the reports write numbers: money, percentages, counts and decimals, the same way everywhere (Locale.ROOT,
 * so a report does not change with the machine's language), and "–" where there is no value.
 */
public final class ReportFormat {

  /** Written where a value is missing (an empty tier's average, a share of a zero total). */
  public static final String MISSING = "–";

  private ReportFormat() {}

  /** Money with thousands separators and cents: 1234.5 → "1,234.50". */
  public static String money(Number value) {
    return value == null ? MISSING : format("%,.2f", value);
  }

  /** A share as a percentage with one decimal: 0.123 → "12.3%". */
  public static String percent(Double share) {
    return percent(share, 1);
  }

  /** A share as a percentage with the given decimals: (0.12345, 2) → "12.35%". */
  public static String percent(Double share, int decimals) {
    return share == null ? MISSING : format("%." + decimals + "f%%", 100 * share);
  }

  /** A count with thousands separators: 3000 → "3,000". */
  public static String count(long value) {
    return format("%,d", value);
  }

  /** A number with the given decimals and no separators: (0.7371, 3) → "0.737". */
  public static String decimal(Double value, int decimals) {
    return value == null ? MISSING : format("%." + decimals + "f", value);
  }

  /** A number with thousands separators and two decimals, for means in original units: 1234.5 → "1,234.50". */
  public static String grouped(Double value) {
    return value == null ? MISSING : format("%,.2f", value);
  }

  private static String format(String pattern, Object value) {
    return String.format(Locale.ROOT, pattern, value);
  }
}
