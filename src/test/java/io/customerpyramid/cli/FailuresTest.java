package io.customerpyramid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.books.BooksError;
import io.customerpyramid.segmentation.ClusteringError;
import org.junit.jupiter.api.Test;

/** What a failed fit prints and which exit code it ends with. */
class FailuresTest {

  @Test
  void aClusteringFailureEndsWithExitCodeOneAndItsOwnMessage() {
    // As it arrives from a Spark ML pipeline: wrapped by whoever called the fit.
    RuntimeException wrapped = new RuntimeException("stage failed", new ClusteringError("Gaussian mixture: only 1 of k = 3 components kept"));
    assertEquals(ExitCodes.RUNTIME_FAILURE, Failures.exitCode(wrapped));
    assertEquals(1, ExitCodes.RUNTIME_FAILURE);
    assertEquals("Segmentation failed: Gaussian mixture: only 1 of k = 3 components kept", Failures.describe(wrapped));
  }

  @Test
  void unbalancedBooksEndWithExitCodeOneAndSayWhichInput() {
    RuntimeException wrapped = new RuntimeException("stage books failed", new BooksError("orders: accepted 10 but customer_features holds 7"));
    assertEquals(ExitCodes.RUNTIME_FAILURE, Failures.exitCode(wrapped));
    assertEquals("Books do not balance: orders: accepted 10 but customer_features holds 7", Failures.describe(wrapped));
  }

  @Test
  void aSparkStoppedByAnOutOfMemoryErrorSaysSoAndHowToGiveItMemory() {
    // What a 10 M-customer run with 8 shuffle partitions and a 2 GB heap ended with.
    RuntimeException stopped =
        new RuntimeException("stage failed", new IllegalStateException("Cannot call methods on a stopped SparkContext."));
    assertEquals(ExitCodes.RUNTIME_FAILURE, Failures.exitCode(stopped));
    assertEquals(
        "Run failed: Spark stopped during the run (Cannot call methods on a stopped SparkContext.). The usual cause"
            + " is an OutOfMemoryError in a task, logged above. Give the job more memory (SEGMENT_DRIVER_MEMORY for"
            + " jobs/segment, default 2g; --driver-memory or --executor-memory for spark-submit) or more, smaller"
            + " partitions (spark.shuffle_partitions).",
        Failures.describe(stopped));
    // A task's error as Spark reports it to the driver: its text names the error.
    RuntimeException taskFailed =
        new RuntimeException("Job aborted due to stage failure: Task 1 in stage 19.0 failed: java.lang.OutOfMemoryError: Java heap space");
    assertTrue(Failures.describe(taskFailed).startsWith("Run failed: out of memory (java.lang.RuntimeException: Job aborted"));
    assertTrue(Failures.describe(new OutOfMemoryError("Java heap space")).endsWith("(spark.shuffle_partitions)."));
  }
}
