package io.customerpyramid.cli;

import io.customerpyramid.CustomerPyramid;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.ingest.ReadFailures;
import io.customerpyramid.output.OutputLock;
import io.customerpyramid.output.PublishedRuns;
import io.customerpyramid.pipeline.Backfill;
import io.customerpyramid.pipeline.RunResult;
import io.customerpyramid.pipeline.SnapshotDates;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segment backfill}: historic snapshots, one per date from --from to --to, in one Spark session. */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    description = "Compute the snapshots of past dates (--from to --to, every day, week, month or quarter), oldest first,"
        + " each with only the data before its date; running it again replaces the same partitions.")
final class BackfillCommand implements Callable<Integer> {

  @Mixin ConfigOptions configOptions = new ConfigOptions();

  @Option(
      names = "--model",
      paramLabel = "PATH",
      description = "Score every snapshot with a model saved by an earlier run instead of fitting one per snapshot.")
  String modelPath;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private LocalDate from;
  private LocalDate to;
  private SnapshotDates.Step every = SnapshotDates.Step.MONTH;

  @Option(names = "--from", required = true, paramLabel = "yyyy-MM-dd", description = "First snapshot date.")
  void setFrom(String value) {
    from = parseDate("--from", value);
  }

  @Option(names = "--to", required = true, paramLabel = "yyyy-MM-dd", description = "Last possible snapshot date (inclusive).")
  void setTo(String value) {
    to = parseDate("--to", value);
  }

  @Option(
      names = "--every",
      paramLabel = "day|week|month|quarter",
      description = "Step between snapshots, counted from --from; from a month end, month and quarter steps stay on month ends"
          + " (default: month).")
  void setEvery(String value) {
    try {
      every = SnapshotDates.Step.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--every " + e.getMessage(), e);
    }
  }

  @Override
  public Integer call() throws Exception {
    List<LocalDate> dates;
    try {
      dates = SnapshotDates.between(from, to, every);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    JobConfig config = configOptions.load();
    Backfill.requireNoSnapshotDate(config);
    System.out.printf("Backfill: %d snapshots from %s to %s, every %s%n", dates.size(), dates.get(0), dates.get(dates.size() - 1),
        every.label());
    try (SparkSessions.JobSession session = SparkSessions.create("customer-pyramid backfill", config);
        OutputLock lock = session.writeOutput(config, "backfill")) {
      SparkSession spark = session.spark();
      long start = System.nanoTime();
      List<RunResult> results;
      try {
        results = CustomerPyramid.backfill(spark, config, dates, Optional.ofNullable(modelPath), System.out::println);
      } catch (Exception failure) {
        // SparkException is checked in Java's eyes but thrown from Scala without a declaration.
        throw ReadFailures.explain(spark, config, failure).<Exception>map(e -> e).orElse(failure);
      }
      System.out.println();
      System.out.print(Backfill.table(results));
      System.out.printf(
          "%nBackfill of %d snapshots done in %.1f s; tables under %s, one snapshot_date partition each%n",
          results.size(), (System.nanoTime() - start) / 1e9, config.outputRoot());
      if (config.catalog().enabled()) {
        System.out.println("Catalog: database " + config.catalog().database() + " (query with SQL: jobs/segment serve)");
      }
      results.forEach(r -> r.reportPath().ifPresent(path -> System.out.println("Report:  " + path)));
      if (!results.isEmpty()) {
        java.util.List<LocalDate> later = PublishedRuns.after(spark.sparkContext().hadoopConfiguration(), config.outputRoot(), results.get(results.size() - 1).snapshotDate());
        if (!later.isEmpty()) {
          // Their tier and loyalty movement was measured against the snapshot before them at the time.
          System.out.println(
              "Note: " + later + (later.size() == 1 ? " was" : " were") + " computed before this backfill; rerun "
                  + (later.size() == 1 ? "it" : "them") + " (jobs/segment run --set snapshot.date=" + later.get(0)
                  + ", or a backfill up to " + later.get(later.size() - 1) + ") to measure movement against the new history");
        }
      }
      return ExitCodes.SUCCESS;
    }
  }

  private LocalDate parseDate(String option, String value) {
    try {
      return LocalDate.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + " must be a date yyyy-MM-dd, got '" + value + "'", e);
    }
  }
}
