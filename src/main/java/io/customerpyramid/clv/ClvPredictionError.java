package io.customerpyramid.clv;

/** A model function that cannot be evaluated for one customer's history; the message names the history and why. */
public final class ClvPredictionError extends RuntimeException {

  public ClvPredictionError(String message, Throwable cause) {
    super(message, cause);
  }

  /** The error for the customer with (x, t_x, T), from the model function's complaint. */
  static ClvPredictionError of(Long x, Double tx, Double age, IllegalArgumentException cause) {
    return new ClvPredictionError(
        "cannot predict for the customer with x = " + x + ", t_x = " + tx + ", T = " + age + ": " + cause.getMessage(), cause);
  }
}
