package io.customerpyramid.schema;

/** Comparing shares of a measure (cumulative shares, rank percentiles) with thresholds. */
public final class Shares {

  private Shares() {}

  /** Shares this close to a threshold count as reaching it (running sums of doubles drift in the last bits). */
  public static final double TOLERANCE = 1e-9;
}
