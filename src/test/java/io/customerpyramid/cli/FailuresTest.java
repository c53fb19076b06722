package io.customerpyramid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
