package io.customerpyramid.pipeline;

import io.customerpyramid.books.Ledger;
import io.customerpyramid.ingest.InputCounts;
import io.customerpyramid.migrations.MigrationSummary;
import io.customerpyramid.pareto.ParetoHeadline;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a finished run reports: counts, headline figures, where the tables are.
 *
 * @param books per input read, its money and whether it reached customer_features whole
 * @param tierRows per tier, top first
 * @param movement tier movement since the previous snapshot; empty for the first snapshot
 * @param catalogDatabase the database the tables are registered in; empty when the catalog is off
 * @param reportPath the snapshot's HTML report
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
    double kmeansTrainingCost,
    long abandonmentCandidates,
    String outputRoot,
    Optional<MigrationSummary> movement,
    Optional<String> catalogDatabase,
    Optional<String> reportPath,
    String manifestPath,
    Map<String, Double> secondsByStage,
    double totalSeconds) {

  /** The same result once the manifest is written. */
  public RunResult withManifest(String path, Map<String, Double> seconds, double total) {
    return new RunResult(runId, snapshotDate, inputs, books, customers, pareto, tierRows, segments, kmeansTrainingCost,
        abandonmentCandidates, outputRoot, movement, catalogDatabase, reportPath, path, seconds, total);
  }

  /** One tier's line of the summary. */
  public record TierLine(
      String tier, long customers, double customerShare, double contributionShare, double measureShare,
      long abandonmentCandidates) {}
}
