package io.customerpyramid.cli;

import io.customerpyramid.CustomerPyramid;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.output.OutputLock;
import io.customerpyramid.report.ClvValidationReport;
import io.customerpyramid.tuning.ValidateClv;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segment validate-clv}: fit the future-value models before a holdout and compare their predictions with it. */
@Command(
    name = "validate-clv",
    mixinStandardHelpOptions = true,
    description = "Fit BG/NBD and Gamma-Gamma on the orders before S - N days, predict each customer's purchases in the last"
        + " N days, compare with what happened per frequency bucket and in total, and write the clv_validation table, a"
        + " chart and a page.")
final class ValidateClvCommand implements Callable<Integer> {

  @Mixin ConfigOptions configOptions = new ConfigOptions();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private int holdoutDays;

  @Option(
      names = "--holdout-days",
      paramLabel = "N",
      required = true,
      description = "Days before the snapshot date held out of the fit and predicted (at least 7).")
  void setHoldoutDays(int value) {
    if (value < 7) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--holdout-days must be at least 7, got " + value);
    }
    holdoutDays = value;
  }

  @Override
  public Integer call() {
    JobConfig config = configOptions.load();
    try (SparkSessions.JobSession session = SparkSessions.create("customer-pyramid validate-clv", config);
        OutputLock lock = session.writeOutput(config, "validate-clv")) {
      SparkSession spark = session.spark();
      ValidateClv.Outcome outcome = CustomerPyramid.validateClv(spark, config, holdoutDays, line -> System.out.println(line));
      System.out.println();
      System.out.print(ClvValidationReport.consoleTable(outcome.result().comparison()));
      System.out.println("clv_validation table: " + outcome.table() + " (snapshot_date=" + outcome.snapshotDate() + ")");
      System.out.println("Chart: " + outcome.png());
      System.out.println("Page:  " + outcome.html());
      return ExitCodes.SUCCESS;
    }
  }
}
