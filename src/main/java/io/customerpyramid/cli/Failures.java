package io.customerpyramid.cli;

import io.customerpyramid.config.ConfigError;
import io.customerpyramid.ingest.InputError;
import org.apache.spark.sql.AnalysisException;

/** Maps failures to exit codes and one readable line each. */
final class Failures {

  private Failures() {}

  static int exitCode(Throwable failure) {
    Throwable cause = rootKnown(failure);
    if (cause instanceof ConfigError) {
      return ExitCodes.CONFIG_ERROR;
    }
    if (cause instanceof InputError || cause instanceof AnalysisException) {
      return ExitCodes.INPUT_ERROR;
    }
    // Parse errors (unknown option, bad value) reach here too once an exit-code mapper is set.
    if (failure instanceof picocli.CommandLine.ParameterException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.RUNTIME_FAILURE;
  }

  static String describe(Throwable failure) {
    Throwable cause = rootKnown(failure);
    if (cause instanceof ConfigError) {
      return "Configuration error: " + cause.getMessage();
    }
    if (cause instanceof InputError || cause instanceof AnalysisException) {
      return "Input error: " + cause.getMessage();
    }
    return "Run failed: " + cause + (cause.getCause() != null ? " (caused by " + cause.getCause() + ")" : "");
  }

  /** The first ConfigError or InputError in the cause chain, else the failure itself. */
  private static Throwable rootKnown(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConfigError || t instanceof InputError || t instanceof AnalysisException) {
        return t;
      }
    }
    return failure;
  }
}
