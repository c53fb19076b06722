package io.customerpyramid.schema;

import java.util.List;

/** Every column name the job reads internally or writes, defined once. */
public final class Columns {

  private Columns() {}

  public static final String SNAPSHOT_DATE = "snapshot_date";
  /** The run that wrote a row: a partition column of every snapshot table, beside snapshot_date. */
  public static final String RUN_ID = "run_id";
  public static final String CUSTOMER_ID = "customer_id";

  // Canonical input columns (after the config's column mapping).
  public static final String ORDER_ID = "order_id";
  public static final String ORDER_TS = "order_ts";
  public static final String AMOUNT = "amount";
  public static final String QUANTITY = "quantity";
  public static final String UNIT_PRICE = "unit_price";
  public static final String DISCOUNT = "discount";
  public static final String COST_OF_GOODS = "cost_of_goods";
  public static final String RETURN_TS = "return_ts";
  public static final String REFUND_AMOUNT = "refund_amount";
  public static final String CONTACT_TS = "contact_ts";
  public static final String CONTACT_TYPE = "contact_type";
  public static final String HANDLING_COST = "handling_cost";
  public static final String DUE_DATE = "due_date";
  public static final String PAID_DATE = "paid_date";
  public static final String WRITTEN_OFF = "written_off";
  /** Optional: an export's line number or product code; lines that differ in it are never duplicates. */
  public static final String LINE_ID = "line_id";

  // Ingest bookkeeping.
  public static final String REJECT_REASON = "reject_reason";
  public static final String RAW_RECORD = "raw_record";
  public static final String SOURCE_FILE = "source_file";
  public static final String INPUT = "input";
  public static final String CORRUPT_RECORD = "_corrupt_record";
  /** Why a whole file was left out ({@code on_bad_file = "skip"}): the one row that stands for it; null for rows read. */
  public static final String FILE_PROBLEM = "_file_problem";
  /** The source columns of a row as read (a struct), until its raw record is rendered for a reject. */
  public static final String SOURCE_ROW = "_source_row";
  /** The compared source columns (a struct) when deduplication compares chosen columns; null otherwise. */
  public static final String DUPLICATE_KEY = "duplicate_key";
  /**
   * Where an order row is placed: its customer id, or for a row without one (always a reject) a hash of
   * the row, so that such rows spread instead of all landing in one partition.
   */
  public static final String CUSTOMER_PLACEMENT = "_customer_placement";

  // Cleaned order lines.
  public static final String LINE_VALUE = "line_value";
  public static final String LINE_COST = "line_cost";
  public static final String IS_RETURN_LINE = "is_return_line";
  public static final String IN_LOOKBACK = "in_lookback";

  // customer_features
  public static final String FIRST_ORDER_DATE = "first_order_date";
  public static final String LAST_ORDER_DATE = "last_order_date";
  public static final String RECENCY_DAYS = "recency_days";
  public static final String TENURE_DAYS = "tenure_days";
  public static final String FREQUENCY = "frequency";
  public static final String REVENUE = "revenue";
  public static final String RETURNS = "returns";
  public static final String NET_REVENUE = "net_revenue";
  public static final String AVG_ORDER_VALUE = "avg_order_value";
  public static final String DISCOUNT_AMOUNT = "discount_amount";
  public static final String DISCOUNT_RATE = "discount_rate";
  public static final String RETURN_RATE = "return_rate";
  public static final String SERVICE_COST = "service_cost";
  public static final String CONTACT_COUNT = "contact_count";
  public static final String COMPLAINT_COUNT = "complaint_count";
  public static final String INVOICE_COUNT = "invoice_count";
  public static final String LATE_PAYMENT_RATE = "late_payment_rate";
  public static final String AVG_DAYS_LATE = "avg_days_late";
  public static final String BAD_DEBT = "bad_debt";
  public static final String CONTRIBUTION = "contribution";

  /** Numeric per-customer features: candidates for clustering and the columns profiled per segment. */
  public static final List<String> NUMERIC_FEATURES =
      List.of(
          RECENCY_DAYS,
          TENURE_DAYS,
          FREQUENCY,
          REVENUE,
          RETURNS,
          NET_REVENUE,
          AVG_ORDER_VALUE,
          DISCOUNT_AMOUNT,
          DISCOUNT_RATE,
          RETURN_RATE,
          COST_OF_GOODS,
          SERVICE_COST,
          CONTACT_COUNT,
          COMPLAINT_COUNT,
          INVOICE_COUNT,
          LATE_PAYMENT_RATE,
          AVG_DAYS_LATE,
          BAD_DEBT,
          CONTRIBUTION);

  // RFM and labels
  public static final String R_SCORE = "r_score";
  public static final String F_SCORE = "f_score";
  public static final String M_SCORE = "m_score";
  public static final String RFM_CODE = "rfm_code";
  public static final String RFM_SEGMENT = "rfm_segment";
  public static final String LOYALTY_STAGE = "loyalty_stage";
  public static final String QUALITY = "quality";
  public static final String QUALITY_REASONS = "quality_reasons";

