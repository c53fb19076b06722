package io.customerpyramid.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.config.JobConfig.RfmSegmentRule;
import io.customerpyramid.schema.Columns;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Names each customer's cell of the recency x frequency grid (rules validated to cover it exactly once). */
public final class RfmSegments {

  private RfmSegments() {}

  /** Adds rfm_segment from r_score and f_score. */
  public static Dataset<Row> withSegment(Dataset<Row> scored, List<RfmSegmentRule> rules) {
    Column r = col(Columns.R_SCORE);
    Column f = col(Columns.F_SCORE);
    Column segment = lit(null).cast("string");
    for (int i = rules.size() - 1; i >= 0; i--) {
      RfmSegmentRule rule = rules.get(i);
      Column matches =
          r.between(rule.recencyMin(), rule.recencyMax()).and(f.between(rule.frequencyMin(), rule.frequencyMax()));
      segment = when(matches, lit(rule.name())).otherwise(segment);
    }
    return scored.withColumn(Columns.RFM_SEGMENT, segment);
  }
}
