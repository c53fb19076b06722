package io.customerpyramid.features;

import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import java.io.Serializable;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * The "as of" of a run: snapshot date S (features as of the start of that day, in the job's time
 * zone) and the lookback window for frequency, monetary and cost features (0 days = all history).
 */
public record Snapshot(LocalDate date, int lookbackDays) implements Serializable {

  public Column dateLiteral() {
    return lit(java.sql.Date.valueOf(date));
  }

  /** Start of the snapshot day in the session time zone: rows at or after it are not part of S. */
  public Column startTimestamp() {
    return lit(date.toString()).cast(DataTypes.TimestampType);
  }

  /** True for a timestamp or date inside the lookback window. */
  public Column inLookback(Column timestampOrDate) {
    if (lookbackDays == 0) {
      return lit(true);
    }
    return to_date(timestampOrDate).geq(date_sub(dateLiteral(), lookbackDays));
  }
}
