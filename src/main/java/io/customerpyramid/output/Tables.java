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
  /** tune-k's sweep: one row per k and seed (not written by a run). */
  public static final String K_SWEEP = "k_sweep";
  /** tune-k's chart and report: {@code _tuning/snapshot_date=S/k_sweep.png} and {@code .html}. */
  public static final String TUNING_REPORTS = "_tuning";
  /** Each run's fitted segmentation model: {@code _models/snapshot_date=S} (an MLlib PipelineModel). */
  public static final String MODELS = "_models";
  /** Run manifests: {@code _manifests/snapshot_date=S/manifest.json}. */
  public static final String MANIFESTS = "_manifests";
  /** Per-snapshot HTML report: {@code reports/snapshot_date=S/report.html}. */
  public static final String REPORTS = "reports";

  public static final List<String> ALL =
      List.of(CUSTOMER_FEATURES, CUSTOMER_SEGMENTS, SEGMENT_PROFILES, TIER_SUMMARY, PARETO_CURVE, RFM_BINS, REJECTS);
}
