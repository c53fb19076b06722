package io.customerpyramid.stages;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.features.RfmScoring;
import io.customerpyramid.pareto.ParetoCurve;
import io.customerpyramid.pareto.ParetoHeadline;
import io.customerpyramid.segmentation.SegmentProfiles;
import io.customerpyramid.stages.AssignTiers.Tiered;
import io.customerpyramid.stages.MeasureMovement.Movement;
import io.customerpyramid.stages.ProjectForward.Forward;
import io.customerpyramid.stages.RankCustomers.Ranking;
import io.customerpyramid.stages.SegmentCustomers.Segmented;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a snapshot publishes: the rows of its tables (lazy until written), its fitted model and its
 * Pareto headline; the input of the write and report stages.
 *
 * @param customers the labelled customers (customer_features, rfm_bins)
 * @param tiered the tiered customers (customer_segments)
 * @param profiles segment_profiles, a local table (k × features rows; the report reads it too)
 * @param curve pareto_curve, cached (the report reads it too)
 * @param segmentFeatures the features the segments were clustered on
 * @param forward the future-value tables, when clv.enabled
 */
public record SnapshotTables(
    LocalDate snapshotDate,
    Dataset<Row> customers,
    RfmScoring.Edges edges,
    Dataset<Row> tiered,
    Dataset<Row> profiles,
    Dataset<Row> tierSummary,
    Dataset<Row> curve,
    Dataset<Row> rejects,
    Optional<Movement> movement,
    Optional<Forward> forward,
    PipelineModel model,
    List<String> segmentFeatures,
    ParetoHeadline headline) {

  /** The tables of a run's stage results; the profiles and the curve are cached for as long as {@code cached} lives. */
  public static SnapshotTables of(
      Features features, Segmented segmented, Ranking ranking, Tiered tiered, Optional<Movement> movement,
      Optional<Forward> forward, JobConfig config, CachedFrames cached) {
    Dataset<Row> profiles = SegmentProfiles.build(
            segmented.customers(), segmented.fit().features(), config.segmentation().segmentNames(),
            segmented.fit().outlierSegments());
    Dataset<Row> curve =
        cached.cache(
            ParetoCurve.build(
                tiered.customers().sparkSession(), tiered.customers(), ranking.ranked().customerCount(), config.pareto().curvePoints()));
    return new SnapshotTables(
        features.snapshotDate(), features.customers(), features.edges(), tiered.customers(), profiles, tiered.summary(), curve,
        features.inputs().rejects(), movement, forward, segmented.fit().model(), segmented.fit().features(),
        ranking.headline());
  }
}
