package io.customerpyramid.pipeline;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The snapshot dates of a backfill: from, from + step, from + 2 steps, ... up to and including to. */
public final class SnapshotDates {

  /** How far apart consecutive snapshots are. */
  public enum Step {
    DAY,
    WEEK,
    MONTH,
    QUARTER;

    /** The step named on the command line: day, week, month or quarter (any case). */
    public static Step parse(String name) {
      for (Step step : values()) {
        if (step.name().equalsIgnoreCase(name.trim())) {
          return step;
        }
      }
      throw new IllegalArgumentException("must be one of day, week, month, quarter, got '" + name + "'");
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final int MONTHS_PER_QUARTER = 3;

  private SnapshotDates() {}

  /**
   * Dates from {@code from} to {@code to} inclusive, ascending. The i-th date is from + i steps,
   * computed from {@code from} each time, so a month step from the 30th stays on the 30th after
   * February. When {@code from} is the last day of its month, month and quarter steps give the last
   * day of each month (2026-01-31, 2026-02-28, 2026-03-31, ...).
   */
  public static List<LocalDate> between(LocalDate from, LocalDate to, Step step) {
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("--from " + from + " is after --to " + to);
    }
    List<LocalDate> dates = new ArrayList<>();
    for (long i = 0; ; i++) {
      LocalDate date = nth(from, i, step);
      if (date.isAfter(to)) {
        return List.copyOf(dates);
      }
      dates.add(date);
    }
  }

  private static LocalDate nth(LocalDate from, long i, Step step) {
    boolean monthEnd = from.equals(YearMonth.from(from).atEndOfMonth());
    return switch (step) {
      case DAY -> from.plusDays(i);
      case WEEK -> from.plusWeeks(i);
      case MONTH -> monthEnd ? YearMonth.from(from).plusMonths(i).atEndOfMonth() : from.plusMonths(i);
      case QUARTER -> monthEnd
          ? YearMonth.from(from).plusMonths(MONTHS_PER_QUARTER * i).atEndOfMonth()
          : from.plusMonths(MONTHS_PER_QUARTER * i);
    };
  }
}
