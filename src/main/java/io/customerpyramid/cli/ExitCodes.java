package io.customerpyramid.cli;

/** Process exit codes, documented in the README for schedulers (Airflow, cron). */
public final class ExitCodes {

  private ExitCodes() {}

  public static final int SUCCESS = 0;
  /** Spark or the environment failed while running (retrying may help). */
  public static final int RUNTIME_FAILURE = 1;
  /** Bad command line (unknown option, missing argument). */
  public static final int USAGE = 2;
  /** Bad configuration: unknown key, invalid value (fix the config, do not retry). */
  public static final int CONFIG_ERROR = 3;
  /** Bad input: missing file or column, empty input, no usable rows (fix the data, do not retry). */
  public static final int INPUT_ERROR = 4;
  /** Another run is writing the same output root (its lock names it): nothing was written; retry once it ends. */
  public static final int OUTPUT_IN_USE = 5;
}
