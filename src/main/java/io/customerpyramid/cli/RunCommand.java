package io.customerpyramid.cli;

import io.customerpyramid.CustomerPyramid;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.ingest.ReadFailures;
import io.customerpyramid.output.OutputLock;
import io.customerpyramid.pipeline.RunResult;
import io.customerpyramid.pipeline.RunSummary;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segment run}: the segmentation job on the configured inputs. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the segmentation job and write the tier tables.")
final class RunCommand implements Callable<Integer> {

  @Mixin ConfigOptions configOptions = new ConfigOptions();

  @Option(
      names = "--model",
      paramLabel = "PATH",
      description = "Score segments with a model saved by an earlier run (e.g. output/_models/snapshot_date=2026-10-31) instead of refitting.")
  String modelPath;

  @Override
  public Integer call() throws Exception {
    JobConfig config = configOptions.load();
    try (SparkSessions.JobSession session = SparkSessions.create("customer-pyramid", config);
        OutputLock lock = session.writeOutput(config, "run")) {
      SparkSession spark = session.spark();
      RunResult result;
      try {
        result = CustomerPyramid.run(spark, config, Optional.ofNullable(modelPath));
      } catch (Exception failure) {
        // SparkException is checked in Java's eyes but thrown from Scala without a declaration.
        throw ReadFailures.explain(spark, config, failure).<Exception>map(e -> e).orElse(failure);
      }
      System.out.println();
      System.out.print(RunSummary.render(result));
      return ExitCodes.SUCCESS;
    }
  }
}
