package io.customerpyramid.report;

/** Column names and labels of the tier_migrations and loyalty_migrations tables, as the report reads them. */
public final class MigrationColumns {

  private MigrationColumns() {}

  public static final String PREVIOUS_SNAPSHOT_DATE = "previous_snapshot_date";
  public static final String FROM_TIER = "from_tier";
  public static final String TO_TIER = "to_tier";
  public static final String FROM_LOYALTY_STAGE = "from_loyalty_stage";
  public static final String TO_LOYALTY_STAGE = "to_loyalty_stage";
  /** customers / customers of the from group in the previous snapshot; null for {@link #NEW}. */
  public static final String FROM_SHARE = "from_share";
  /** Sum of the customers' contribution in the previous snapshot; 0 for {@link #NEW}. */
  public static final String PREVIOUS_CONTRIBUTION = "previous_contribution";

  /** The from label of customers absent from the previous snapshot. */
  public static final String NEW = "(new)";
  /** The to label of customers absent from this snapshot. */
  public static final String GONE = "(gone)";
}
