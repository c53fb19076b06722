package io.customerpyramid.pipeline;

import io.customerpyramid.books.Ledger;
import io.customerpyramid.clv.ClvSummary;
import io.customerpyramid.ingest.InputCounts;
import io.customerpyramid.migrations.MigrationSummary;
import io.customerpyramid.pareto.ParetoHeadline;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.tiers.TierSummary;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;

/**
 * What a finished run reports: counts, headline figures, where the tables are.
 *
 * @param books per input read, its money and whether it reached customer_features whole
 * @param tierRows per tier, top first
 * @param movement tier movement since the previous snapshot; empty for the first snapshot
 * @param clv the future view, when clv.enabled
 * @param catalogDatabase the database the tables are registered in; empty when the catalog is off
 * @param reportPath the snapshot's HTML report
 * @param secondsByStage seconds per stage, in the order they ran, up to the report (the manifest records them)
 */
public record RunResult(
    String runId,
    LocalDate snapshotDate,
    List<InputCounts> inputs,
    List<Ledger> books,
    long customers,
    ParetoHeadline pareto,
    List<TierLine> tierRows,
    int segments,
    List<String> segmentationNotes,
    double kmeansTrainingCost,
    long abandonmentCandidates,
    String outputRoot,
    Optional<MigrationSummary> movement,
    Optional<ClvSummary> clv,
    Optional<String> catalogDatabase,
    Optional<String> reportPath,
    String manifestPath,
    Map<String, Double> secondsByStage,
    double totalSeconds) {

  /** One tier's line of the summary. */
  public record TierLine(
      String tier, long customers, double customerShare, double contributionShare, double measureShare,
      long abandonmentCandidates) {

    /** The lines of the tier_summary rows, in their order. */
    public static List<TierLine> of(List<Row> tierSummary) {
      List<TierLine> lines = new ArrayList<>();
      for (Row row : tierSummary) {
        lines.add(
            new TierLine(
                row.getAs(Columns.TIER),
                row.<Long>getAs(Columns.CUSTOMERS),
                row.<Double>getAs(Columns.CUSTOMER_SHARE),
                row.<Double>getAs(Columns.CONTRIBUTION_SHARE),
                row.<Double>getAs(TierSummary.MEASURE_SHARE),
                row.<Long>getAs(TierSummary.ABANDONMENT_CANDIDATES)));
      }
      return List.copyOf(lines);
    }

    /** Abandonment candidates over all tiers. */
    public static long abandonmentCandidates(List<TierLine> lines) {
      return lines.stream().mapToLong(TierLine::abandonmentCandidates).sum();
    }
  }
}
