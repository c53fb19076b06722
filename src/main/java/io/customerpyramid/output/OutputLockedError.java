package io.customerpyramid.output;

/** Another run holds the output root: nothing was written; try again once it ends. */
public final class OutputLockedError extends RuntimeException {
  public OutputLockedError(String message) {
    super(message);
  }
}
