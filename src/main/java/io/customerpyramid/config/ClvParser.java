package io.customerpyramid.config;

import static io.customerpyramid.config.ConfigChecks.positiveInt;
import static io.customerpyramid.config.ConfigChecks.rate;

import com.typesafe.config.Config;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** Parses and checks the {@code clv} section. */
final class ClvParser {

  private static final Map<String, Integer> TIME_UNITS = Map.of("day", 1, "week", 7);
  /** A horizon longer than ten years is not a forecast these models support. */
  private static final int MAX_HORIZON_DAYS = 3653;

  private ClvParser() {}

  static JobConfig.Clv parse(Config c) {
    String unit = c.getString("clv.time_unit").trim().toLowerCase(Locale.ROOT);
    Integer unitDays = TIME_UNITS.get(unit);
    if (unitDays == null) {
      throw new ConfigError("clv.time_unit must be one of [day, week], got '" + c.getString("clv.time_unit") + "'");
    }
    int horizon = positiveInt(c, "clv.horizon");
    if ((long) horizon * unitDays > MAX_HORIZON_DAYS) {
      throw new ConfigError(
          "clv.horizon must be at most ten years (" + MAX_HORIZON_DAYS / unitDays + " " + unit + "s), got " + horizon);
    }
    double discountRate = c.getDouble("clv.discount_rate");
    if (discountRate < 0 || discountRate >= 1) {
      throw new ConfigError("clv.discount_rate must be in [0, 1) (an annual rate), got " + discountRate);
    }
    String lapsed = c.getString("clv.lapsed_rule").trim();
    JobConfig.LapsedRule lapsedRule =
        Arrays.stream(JobConfig.LapsedRule.values())
            .filter(r -> r.configName().equals(lapsed))
            .findFirst()
            .orElseThrow(() -> new ConfigError("clv.lapsed_rule must be one of [days, p_alive], got '" + lapsed + "'"));
    BigDecimal abandonMax;
    try {
      abandonMax = new BigDecimal(c.getString("clv.abandon_max_predicted_clv").trim());
    } catch (NumberFormatException e) {
      throw new ConfigError(
          "clv.abandon_max_predicted_clv must be an amount, got '" + c.getString("clv.abandon_max_predicted_clv") + "'");
    }
    boolean enabled = c.getBoolean("clv.enabled");
    boolean abandonRequiresLowClv = c.getBoolean("clv.abandon_requires_low_clv");
    if (!enabled && (lapsedRule == JobConfig.LapsedRule.P_ALIVE || abandonRequiresLowClv)) {
      throw new ConfigError(
          "clv.lapsed_rule = \"p_alive\" and clv.abandon_requires_low_clv = true need the model: set clv.enabled = true");
    }
    int maxDistinct = positiveInt(c, "clv.max_distinct_triples");
    if (maxDistinct < 1000) {
      throw new ConfigError("clv.max_distinct_triples must be at least 1000, got " + maxDistinct);
    }
    return new JobConfig.Clv(
        enabled,
        unit,
        unitDays,
        horizon,
        discountRate,
        rate(c, "clv.alive_threshold"),
        lapsedRule,
        rate(c, "clv.lapsed_below_p_alive"),
        abandonRequiresLowClv,
        abandonMax,
        maxDistinct,
        positiveInt(c, "clv.max_iterations"));
  }
}
