package io.customerpyramid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run and backfill refuse an output root that another run holds (exit 5) or that is not a directory (exit 3), before any work. */
class OutputRootTest {

  @TempDir Path dir;

  @Test
  void aRootAnotherLiveRunHoldsIsRefusedWithItsOwnExitCode() throws Exception {
    Path root = Files.createDirectories(dir.resolve("output"));
    Files.writeString(root.resolve("_lock"), "run_id=r-1\nhost=" + java.net.InetAddress.getLocalHost().getHostName() + "\npid="
        + ProcessHandle.current().pid() + "\ncommand=backfill\nstarted=2026-11-26T10:00:00Z\n");
    for (String command : new String[] {"run", "backfill --from 2026-09-30 --to 2026-10-31"}) {
      String[] args = (command + " --set output.root=" + root + " --set catalog.enabled=false").split(" ");
      CliRun.Outcome outcome = CliRun.execute(args);
      assertEquals(ExitCodes.OUTPUT_IN_USE, outcome.exit(), outcome.err());
      assertTrue(outcome.err().contains("Output in use: output.root " + root + " is in use by another run: run r-1 (backfill) of process "),
          outcome.err());
    }
    try (var left = Files.list(root)) {
      assertEquals(1L, left.filter(p -> !p.getFileName().toString().startsWith(".")).count(), "only the other run's lock");
    }
  }

  @Test
  void aRootThatIsAFileIsAConfigurationError() throws Exception {
    Path file = Files.writeString(dir.resolve("output"), "not a directory");
    CliRun.Outcome outcome = CliRun.execute("run", "--set", "output.root=" + file, "--set", "catalog.enabled=false");
    assertEquals(ExitCodes.CONFIG_ERROR, outcome.exit(), outcome.err());
    assertTrue(outcome.err().contains("Configuration error: output.root: " + file + " is a file, not a directory"), outcome.err());
  }
}
