package io.customerpyramid.stages;

import io.customerpyramid.migrations.MigrationSummary;
import io.customerpyramid.migrations.Migrations;
import io.customerpyramid.output.PublishedRuns;
import io.customerpyramid.output.PublishedRuns.Published;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.RunLocations;
import io.customerpyramid.schema.Tables;
import io.customerpyramid.segmentation.KMeansSegmentation;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Stage migrations: movement between tiers, loyalty stages and segments since the latest finished
 * snapshot before this one; none for the first snapshot under the output root.
 */
public final class MeasureMovement {

  private final SparkSession spark;
  private final RunLocations locations;
  private final Optional<Published> previous;

  private MeasureMovement(SparkSession spark, RunLocations locations, Optional<Published> previous) {
    this.spark = spark;
    this.locations = locations;
    this.previous = previous;
  }

  /** Tier, loyalty-stage and segment movement since the previous snapshot, all small (filters of cached pair counts), and their summary. */
  public record Movement(Dataset<Row> tiers, Dataset<Row> loyaltyStages, Dataset<Row> segments, MigrationSummary summary) {}

  /** The movement of the snapshot at {@code locations}, measured against the finished snapshot before it. */
  public static MeasureMovement since(SparkSession spark, RunLocations locations) {
    return new MeasureMovement(spark, locations, PublishedRuns.before(spark.sparkContext().hadoopConfiguration(), locations.root(), locations.snapshotDate()));
  }

  /** What the stage does, as the progress line says it. */
  public String description() {
    return previous
        .map(p -> "Movement between tiers, loyalty stages and segments since " + p.date())
        .orElse("Movement between snapshots: no earlier snapshot in " + locations.root());
  }

  /**
   * The previous snapshot's customers with their segment and every feature (customer_features joined
   * with customer_segments), to keep segment ids meaning the same thing; empty for the first snapshot.
   */
  public Optional<KMeansSegmentation.Previous> previousSegments() {
    return previous.map(p -> segmentsOf(spark, locations.root(), p));
  }

  /** The same for tune-k: the published snapshot before {@code date} under {@code root}, if any. */
  public static Optional<KMeansSegmentation.Previous> previousSegments(SparkSession spark, String root, java.time.LocalDate date) {
    return PublishedRuns.before(spark.sparkContext().hadoopConfiguration(), root, date).map(p -> segmentsOf(spark, root, p));
  }

  private static KMeansSegmentation.Previous segmentsOf(SparkSession spark, String root, Published p) {
    Dataset<Row> features = spark.read().parquet(RunLocations.runPath(root, Tables.CUSTOMER_FEATURES, p.date(), p.runId()));
    Dataset<Row> segments =
        spark.read().parquet(RunLocations.runPath(root, Tables.CUSTOMER_SEGMENTS, p.date(), p.runId()))
            .select(Columns.CUSTOMER_ID, Columns.SEGMENT_ID);
    return new KMeansSegmentation.Previous(p.date().toString(), features.join(segments, Columns.CUSTOMER_ID));
  }

  /** @param tiered this snapshot's tiered customers */
  public Optional<Movement> run(Dataset<Row> tiered, CachedFrames cached) {
    return previous.map(p -> measure(p, tiered, cached));
  }

  private Movement measure(Published published, Dataset<Row> tiered, CachedFrames cached) {
    java.time.LocalDate date = published.date();
    Dataset<Row> earlier =
        spark.read().parquet(RunLocations.runPath(locations.root(), Tables.CUSTOMER_SEGMENTS, date, published.runId()));
    // One join of the two snapshots for the three dimensions, cached: the pairs are a few dozen rows, and
    // each table is a filter of them.
    Dataset<Row> pairs =
        cached.cache(Migrations.pairCounts(earlier, tiered, List.of(Migrations.TIER, Migrations.LOYALTY_STAGE, Migrations.SEGMENT)));
    Dataset<Row> tiers = Migrations.of(pairs, date, Migrations.TIER, 0);
    Dataset<Row> stages = Migrations.of(pairs, date, Migrations.LOYALTY_STAGE, 1);
    Dataset<Row> segments = Migrations.of(pairs, date, Migrations.SEGMENT, 2);
    return new Movement(tiers, stages, segments, MigrationSummary.of(date, tiers.collectAsList()));
  }
}
