package io.customerpyramid.clv;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * What a run with clv.enabled reports of the future view: the fitted models, the forward tiers and
 * the development targets per tier, and the rules in force.
 *
 * @param cells clv_tier_matrix's cells, today's tier then the forward tier, top first
 * @param forwardCustomers customers per forward tier, top first
 * @param targetsByTier development targets per today's tier, top first (tiers without any left out)
 * @param lapsedRule the loyalty stage lapsed's rule, in words
 * @param abandonmentRule the abandonment candidates' rule, in words
 */
public record ClvSummary(
    ClvModel model,
    List<Cell> cells,
    Map<String, Long> forwardCustomers,
    Map<String, Long> targetsByTier,
    long targets,
    long vipTodayNotTomorrow,
    String horizon,
    String lapsedRule,
    String abandonmentRule) {

  /** One cell of the matrix from today's tier to the forward tier. */
  public record Cell(String from, String to, long customers, long targets, java.math.BigDecimal predictedClv) {}

  /** @param matrixRows clv_tier_matrix's rows, ordered by today's tier then the forward tier */
  public static ClvSummary of(ClvModel model, List<Row> matrixRows, JobConfig config) {
    Map<String, Long> forward = new LinkedHashMap<>();
    Map<String, Long> targets = new LinkedHashMap<>();
    long total = 0;
    long vipLost = 0;
    List<Row> byForward = new ArrayList<>(matrixRows);
    byForward.sort((a, b) -> Integer.compare(a.<Integer>getAs(Columns.TO_RANK), b.<Integer>getAs(Columns.TO_RANK)));
    for (Row row : byForward) {
      forward.merge(row.getAs(Columns.TO_TIER), row.<Long>getAs(Columns.CUSTOMERS), Long::sum);
    }
    for (Row row : matrixRows) {
      long cell = row.<Long>getAs(ForwardPyramid.DEVELOPMENT_TARGETS);
      if (cell > 0) {
        targets.merge(row.getAs(Columns.FROM_TIER), cell, Long::sum);
      }
      total += cell;
      if (row.<Integer>getAs(Columns.FROM_RANK) == 1 && row.<Integer>getAs(Columns.TO_RANK) != 1) {
        vipLost += row.<Long>getAs(Columns.CUSTOMERS);
      }
    }
    List<Cell> cells = new ArrayList<>();
    for (Row row : matrixRows) {
      cells.add(new Cell(row.getAs(Columns.FROM_TIER), row.getAs(Columns.TO_TIER), row.<Long>getAs(Columns.CUSTOMERS),
          row.<Long>getAs(ForwardPyramid.DEVELOPMENT_TARGETS), row.getAs(Columns.PREDICTED_CLV)));
    }
    JobConfig.Clv clv = config.clv();
    String lapsed =
        clv.lapsedRule() == JobConfig.LapsedRule.P_ALIVE
            ? String.format(Locale.ROOT, "P(alive) below %.2f (clv.lapsed_rule = p_alive)", clv.lapsedBelowPAlive())
            : "no positive order for more than " + config.loyalty().lapsedAfterDays() + " days (clv.lapsed_rule = days)";
    String abandonment =
        "Small, loss-making, poor quality"
            + (clv.abandonRequiresLowClv()
                ? " and predicted CLV at most " + clv.abandonMaxPredictedClv().toPlainString() + " (clv.abandon_requires_low_clv)"
                : "");
    return new ClvSummary(
        model, List.copyOf(cells), forward, targets, total, vipLost, clv.horizon() + " " + clv.timeUnit() + "s", lapsed, abandonment);
  }

  /** "r 0.243 (se 0.013), alpha 4.41 (se 0.38), ..." of one fit. */
  public static String parameters(ModelFit fit) {
    List<String> parts = new ArrayList<>();
    for (ParameterEstimate p : fit.parameters()) {
      parts.add(
          Double.isFinite(p.standardError())
              ? String.format(Locale.ROOT, "%s %.4g (se %.2g)", p.name(), p.value(), p.standardError())
              : String.format(Locale.ROOT, "%s %.4g (se n/a)", p.name(), p.value()));
    }
    return String.join(", ", parts);
  }

  /** The summary's lines. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(
        Locale.ROOT, "Future value over %s: BG/NBD %s; Gamma-Gamma %s", horizon, parameters(model.bgNbd()),
        parameters(model.gammaGamma())));
    lines.add(String.format(
        Locale.ROOT, "  fitted on %d customers (%d distinct x, t_x, T%s) and %d repeat buyers%s in %.1f s",
        Math.round(model.bgNbd().observations()), model.bgNbd().distinctRows(),
        model.binDays() > 0 ? ", durations in " + model.binDays() + "-day bins" : "",
        Math.round(model.gammaGamma().observations()),
        model.valueDigits() < ClvFitting.VALUE_DIGITS ? " (m to " + model.valueDigits() + " significant digits)" : "",
        model.seconds()));
    double r = model.frequencyValueCorrelation();
    lines.add(String.format(
        Locale.ROOT, "  r(x, m) over the repeat buyers %.2f%s", r,
        Math.abs(r) > ClvModel.CORRELATION_WARNING
            ? ": WARNING, spend per purchase varies with frequency; Gamma-Gamma assumes it does not (expected_order_value is biased)"
            : " (Gamma-Gamma assumes spend independent of frequency)"));
    lines.add("  Forward tiers by predicted CLV: " + counts(forwardCustomers) + "; VIP today but not tomorrow: " + vipTodayNotTomorrow);
    lines.add("  Development targets (forward tier above today's, likely alive, not lapsed, not loss-making): " + targets
        + (targetsByTier.isEmpty() ? "" : " (" + counts(targetsByTier) + ")"));
    lines.add("  Lapsed: " + lapsedRule + ". Abandonment candidates: " + abandonmentRule + ".");
    return lines;
  }

  private static String counts(Map<String, Long> byTier) {
    List<String> parts = new ArrayList<>();
    byTier.forEach((tier, n) -> parts.add(tier + " " + n));
    return String.join(", ", parts);
  }
}
