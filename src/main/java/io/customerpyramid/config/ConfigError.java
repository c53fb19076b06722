package io.customerpyramid.config;

/** A configuration problem found before any Spark work starts; the message names the key. */
public final class ConfigError extends RuntimeException {
  public ConfigError(String message) {
    super(message);
  }

  public ConfigError(String message, Throwable cause) {
    super(message, cause);
  }
}
