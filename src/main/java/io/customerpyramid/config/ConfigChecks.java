package io.customerpyramid.config;

import com.typesafe.config.Config;

/** Range checks shared by the config parsers; each failure is a {@link ConfigError} naming the key. */
final class ConfigChecks {

  /** RFM scores run from 1 to this. */
  static final int RFM_SCORES = 5;

  private ConfigChecks() {}

  static int positiveInt(Config c, String key) {
    int value = c.getInt(key);
    requireAtLeast(key, value, 1);
    return value;
  }

  static int scoreInt(Config c, String key) {
    int value = c.getInt(key);
    if (value < 1 || value > RFM_SCORES) {
      throw new ConfigError(key + " must be a score from 1 to 5, got " + value);
    }
    return value;
  }

  static double rate(Config c, String key) {
    double value = c.getDouble(key);
    if (value < 0 || value > 1) {
      throw new ConfigError(key + " must be in [0, 1], got " + value);
    }
    return value;
  }

  static void requireAtLeast(String key, long value, long min) {
    if (value < min) {
      throw new ConfigError(key + " must be at least " + min + ", got " + value);
    }
  }

  static void requireNonNegative(String key, double value) {
    if (value < 0) {
      throw new ConfigError(key + " must not be negative, got " + value);
    }
  }
}
