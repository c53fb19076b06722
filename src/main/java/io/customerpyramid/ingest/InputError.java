package io.customerpyramid.ingest;

/** Input data that the job cannot use at all (missing file or column, empty input); the message names it. */
public final class InputError extends RuntimeException {
  public InputError(String message) {
    super(message);
  }

  public InputError(String message, Throwable cause) {
    super(message, cause);
  }
}
