package io.customerpyramid.output;

import java.util.List;

/** Names of the output tables, each a directory under the output root partitioned by snapshot_date. */
public final class Tables {

  private Tables() {}

  public static final String CUSTOMER_FEATURES = "customer_features";
  public static final String CUSTOMER_SEGMENTS = "customer_segments";
  public static final String SEGMENT_PROFILES = "segment_profiles";
  public static final String TIER_SUMMARY = "tier_summary";
  public static final String PARETO_CURVE = "pareto_curve";
  public static final String RFM_BINS = "rfm_bins";
  public static final String REJECTS = "rejects";
  /** Run manifests: {@code _manifests/snapshot_date=S/manifest.json}. */
  public static final String MANIFESTS = "_manifests";

  public static final List<String> ALL =
      List.of(CUSTOMER_FEATURES, CUSTOMER_SEGMENTS, SEGMENT_PROFILES, TIER_SUMMARY, PARETO_CURVE, RFM_BINS, REJECTS);
}
