package io.customerpyramid.config;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;

/**
 * Where one input lives and how its columns are named.
 *
 * @param name logical input name (orders, returns, contacts, invoices)
 * @param path file or directory; empty for an optional input that is not configured
 * @param format csv or parquet
 * @param csvDelimiter field delimiter for csv
 * @param timePattern java.time pattern of timestamps (or dates, for invoices) held as text
 * @param columns logical column name to source column name, only for columns the source has
 */
public record InputSource(
    String name,
    Optional<String> path,
    String format,
    String csvDelimiter,
    String timePattern,
    Map<String, String> columns)
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
}
