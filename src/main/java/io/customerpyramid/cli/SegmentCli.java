package io.customerpyramid.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of jobs/segment and of spark-submit: {@code run}, {@code backfill}, {@code serve}, {@code tune-k} and {@code generate}. */
@Command(
    name = "segment",
    mixinStandardHelpOptions = true,
    versionProvider = SegmentCli.VersionProvider.class,
    description = "customer-pyramid: order history to RFM and cost-to-serve features, k-means segments, Pareto shares and a tiered customer pyramid.",
    subcommands = {RunCommand.class, BackfillCommand.class, ServeCommand.class, ServeUsersCommand.class, TuneKCommand.class, ValidateClvCommand.class, GenerateCommand.class, JitHintCommand.class, CommandLine.HelpCommand.class})
public final class SegmentCli {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns the exit code (tests call this instead of main). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new SegmentCli());
    cli.setExitCodeExceptionMapper(Failures::exitCode);
    cli.setExecutionExceptionHandler(
        (exception, commandLine, parseResult) -> {
          commandLine.getErr().println(Failures.describe(exception));
          return Failures.exitCode(exception);
        });
    return cli.execute(args);
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"customer-pyramid " + io.customerpyramid.pipeline.Versions.jobVersion()};
    }
  }
}
