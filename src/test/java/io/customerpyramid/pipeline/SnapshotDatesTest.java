package io.customerpyramid.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.pipeline.SnapshotDates.Step;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Backfill date stepping: from + i steps, month ends kept, inclusive bounds, bad input named. */
class SnapshotDatesTest {

  private static LocalDate d(String iso) {
    return LocalDate.parse(iso);
  }

  private static List<LocalDate> dates(String... iso) {
    return java.util.Arrays.stream(iso).map(LocalDate::parse).toList();
  }

  @Test
  void monthStepsFromAMonthEndStayOnMonthEnds() {
    assertEquals(
        dates("2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"),
        SnapshotDates.between(d("2026-01-31"), d("2026-05-31"), Step.MONTH));
    // A leap year; the 29th of February is the month end.
    assertEquals(
        dates("2024-02-29", "2024-03-31", "2024-04-30"), SnapshotDates.between(d("2024-02-29"), d("2024-05-15"), Step.MONTH));
    // Month ends across a year boundary.
    assertEquals(
        dates("2025-11-30", "2025-12-31", "2026-01-31"), SnapshotDates.between(d("2025-11-30"), d("2026-01-31"), Step.MONTH));
  }

  @Test
  void monthStepsFromAnotherDayAreComputedFromTheStartNotCumulatively() {
    // From the 30th: February clamps to its last day, March is the 30th again (not the 28th).
    assertEquals(
        dates("2026-01-30", "2026-02-28", "2026-03-30", "2026-04-30"),
        SnapshotDates.between(d("2026-01-30"), d("2026-04-30"), Step.MONTH));
    assertEquals(
        dates("2026-01-01", "2026-02-01", "2026-03-01"), SnapshotDates.between(d("2026-01-01"), d("2026-03-15"), Step.MONTH));
  }

  @Test
  void quarterStepsAreThreeMonthsAndKeepMonthEnds() {
    assertEquals(
        dates("2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31", "2026-03-31"),
        SnapshotDates.between(d("2025-03-31"), d("2026-03-31"), Step.QUARTER));
    assertEquals(
        dates("2025-11-30", "2026-02-28", "2026-05-31"), SnapshotDates.between(d("2025-11-30"), d("2026-06-29"), Step.QUARTER));
    assertEquals(
        dates("2026-01-15", "2026-04-15", "2026-07-15"), SnapshotDates.between(d("2026-01-15"), d("2026-10-14"), Step.QUARTER));
  }

  @Test
  void dayAndWeekStepsAndInclusiveBounds() {
    assertEquals(
        dates("2026-02-27", "2026-02-28", "2026-03-01"), SnapshotDates.between(d("2026-02-27"), d("2026-03-01"), Step.DAY));
    assertEquals(
        dates("2026-01-31", "2026-02-07", "2026-02-14"), SnapshotDates.between(d("2026-01-31"), d("2026-02-14"), Step.WEEK));
    assertEquals(dates("2026-01-31", "2026-02-07"), SnapshotDates.between(d("2026-01-31"), d("2026-02-13"), Step.WEEK));
  }

  @Test
  void fromEqualToIsOneSnapshotForEveryStep() {
    for (Step step : Step.values()) {
      assertEquals(dates("2026-03-31"), SnapshotDates.between(d("2026-03-31"), d("2026-03-31"), step), step.label());
    }
  }

  @Test
  void fromAfterToAndUnknownStepsAreErrorsThatNameTheValues() {
    IllegalArgumentException reversed =
        assertThrows(IllegalArgumentException.class, () -> SnapshotDates.between(d("2026-03-01"), d("2026-02-01"), Step.DAY));
    assertEquals("--from 2026-03-01 is after --to 2026-02-01", reversed.getMessage());
    assertEquals(Step.QUARTER, Step.parse("Quarter"));
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Step.parse("year"));
    assertTrue(unknown.getMessage().contains("day, week, month, quarter"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("'year'"), unknown.getMessage());
  }
}
