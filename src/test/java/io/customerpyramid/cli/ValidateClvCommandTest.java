package io.customerpyramid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** validate-clv's command line: the usage errors that stop it before Spark starts. */
class ValidateClvCommandTest {

  @Test
  void aMissingOrTooShortHoldoutIsAUsageError() {
    assertEquals(ExitCodes.USAGE, SegmentCli.execute("validate-clv"));
    assertEquals(ExitCodes.USAGE, SegmentCli.execute("validate-clv", "--holdout-days", "3"));
    assertEquals(ExitCodes.USAGE, SegmentCli.execute("validate-clv", "--holdout-days", "ninety"));
  }

  @Test
  void aBadClvKeyIsAConfigurationError() {
    assertEquals(ExitCodes.CONFIG_ERROR, SegmentCli.execute("validate-clv", "--holdout-days", "90", "--set", "clv.time_unit=month"));
  }
}
