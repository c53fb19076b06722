package io.customerpyramid.segmentation;

/** A clustering fit cannot give segments on this data (collapsed components, non-finite features); the message says which and what to change. */
public final class ClusteringError extends RuntimeException {

  public ClusteringError(String message) {
    super(message);
  }
}