  // rfm_bins
  public static final String DIMENSION = "dimension";
  public static final String SCORE = "score";
  public static final String LOWER_BOUND = "lower_bound";
  public static final String UPPER_BOUND = "upper_bound";
  public static final String CUSTOMERS = "customers";

  // segmentation
  public static final String SEGMENT_ID = "segment_id";
  public static final String FEATURE = "feature";
  public static final String MEAN = "mean";
  public static final String MEDIAN = "median";
  public static final String Z_SCORE = "z_score";
  public static final String SEGMENT_NAME = "segment_name";
  public static final String CUSTOMER_SHARE = "customer_share";
  public static final String REVENUE_SHARE = "revenue_share";
  public static final String CONTRIBUTION_SHARE = "contribution_share";

  // k_sweep (tune-k)
  public static final String K = "k";
  public static final String SEED = "seed";
  public static final String WSSSE = "wssse";
  public static final String SILHOUETTE = "silhouette";
  public static final String CALINSKI_HARABASZ = "calinski_harabasz";
  public static final String DAVIES_BOULDIN = "davies_bouldin";
  public static final String SMALLEST_CLUSTER_SHARE = "smallest_cluster_share";
  public static final String CLUSTERS_FOUND = "clusters_found";
  public static final String STABILITY = "stability";
  public static final String RECOMMENDED = "recommended";
  /** tune-k: share of a fit's segments matched to the previous snapshot's (null without one). */
  public static final String PREVIOUS_MATCH = "previous_match";

  // pareto
  public static final String PARETO_MEASURE = "pareto_measure";
  public static final String PARETO_RANK = "pareto_rank";
  public static final String CUMULATIVE_SHARE = "cumulative_share";
  public static final String CUMULATIVE_SHARE_BEFORE = "cumulative_share_before";
  public static final String CUSTOMER_PERCENTILE = "customer_percentile";
  public static final String POINT = "point";

  // tiers
  public static final String TIER = "tier";
  public static final String TIER_RANK = "tier_rank";

  // Movement between snapshots (tier_migrations, loyalty_migrations, segment_migrations).
  public static final String PREVIOUS_SNAPSHOT_DATE = "previous_snapshot_date";
  public static final String FROM_TIER = "from_tier";
  public static final String TO_TIER = "to_tier";
  public static final String FROM_LOYALTY_STAGE = "from_loyalty_stage";
  public static final String TO_LOYALTY_STAGE = "to_loyalty_stage";
  public static final String FROM_SEGMENT = "from_segment";
  public static final String TO_SEGMENT = "to_segment";
  /** Sort key of the from / to values: 0 = (new), the tier rank or stage order, then (gone). */
  public static final String FROM_RANK = "from_rank";
  public static final String TO_RANK = "to_rank";
  /** Share of the from value's customers in the previous snapshot that moved to the to value. */
  public static final String FROM_SHARE = "from_share";
  public static final String PREVIOUS_CONTRIBUTION = "previous_contribution";
  public static final String TIER_STRATEGY = "tier_strategy";
  public static final String ABANDONMENT_CANDIDATE = "abandonment_candidate";

  // Future value (customer_clv, clv_model, clv_tier_matrix, clv_targets); durations in clv.time_unit.
  /** x: purchase days after the first (several orders on one day are one purchase). */
  public static final String REPEAT_PURCHASES = "repeat_purchases";
  /** t_x: last purchase day minus first purchase day. */
  public static final String T_X = "t_x";
  /** T: the last observed day (S minus one day) minus the first purchase day. */
  public static final String CUSTOMER_AGE = "customer_age";
  /** m: mean value of the repeat purchase days (null without a repeat purchase). */
  public static final String MEAN_REPEAT_VALUE = "mean_repeat_value";
  public static final String P_ALIVE = "p_alive";
  public static final String EXPECTED_PURCHASES = "expected_purchases";
  public static final String EXPECTED_ORDER_VALUE = "expected_order_value";
  /** Contribution per unit of revenue in the lookback, clipped to [-1, 1]. */
  public static final String MARGIN_RATE = "margin_rate";
  public static final String PREDICTED_CLV = "predicted_clv";
  public static final String FORWARD_TIER = "forward_tier";
  public static final String FORWARD_TIER_RANK = "forward_tier_rank";
  public static final String FORWARD_RANK = "forward_rank";
  public static final String FORWARD_CUMULATIVE_SHARE = "forward_cumulative_share";
  public static final String IS_DEVELOPMENT_TARGET = "is_development_target";
  public static final String TARGET_REASON = "target_reason";
  public static final String MODEL = "model";
  public static final String PARAMETER = "parameter";
  public static final String VALUE = "value";
  public static final String STANDARD_ERROR = "standard_error";
  public static final String LOG_LIKELIHOOD = "log_likelihood";
  public static final String DISTINCT_ROWS = "distinct_rows";
  public static final String ITERATIONS = "iterations";
  public static final String TIME_UNIT = "time_unit";
  /** Width in days of the bins durations were rounded to for the fit (0: exact). */
  public static final String BIN_DAYS = "bin_days";
}
