package io.customerpyramid.ingest;

import static org.apache.spark.sql.functions.col;

import io.customerpyramid.schema.Columns;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * Row accounting of one input: read = accepted + rejected, rejected broken down by reason.
 *
 * @param configured false for an optional input that was skipped (all counts zero)
 * @param note why a skipped input was skipped; empty for a read input
 */
public record InputCounts(
    String input, boolean configured, long read, long accepted, Map<String, Long> rejectedByReason, String note)
    implements Serializable {

  public long rejected() {
    return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  public static InputCounts notConfigured(String input) {
    return new InputCounts(input, false, 0, 0, Map.of(), "not configured");
  }

  public static InputCounts notFound(String input, String path) {
    return new InputCounts(input, false, 0, 0, Map.of(), "nothing found at " + path);
  }

  /** Counts a checked input in one aggregation (one row per reason comes back to the driver). */
  public static InputCounts of(CheckedInput input) {
    long accepted = 0;
    Map<String, Long> rejected = new TreeMap<>();
    for (Row row : input.rows().groupBy(col(Columns.REJECT_REASON)).count().collectAsList()) {
      if (row.isNullAt(0)) {
        accepted = row.getLong(1);
      } else {
        rejected.put(row.getString(0), row.getLong(1));
      }
    }
    long read = accepted + rejected.values().stream().mapToLong(Long::longValue).sum();
    if (read == 0) {
      throw new InputError("input " + input.name() + " has no rows: nothing to segment");
    }
    return new InputCounts(input.name(), true, read, accepted, java.util.Collections.unmodifiableMap(rejected), "");
  }
}
