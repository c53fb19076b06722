package io.customerpyramid.tiers;

/** The levels of the customer pyramid (seed 004), top first, each with its management strategy. */
public enum Tier {
  VIP(1, "Top of the pyramid: give special attention and protection, the best service and a dedicated contact; competitors target them."),
  MAJOR(2, "Main source of profit: moderate discounts and incentives and special services to keep them loyal against competitors."),
  ORDINARY(3, "Cultivate: study their needs and raise satisfaction to move them up the pyramid."),
  SMALL(4, "Simple, low-cost maintenance; control loss-makers and consider letting go of abandonment candidates.");

  private final int rank;
  private final String strategy;

  Tier(int rank, String strategy) {
    this.rank = rank;
    this.strategy = strategy;
  }

  /** 1 = VIP ... 4 = Small, for sorting. */
  public int rank() {
    return rank;
  }

  public String strategy() {
    return strategy;
  }

  /** The label written to the tables: VIP, Major, Ordinary, Small. */
  public String label() {
    return this == VIP ? "VIP" : name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
  }
}
