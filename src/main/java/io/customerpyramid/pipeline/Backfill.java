package io.customerpyramid.pipeline;

import io.customerpyramid.config.ConfigError;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.stages.CheckedSources;
import io.customerpyramid.tiers.Tier;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * Historic snapshots in one Spark session: one {@link SegmentationJob} run per date, in ascending
 * order (later features compare a snapshot with the one before it, which must be written first).
 * Each run uses only data before its date and replaces only its own partitions, so a backfill can
 * be run again.
 */
public final class Backfill {

  private final SparkSession spark;
  private final JobConfig config;
  private final Optional<String> savedModel;

  /**
   * @param config the job configuration without {@code snapshot.date}: each snapshot sets its own
   * @param savedModel a saved model to score every snapshot with, instead of refitting per snapshot
   */
  public Backfill(SparkSession spark, JobConfig config, Optional<String> savedModel) {
    requireNoSnapshotDate(config);
    this.spark = spark;
    this.config = config;
    this.savedModel = savedModel;
  }

  /** A configured {@code snapshot.date} contradicts a backfill, which sets one per snapshot: a config error. */
  public static void requireNoSnapshotDate(JobConfig config) {
    config.snapshotDate().ifPresent(date -> {
      throw new ConfigError(
          "snapshot.date is set (" + date + "), but a backfill sets the snapshot date of each of its snapshots:"
              + " remove it from the config file or pass --set snapshot.date=");
    });
  }

  /**
   * Runs one snapshot per date, ascending; stops at the first failure (earlier snapshots stay written).
   *
   * @param progress receives one line before and one after each snapshot
   */
  public List<RunResult> run(List<LocalDate> dates, Consumer<String> progress) {
    List<LocalDate> ascending = dates.stream().distinct().sorted().toList();
    List<RunResult> results = new ArrayList<>();
    // Each input is read and parsed once for all the snapshots; each snapshot adds its own checks.
    try (CheckedSources sources = CheckedSources.shared(spark, config)) {
      for (int i = 0; i < ascending.size(); i++) {
        LocalDate date = ascending.get(i);
        String label = String.format(Locale.ROOT, "snapshot %d/%d: %s", i + 1, ascending.size(), date);
        progress.accept(label + " ...");
        RunResult result = new SegmentationJob(spark, config.withSnapshotDate(date), savedModel, sources).run();
        results.add(result);
        progress.accept(
            String.format(
                Locale.ROOT, "%s done in %.1f s: %d customers, top 20%% produce %.1f%% of %s", label, result.totalSeconds(),
                result.customers(), 100 * result.pareto().topFifthShare(), result.pareto().measure()));
      }
    }
    return List.copyOf(results);
  }

  /** One line per snapshot: customers, the Pareto headline share, customers per tier, tier moves since the previous snapshot, seconds. */
  public static String table(List<RunResult> results) {
    StringBuilder out = new StringBuilder();
    String measure = results.isEmpty() ? "" : results.get(0).pareto().measure();
    out.append(String.format(Locale.ROOT, "snapshot     customers  top 20%% share of %s", measure));
    for (Tier tier : Tier.values()) {
      out.append(String.format(Locale.ROOT, "  %9s", tier.label()));
    }
    out.append("  tier up  tier down    new  seconds\n");
    int shareWidth = "  top 20% share of ".length() + measure.length();
    for (RunResult r : results) {
      out.append(String.format(Locale.ROOT, "%-10s  %10d%" + shareWidth + "s", r.snapshotDate(), r.customers(),
          String.format(Locale.ROOT, "%.1f%%", 100 * r.pareto().topFifthShare())));
      for (Tier tier : Tier.values()) {
        long customers =
            r.tierRows().stream().filter(t -> t.tier().equals(tier.label())).mapToLong(RunResult.TierLine::customers).sum();
        out.append(String.format(Locale.ROOT, "  %9d", customers));
      }
      if (r.movement().isPresent()) {
        out.append(String.format(Locale.ROOT, "  %7d  %9d  %5d", r.movement().get().up(), r.movement().get().down(), r.movement().get().entered()));
      } else {
        out.append(String.format(Locale.ROOT, "  %7s  %9s  %5s", "-", "-", "-"));
      }
      out.append(String.format(Locale.ROOT, "  %7.1f%n", r.totalSeconds()));
    }
    return out.toString();
  }
}
