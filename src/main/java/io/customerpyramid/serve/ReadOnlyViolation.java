package io.customerpyramid.serve;

/** A client asked the read-only server for a statement it refuses; the client sees the message as its SQL error. */
public final class ReadOnlyViolation extends RuntimeException {

  public ReadOnlyViolation(String message) {
    super(message);
  }
}
