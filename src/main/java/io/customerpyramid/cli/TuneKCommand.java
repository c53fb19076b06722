package io.customerpyramid.cli;

import io.customerpyramid.CustomerPyramid;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.output.OutputLock;
import io.customerpyramid.tuning.SweepReport;
import io.customerpyramid.tuning.TuneK;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segment tune-k}: sweep k, measure each fit, recommend a k, write the k_sweep table and chart. */
@Command(
    name = "tune-k",
    mixinStandardHelpOptions = true,
    description = "Fit the configured segmentation for a range of k and seeds, report WSSSE, silhouette, Calinski-Harabasz,"
        + " Davies-Bouldin, smallest cluster and stability, and recommend a k.")
final class TuneKCommand implements Callable<Integer> {

  @Mixin ConfigOptions configOptions = new ConfigOptions();

  private List<Integer> ks;
  private int seeds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--k",
      paramLabel = "RANGE",
      defaultValue = "2..12",
      description = "The k to try: a range 2..12 or a list 3,5,8 (each >= 2; default ${DEFAULT-VALUE}).")
  void setKs(String value) {
    try {
      ks = parseKs(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  @Option(names = "--seeds", paramLabel = "N", defaultValue = "3", description = "Seeds per k, for stability (default ${DEFAULT-VALUE}).")
  void setSeeds(int value) {
    if (value < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--seeds must be at least 1, got " + value);
    }
    seeds = value;
  }

  @Override
  public Integer call() {
    JobConfig config = configOptions.load();
    try (SparkSessions.JobSession session = SparkSessions.create("customer-pyramid tune-k", config);
        OutputLock lock = session.writeOutput(config, "tune-k")) {
      SparkSession spark = session.spark();
      TuneK.Outcome outcome = CustomerPyramid.tuneK(spark, config, ks, seeds, line -> System.out.println(line));
      System.out.println();
      System.out.print(SweepReport.consoleTable(outcome.result()));
      System.out.println("k_sweep table: " + outcome.table() + " (snapshot_date=" + outcome.snapshotDate() + ")");
      System.out.println("Chart: " + outcome.png());
      System.out.println("Page:  " + outcome.html());
      return ExitCodes.SUCCESS;
    }
  }

  /** Parses "2..12" or "3,5,8" into distinct ascending k values, each at least 2. */
  static List<Integer> parseKs(String value) {
    TreeSet<Integer> ks = new TreeSet<>();
    try {
      if (value.contains("..")) {
        String[] bounds = value.split("\\.\\.", 2);
        int from = Integer.parseInt(bounds[0].trim());
        int to = Integer.parseInt(bounds[1].trim());
        if (from > to) {
          throw new IllegalArgumentException("--k range " + value + " is empty: " + from + " > " + to);
        }
        for (int k = from; k <= to; k++) {
          ks.add(k);
        }
      } else {
        for (String part : value.split(",")) {
          ks.add(Integer.parseInt(part.trim()));
        }
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--k must be a range like 2..12 or a list like 3,5,8, got '" + value + "'", e);
    }
    if (ks.isEmpty() || ks.first() < 2) {
      throw new IllegalArgumentException("--k values must be at least 2, got '" + value + "'");
    }
    return List.copyOf(ks);
  }
}
