package io.customerpyramid.cli;

import io.customerpyramid.books.BooksError;
import io.customerpyramid.catalog.CatalogError;
import io.customerpyramid.clv.ClvFitError;
import io.customerpyramid.clv.ClvPredictionError;
import io.customerpyramid.config.ConfigError;
import io.customerpyramid.ingest.InputError;
import io.customerpyramid.output.OutputLockedError;
import io.customerpyramid.segmentation.ClusteringError;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.spark.sql.AnalysisException;

/** Maps failures to exit codes and one readable line each. */
final class Failures {

  private Failures() {}

  static int exitCode(Throwable failure) {
    if (failure instanceof picocli.CommandLine.ParameterException) {
      return ExitCodes.USAGE;
    }
    Throwable cause = rootKnown(failure);
    if (cause instanceof ConfigError) {
      return ExitCodes.CONFIG_ERROR;
    }
    if (cause instanceof InputError || cause instanceof AnalysisException) {
      return ExitCodes.INPUT_ERROR;
    }
    if (cause instanceof OutputLockedError) {
      return ExitCodes.OUTPUT_IN_USE;
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
    if (cause instanceof OutputLockedError) {
      return "Output in use: " + cause.getMessage();
    }
    if (cause instanceof CatalogError) {
      return "Catalog error: " + cause.getMessage();
    }
    if (cause instanceof ClusteringError) {
      return "Segmentation failed: " + cause.getMessage();
    }
    if (cause instanceof ClvFitError) {
      return "Future-value model did not fit: " + cause.getMessage();
    }
    if (cause instanceof ClvPredictionError) {
      return "Future-value prediction failed: " + cause.getMessage();
    }
    if (cause instanceof BooksError) {
      return "Books do not balance: " + cause.getMessage();
    }
    if (inChain(failure, t -> t instanceof OutOfMemoryError || String.valueOf(t.getMessage()).contains("java.lang.OutOfMemoryError"))
        .isPresent()) {
      return "Run failed: out of memory (" + failure + "). " + MEMORY_ADVICE;
    }
    // An executor's out-of-memory error stops a local session: the run then fails on its next call
    // into Spark, with this message and without the error that caused it.
    Optional<Throwable> stopped =
        inChain(failure, t -> t instanceof IllegalStateException && String.valueOf(t.getMessage()).contains("stopped SparkContext"));
    if (stopped.isPresent()) {
      return "Run failed: Spark stopped during the run (" + stopped.get().getMessage() + "). The usual cause is an"
          + " OutOfMemoryError in a task, logged above. " + MEMORY_ADVICE;
    }
    return "Run failed: " + cause + (cause.getCause() != null ? " (caused by " + cause.getCause() + ")" : "");
  }

  private static final String MEMORY_ADVICE =
      "Give the job more memory (SEGMENT_DRIVER_MEMORY for jobs/segment, default 2g; --driver-memory or"
          + " --executor-memory for spark-submit) or more, smaller partitions (spark.shuffle_partitions).";

  private static Optional<Throwable> inChain(Throwable failure, Predicate<Throwable> test) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (test.test(t)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The first ConfigError, InputError, CatalogError, ClusteringError, ClvFitError or BooksError in the cause chain, else the failure itself. */
  private static Throwable rootKnown(Throwable failure) {
    return inChain(
            failure,
            t -> t instanceof ConfigError || t instanceof InputError || t instanceof AnalysisException || t instanceof CatalogError
                || t instanceof OutputLockedError
                || t instanceof ClusteringError || t instanceof ClvFitError || t instanceof ClvPredictionError
                || t instanceof BooksError)
        .orElse(failure);
  }
}
