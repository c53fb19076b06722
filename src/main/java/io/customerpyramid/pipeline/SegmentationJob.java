package io.customerpyramid.pipeline;

import io.customerpyramid.books.Books;
import io.customerpyramid.catalog.SnapshotCatalog;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.output.SideFiles;
import io.customerpyramid.schema.RunLocations;
import io.customerpyramid.stages.AssignTiers;
import io.customerpyramid.stages.AssignTiers.Tiered;
import io.customerpyramid.stages.CachedFrames;
import io.customerpyramid.stages.CheckedSources;
import io.customerpyramid.stages.FeatureStages;
import io.customerpyramid.stages.Features;
import io.customerpyramid.stages.LineageCuts;
import io.customerpyramid.stages.MeasureMovement;
import io.customerpyramid.stages.MeasureMovement.Movement;
import io.customerpyramid.stages.RankCustomers;
import io.customerpyramid.stages.RankCustomers.Ranking;
import io.customerpyramid.stages.SegmentCustomers;
import io.customerpyramid.stages.SegmentCustomers.Segmented;
import io.customerpyramid.stages.SnapshotTables;
import io.customerpyramid.stages.StageTracker;
import io.customerpyramid.stages.ProjectForward;
import io.customerpyramid.stages.ProjectForward.Forward;
import io.customerpyramid.stages.PublishSnapshot;
import io.customerpyramid.stages.WriteReport;
import io.customerpyramid.stages.WriteTables;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;

/**
 * The segmentation job end to end, as the list of its eleven named stages: ingest, features, books,
 * segments, Pareto, tiers, movement, tables, report, publish; twelve with the forward pyramid of
 * clv.enabled (after the tiers). Each stage is a class of its own (in
 * {@code stages}); the job orders them, holds the run's resources and assembles its result. Every
 * stage up to the report writes only under the run's own directories; readers see the run once the
 * publish stage has switched the snapshot to it.
 */
public final class SegmentationJob {

  private static final int STAGES = 11;

  private final SparkSession spark;
  private final JobConfig config;
  private final Optional<String> savedModel;
  private final CheckedSources sources;
  private final StageTracker stages;
  private final String runId = UUID.randomUUID().toString();
  private final Instant startedAt = Instant.now();
  private final long startNanos = System.nanoTime();

  public SegmentationJob(SparkSession spark, JobConfig config) {
    this(spark, config, Optional.empty());
  }

  /** @param savedModel a model saved by an earlier run ({@code _models/snapshot_date=S}): segments are scored with it, not refitted */
  public SegmentationJob(SparkSession spark, JobConfig config, Optional<String> savedModel) {
    this(spark, config, savedModel, CheckedSources.forOneRun(spark, config));
  }

  /** @param sources the inputs read and checked for this run alone, or shared by the snapshots of a backfill */
  public SegmentationJob(SparkSession spark, JobConfig config, Optional<String> savedModel, CheckedSources sources) {
    this.spark = spark;
    this.config = config;
    this.savedModel = savedModel;
    this.sources = sources;
    this.stages = new StageTracker(spark, config.clv().enabled() ? STAGES + 1 : STAGES);
  }

  /** Runs the stages in order; the cached rows and checkpoints are released when it ends, whether it succeeded or not. */
  public RunResult run() {
    try (LineageCuts cuts = new LineageCuts(spark, config.spark().checkpointDir() + "/" + runId);
        CachedFrames cached = new CachedFrames();
        Features features = new FeatureStages(sources, config, stages).run(cuts)) {
      RunLocations locations = new RunLocations(config.outputRoot(), features.snapshotDate(), runId);
      SideFiles files = new SideFiles(spark.sparkContext().hadoopConfiguration());
      Optional<SnapshotCatalog> catalog =
          config.catalog().enabled()
              ? Optional.of(new SnapshotCatalog(spark, config.catalog().database(), config.outputRoot()))
              : Optional.empty();
      Books books =
          stages.run(
              "books",
              "Checking the books: input money against customer_features",
              () -> Books.of(features.inputs().all(), features.customers()));
      books.requireBalanced();
      MeasureMovement measuring = MeasureMovement.since(spark, locations);
      SegmentCustomers segmenting = new SegmentCustomers(config.segmentation(), config.tuning(), savedModel);
      Segmented segmented =
          stages.run(
              "kmeans", segmenting.description(),
              () -> segmenting.run(features.customers(), features.count(), measuring.previousSegments(), cuts));
      String measure = config.pareto().measure();
      Ranking ranking = stages.run("pareto", "Pareto ranking by " + measure, () -> RankCustomers.run(segmented.customers(), measure));
      Tiered tiered = stages.run("tiers", "Tiers", () -> AssignTiers.run(ranking.ranked(), config, cuts, cached));
      Optional<Forward> forward =
          features.clv().map(model -> stages.run(
              "forward", "Forward pyramid by predicted CLV, development targets",
              () -> ProjectForward.run(tiered.customers(), model, config, cuts, cached)));
      Optional<Movement> movement = stages.run("migrations", measuring.description(), () -> measuring.run(tiered.customers(), cached));

      WriteTables writing = new WriteTables(locations, catalog, files);
      // The segment profiles are computed as the tables are assembled: that belongs to the write's time.
      SnapshotTables tables =
          stages.run("write", "Writing tables to " + config.outputRoot() + " (run " + runId + ")", () -> {
            SnapshotTables snapshot = SnapshotTables.of(features, segmented, ranking, tiered, movement, forward, config, cached);
            writing.write(snapshot);
            return snapshot;
          });
      String reportPath = stages.run("report", "HTML report", () -> WriteReport.write(files, locations, tables));
      RunResult result = result(features, books, ranking, tiered, segmented, movement, forward, reportPath, locations);
      PublishSnapshot publishing = new PublishSnapshot(spark.sparkContext().hadoopConfiguration(), locations, catalog);
      stages.run(
          "publish",
          "Publishing snapshot " + features.snapshotDate() + ": run " + runId,
          () -> publishing.publish(RunManifest.render(result, startedAt, spark.version(), features.edges(), config)));
      return result;
    }
  }

  /** The result as the manifest records it: stage seconds up to the report, the manifest's own path. */
  private RunResult result(
      Features features, Books books, Ranking ranking, Tiered tiered, Segmented segmented, Optional<Movement> movement,
      Optional<Forward> forward, String reportPath, RunLocations locations) {
    List<RunResult.TierLine> tierLines = RunResult.TierLine.of(tiered.summaryRows());
    return new RunResult(
        runId,
        features.snapshotDate(),
        features.inputs().counts(),
        books.ledgers(),
        features.count(),
        ranking.headline(),
        tierLines,
        segmented.segments(),
        segmented.notes(),
        segmented.fit().trainingCost(),
        RunResult.TierLine.abandonmentCandidates(tierLines),
        config.outputRoot(),
        movement.map(Movement::summary),
        forward.map(Forward::summary),
        config.catalog().enabled() ? Optional.of(config.catalog().database()) : Optional.empty(),
        Optional.of(reportPath),
        locations.manifestPath(),
        stages.orderedSeconds(),
        (System.nanoTime() - startNanos) / 1e9);
  }
}
