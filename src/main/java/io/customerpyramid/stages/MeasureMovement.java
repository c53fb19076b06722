package io.customerpyramid.stages;

import io.customerpyramid.migrations.FinishedSnapshots;
import io.customerpyramid.migrations.MigrationSummary;
import io.customerpyramid.migrations.Migrations;
import io.customerpyramid.schema.TableLocations;
import io.customerpyramid.schema.Tables;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Stage migrations: movement between tiers and between loyalty stages since the latest finished
 * snapshot before this one; none for the first snapshot under the output root.
 */
public final class MeasureMovement {

  private final SparkSession spark;
  private final TableLocations locations;
  private final Optional<LocalDate> previousDate;

  private MeasureMovement(SparkSession spark, TableLocations locations, Optional<LocalDate> previousDate) {
    this.spark = spark;
    this.locations = locations;
    this.previousDate = previousDate;
  }

  /** Tier and loyalty movement since the previous snapshot, both small and cached, and their summary. */
  public record Movement(Dataset<Row> tiers, Dataset<Row> loyaltyStages, MigrationSummary summary) {}

  /** The movement of the snapshot at {@code locations}, measured against the finished snapshot before it. */
  public static MeasureMovement since(SparkSession spark, TableLocations locations) {
    return new MeasureMovement(spark, locations, FinishedSnapshots.before(spark, locations.root(), locations.snapshotDate()));
  }

  /** What the stage does, as the progress line says it. */
  public String description() {
    return previousDate
        .map(date -> "Movement between tiers and loyalty stages since " + date)
        .orElse("Movement between snapshots: no earlier snapshot in " + locations.root());
  }

  /** @param tiered this snapshot's tiered customers */
  public Optional<Movement> run(Dataset<Row> tiered, CachedFrames cached) {
    return previousDate.map(date -> measure(date, tiered, cached));
  }

  private Movement measure(LocalDate date, Dataset<Row> tiered, CachedFrames cached) {
    Dataset<Row> previous = spark.read().parquet(locations.partitionPath(Tables.CUSTOMER_SEGMENTS, date));
    Dataset<Row> tiers = cached.cache(Migrations.between(previous, date, tiered, Migrations.TIER));
    Dataset<Row> stages = cached.cache(Migrations.between(previous, date, tiered, Migrations.LOYALTY_STAGE));
    return new Movement(tiers, stages, MigrationSummary.of(date, tiers.collectAsList()));
  }
}
