package io.customerpyramid.pipeline;

import io.customerpyramid.ingest.InputCounts;
import io.customerpyramid.pareto.ParetoHeadline;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What a finished run reports: counts, headline figures, where the tables are.
 *
 * @param tierRows per tier, top first
 */
public record RunResult(
    String runId,
    LocalDate snapshotDate,
    List<InputCounts> inputs,
    long customers,
    ParetoHeadline pareto,
    List<TierLine> tierRows,
    int segments,
    double kmeansTrainingCost,
    long abandonmentCandidates,
    String outputRoot,
    String manifestPath,
    Map<String, Double> secondsByStage,
    double totalSeconds) {

  /** The same result once the manifest is written. */
  public RunResult withManifest(String path, Map<String, Double> seconds, double total) {
    return new RunResult(runId, snapshotDate, inputs, customers, pareto, tierRows, segments, kmeansTrainingCost,
        abandonmentCandidates, outputRoot, path, seconds, total);
  }

  /** One tier's line of the summary. */
  public record TierLine(
      String tier, long customers, double customerShare, double contributionShare, double measureShare,
      long abandonmentCandidates) {}
}
