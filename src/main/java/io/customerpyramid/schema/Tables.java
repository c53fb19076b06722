package io.customerpyramid.schema;

import java.util.List;
import java.util.Map;

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
  /** Customers and contribution moved from each tier to each tier since the previous snapshot. */
  public static final String TIER_MIGRATIONS = "tier_migrations";
  /** The same between loyalty stages. */
  public static final String LOYALTY_MIGRATIONS = "loyalty_migrations";
  /** The same between segments (their ids kept by matching centres). */
  public static final String SEGMENT_MIGRATIONS = "segment_migrations";
  /** clv.enabled: one row per customer, the BTYD summary, P(alive), predicted CLV, today's and the forward tier. */
  public static final String CUSTOMER_CLV = "customer_clv";
  /** clv.enabled: the fitted BG/NBD and Gamma-Gamma parameters with standard errors. */
  public static final String CLV_MODEL = "clv_model";
  /** clv.enabled: customers from each tier today to each forward tier. */
  public static final String CLV_TIER_MATRIX = "clv_tier_matrix";
  /** clv.enabled: the development targets, each with its reason. */
  public static final String CLV_TARGETS = "clv_targets";
  /** validate-clv: predicted against actual purchases in a holdout, per frequency bucket (not written by a run). */
  public static final String CLV_VALIDATION = "clv_validation";
  /** tune-k's sweep: one row per k and seed (not written by a run). */
  public static final String K_SWEEP = "k_sweep";
  /** tune-k's chart and report: {@code _tuning/snapshot_date=S/k_sweep.png} and {@code .html}. */
  public static final String TUNING_REPORTS = "_tuning";
  /** validate-clv's chart and page: {@code _clv_validation/snapshot_date=S/clv_validation.png} and {@code .html}. */
  public static final String CLV_VALIDATION_REPORTS = "_clv_validation";
  /** Each run's fitted segmentation model: {@code _models/snapshot_date=S/run_id=R} (an MLlib PipelineModel). */
  public static final String MODELS = "_models";
  /** Run manifests: {@code _manifests/snapshot_date=S/manifest.json}, the published run of each snapshot. */
  public static final String MANIFESTS = "_manifests";
  /**
   * The catalog's publish pointer: one row (the published run_id) per snapshot, the partition of
   * {@code published_runs} whose location is switched to publish a run.
   */
  public static final String PUBLISHED = "_published";
  /** Per-run HTML report: {@code reports/snapshot_date=S/run_id=R/report.html}. */
  public static final String REPORTS = "reports";

  /** The tables a run writes, each under {@code <table>/snapshot_date=S/run_id=R}. */
  public static final List<String> ALL =
      List.of(CUSTOMER_FEATURES, CUSTOMER_SEGMENTS, SEGMENT_PROFILES, TIER_SUMMARY, PARETO_CURVE, RFM_BINS, REJECTS,
          TIER_MIGRATIONS, LOYALTY_MIGRATIONS, SEGMENT_MIGRATIONS);

  /** The tables a run with clv.enabled writes besides {@link #ALL}. */
  public static final List<String> CLV = List.of(CUSTOMER_CLV, CLV_MODEL, CLV_TIER_MATRIX, CLV_TARGETS);

  /** Every table a run may write: what the catalog keeps in step and what a clean-up looks at. */
  public static final List<String> ANY_RUN = java.util.stream.Stream.concat(ALL.stream(), CLV.stream()).toList();

  /** The tables a run writes, with or without the future-value tables. */
  public static List<String> written(boolean clv) {
    return clv ? ANY_RUN : ALL;
  }

  /** Tables with at least one row in every snapshot (a run has at least one customer). */
  public static final java.util.Set<String> ALWAYS_HAVE_ROWS =
      java.util.Set.of(
          CUSTOMER_FEATURES, CUSTOMER_SEGMENTS, SEGMENT_PROFILES, TIER_SUMMARY, PARETO_CURVE, RFM_BINS, CUSTOMER_CLV, CLV_MODEL,
          CLV_TIER_MATRIX);

  /**
   * Each table's schema version, as docs/tables.md documents it and the catalog records it. Raise a
   * table's version whenever its columns change (names, types, order); TableSchemaVersionsTest fails
   * otherwise.
   */
  public static final Map<String, Integer> SCHEMA_VERSIONS =
      Map.ofEntries(
          Map.entry(CUSTOMER_FEATURES, 3),
          Map.entry(CUSTOMER_SEGMENTS, 3),
          Map.entry(SEGMENT_PROFILES, 3),
          Map.entry(TIER_SUMMARY, 3),
          Map.entry(PARETO_CURVE, 2),
          Map.entry(RFM_BINS, 2),
          Map.entry(REJECTS, 2),
          Map.entry(TIER_MIGRATIONS, 3),
          Map.entry(LOYALTY_MIGRATIONS, 3),
          Map.entry(SEGMENT_MIGRATIONS, 1),
          Map.entry(CUSTOMER_CLV, 1),
          Map.entry(CLV_MODEL, 1),
          Map.entry(CLV_TIER_MATRIX, 1),
          Map.entry(CLV_TARGETS, 1),
          Map.entry(CLV_VALIDATION, 1),
          Map.entry(K_SWEEP, 2));

  private static final Map<String, String> DESCRIPTIONS =
      Map.ofEntries(
          Map.entry(CUSTOMER_FEATURES, "One row per customer: RFM and cost-to-serve features as of the snapshot"),
          Map.entry(CUSTOMER_SEGMENTS, "One row per customer: tier, strategy, segment, RFM and loyalty labels, Pareto rank, key figures"),
          Map.entry(SEGMENT_PROFILES, "Per k-means segment and feature: mean, median, standard deviation and z-score"),
          Map.entry(TIER_SUMMARY, "Per tier: customers, shares of customers and contribution, averages"),
          Map.entry(PARETO_CURVE, "Lorenz curve points: share of customers (best first) against cumulative share of the measure"),
          Map.entry(RFM_BINS, "Quintile edges of the RFM scores and the customers per score"),
          Map.entry(REJECTS, "Input rows not accepted, with the reason, the raw row and its file"),
          Map.entry(TIER_MIGRATIONS, "Customers and contribution moved from each tier to each tier since the previous snapshot"),
          Map.entry(LOYALTY_MIGRATIONS, "Customers and contribution moved from each loyalty stage to each stage since the previous snapshot"),
          Map.entry(SEGMENT_MIGRATIONS, "Customers and contribution moved from each segment to each segment since the previous snapshot"),
          Map.entry(CUSTOMER_CLV, "One row per customer: purchase summary, P(alive), expected purchases and value, predicted CLV, today's and forward tier"),
          Map.entry(CLV_MODEL, "Fitted BG/NBD and Gamma-Gamma parameters with standard errors and log-likelihood"),
          Map.entry(CLV_TIER_MATRIX, "Customers, contribution and predicted CLV from each tier today to each forward tier"),
          Map.entry(CLV_TARGETS, "Development targets: forward tier above today's, likely alive, not loss-making, with the reason"),
          Map.entry(CLV_VALIDATION, "validate-clv: predicted against actual purchases in a holdout, per frequency bucket"),
          Map.entry(K_SWEEP, "tune-k: clustering quality per number of clusters k and seed"));

  /** The documented schema version of a table. */
  public static int schemaVersion(String table) {
    Integer version = SCHEMA_VERSIONS.get(table);
    if (version == null) {
      throw new IllegalArgumentException("No schema version for table " + table + " in Tables.SCHEMA_VERSIONS");
    }
    return version;
  }

  /** One line on what a table holds, used as its comment in the catalog. */
  public static String description(String table) {
    return DESCRIPTIONS.getOrDefault(table, "");
  }
}
