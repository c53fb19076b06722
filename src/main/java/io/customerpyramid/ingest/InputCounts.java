package io.customerpyramid.ingest;

import static org.apache.spark.sql.functions.col;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.RejectReason;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * Row accounting of one input: read = accepted + rejected + after snapshot, rejected broken down by
 * reason (duplicates are rejects too, and also counted apart: {@link #duplicates()}).
 *
 * @param configured false for an optional input that was skipped (all counts zero)
 * @param afterSnapshot valid rows dated at or after the start of the snapshot day: data of later
 *     snapshots, neither accepted nor rejected
 * @param note why a skipped input was skipped; empty for a read input
 */
public record InputCounts(
    String input,
    boolean configured,
    long read,
    long accepted,
    long afterSnapshot,
    Map<String, Long> rejectedByReason,
    String note)
    implements Serializable {

  /** Every rejected row, duplicates included: the input's rows in the rejects table. */
  public long rejected() {
    return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Rows rejected as {@link RejectReason#DUPLICATE_ROW}: later copies of a row. */
  public long duplicates() {
    return rejectedByReason.getOrDefault(RejectReason.DUPLICATE_ROW.name(), 0L);
  }

  /** Rows rejected for any reason but duplication. */
  public long rejectedExceptDuplicates() {
    return rejected() - duplicates();
  }

  /** {@link #rejectedByReason()} without {@link RejectReason#DUPLICATE_ROW}. */
  public Map<String, Long> rejectedByReasonExceptDuplicates() {
    Map<String, Long> others = new TreeMap<>(rejectedByReason);
    others.remove(RejectReason.DUPLICATE_ROW.name());
    return java.util.Collections.unmodifiableMap(others);
  }

  public static InputCounts notConfigured(String input) {
    return new InputCounts(input, false, 0, 0, 0, Map.of(), "not configured");
  }

  public static InputCounts notFound(String input, String path) {
    return new InputCounts(input, false, 0, 0, 0, Map.of(), "nothing found at " + path);
  }

  /** Counts a checked input in one aggregation (one row per status comes back to the driver). */
  public static InputCounts of(CheckedInput input) {
    long accepted = 0;
    long afterSnapshot = 0;
    Map<String, Long> rejected = new TreeMap<>();
    for (Row row : input.rows().groupBy(col(Columns.REJECT_REASON)).count().collectAsList()) {
      if (row.isNullAt(0)) {
        accepted = row.getLong(1);
      } else if (CheckedInput.AFTER_SNAPSHOT.equals(row.getString(0))) {
        afterSnapshot = row.getLong(1);
      } else {
        rejected.put(row.getString(0), row.getLong(1));
      }
    }
    long read = accepted + afterSnapshot + rejected.values().stream().mapToLong(Long::longValue).sum();
    if (read == 0) {
      throw new InputError("input " + input.name() + " has no rows: nothing to segment");
    }
    return new InputCounts(
        input.name(), true, read, accepted, afterSnapshot, java.util.Collections.unmodifiableMap(rejected), "");
  }
}
