package io.customerpyramid.ingest;

import io.customerpyramid.config.InputSource;
import io.customerpyramid.config.JobConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Spark reports a file that breaks in the middle of a read (a truncated gzip, a corrupt block) as a
 * failed task with the stream's exception and no file name. When a run fails that way, the inputs
 * are read through to find the files, so the error names them and counts as bad input (exit 4).
 */
public final class ReadFailures {

  private ReadFailures() {}

  /** An input error naming the unreadable files, when {@code failure} is a read failure and some file explains it. */
  public static Optional<InputError> explain(SparkSession spark, JobConfig config, Throwable failure) {
    if (!isReadFailure(failure)) {
      return Optional.empty();
    }
    List<String> found = new ArrayList<>();
    for (InputSource source : List.of(config.orders(), config.returns(), config.contacts(), config.invoices())) {
      if (source.isConfigured() && "csv".equals(source.format())) {
        InputFiles.unreadableToTheEnd(spark.sparkContext().hadoopConfiguration(), source, source.path().get())
            .forEach(bad -> found.add("input " + source.name() + ": " + bad));
      }
    }
    if (found.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new InputError(
        "reading the input failed: " + String.join("; ", found)
            + " (no snapshot was published; fix or remove the file, or set on_bad_file = \"skip\" for files whose start is already bad)",
        failure));
  }

  private static boolean isReadFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IOException || t.getClass().getName().startsWith("com.univocity.parsers")) {
        return true;
      }
      if (t instanceof org.apache.spark.SparkException && t.getMessage() != null
          && (t.getMessage().contains("EOFException") || t.getMessage().contains("ZipException") || t.getMessage().contains("IOException"))) {
        return true;
      }
    }
    return false;
  }
}
