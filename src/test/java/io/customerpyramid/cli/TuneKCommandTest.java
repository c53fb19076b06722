package io.customerpyramid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** tune-k's command line: the --k forms and the usage errors that stop it before Spark starts. */
class TuneKCommandTest {

  @Test
  void kRangesAndListsParseToDistinctAscendingValues() {
    assertEquals(List.of(2, 3, 4, 5), TuneKCommand.parseKs("2..5"));
    assertEquals(List.of(3, 5, 8), TuneKCommand.parseKs("8, 3,5,3"));
    assertEquals(List.of(7), TuneKCommand.parseKs("7..7"));
  }

  @Test
  void badKValuesAreNamed() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TuneKCommand.parseKs("1..4")).getMessage().contains("at least 2"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TuneKCommand.parseKs("6..3")).getMessage().contains("empty"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TuneKCommand.parseKs("two")).getMessage().contains("2..12"));
  }

  @Test
  void badKOrSeedsIsAUsageError() {
    assertEquals(ExitCodes.USAGE, SegmentCli.execute("tune-k", "--k", "1..4"));
    assertEquals(ExitCodes.USAGE, SegmentCli.execute("tune-k", "--seeds", "0"));
  }
}
