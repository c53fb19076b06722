package io.customerpyramid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backfill's command line: usage errors name the option, a configured snapshot.date and an early date are refused. */
class BackfillCommandTest {

  @TempDir Path dir;

  private static void assertUsage(String expectedMessage, String... args) {
    CliRun.Outcome outcome = CliRun.execute(args);
    assertEquals(ExitCodes.USAGE, outcome.exit(), outcome.err());
    assertTrue(outcome.err().contains(expectedMessage), "expected <" + expectedMessage + "> in: " + outcome.err());
  }

  @Test
  void badDatesAndStepsAreUsageErrorsNamingTheOption() {
    assertUsage("--from must be a date yyyy-MM-dd, got '2026-02-30'", "backfill", "--from", "2026-02-30", "--to", "2026-03-31");
    assertUsage("--to must be a date yyyy-MM-dd, got '31.03.2026'", "backfill", "--from", "2026-01-31", "--to", "31.03.2026");
    assertUsage(
        "--every must be one of day, week, month, quarter, got 'year'",
        "backfill", "--from", "2026-01-31", "--to", "2026-03-31", "--every", "year");
    assertUsage("--from 2026-04-30 is after --to 2026-03-31", "backfill", "--from", "2026-04-30", "--to", "2026-03-31");
    assertUsage("--to", "backfill", "--from", "2026-01-31");
    assertUsage("--no-such-option", "backfill", "--from", "2026-01-31", "--to", "2026-03-31", "--no-such-option");
  }

  @Test
  void aConfiguredSnapshotDateIsAConfigurationError() {
    CliRun.Outcome outcome =
        CliRun.execute("backfill", "--from", "2026-01-31", "--to", "2026-03-31", "--set", "snapshot.date=2026-02-01");
    assertEquals(ExitCodes.CONFIG_ERROR, outcome.exit(), outcome.err());
    assertTrue(outcome.err().contains("snapshot.date is set (2026-02-01)"), outcome.err());
  }

  @Test
  void aSnapshotDateBeforeTheFirstOrderIsAnInputErrorAndWritesNothing() {
    String orders =
        Fixtures.csv(dir, "orders.csv", "order_id,customer_id,order_ts,amount,discount,cost_of_goods", "o1,c1,2024-03-10 10:00:00,10,,");
    Path output = dir.resolve("output");
    CliRun.Outcome outcome =
        CliRun.execute(
            "backfill", "--from", "2024-01-31", "--to", "2024-03-31", "--every", "month",
            "--set", "input.orders.path=" + orders, "--set", "input.returns.path=", "--set", "input.contacts.path=",
            "--set", "input.invoices.path=", "--set", "output.root=" + output);
    SparkTestSession.get();
    assertEquals(ExitCodes.INPUT_ERROR, outcome.exit(), outcome.err());
    assertTrue(
        outcome.err().contains("no valid order is dated before the snapshot date 2024-01-31 (the first one is on 2024-03-10"),
        outcome.err());
    assertTrue(Files.notExists(output.resolve("customer_segments")), "the first (oldest) snapshot failed before writing");
  }
}
