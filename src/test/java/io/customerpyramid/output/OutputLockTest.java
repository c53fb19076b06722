package io.customerpyramid.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.ConfigError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per output root, on the local file system; no Spark. */
class OutputLockTest {

  private static final Configuration HADOOP = new Configuration();

  @TempDir Path dir;

  @Test
  void aSecondRunIsRefusedWhileTheFirstHoldsTheRootAndGetsItAfterwards() {
    String root = dir.resolve("output").toString();
    try (OutputLock first = OutputLock.acquire(HADOOP, root, "run")) {
      OutputLockedError refused = assertThrows(OutputLockedError.class, () -> OutputLock.acquire(HADOOP, root, "backfill"));
      assertTrue(refused.getMessage().startsWith("output.root " + root + " is in use by another run: run "), refused.getMessage());
      assertTrue(refused.getMessage().contains("(run) of process " + ProcessHandle.current().pid()), refused.getMessage());
    }
    assertFalse(Files.exists(dir.resolve("output/_lock")), "released");
    OutputLock.acquire(HADOOP, root, "backfill").close();
  }

  @Test
  void aLockWhoseProcessIsGoneIsTakenOver() throws Exception {
    Process finished = new ProcessBuilder("true").start();
    assertTrue(finished.waitFor(30, TimeUnit.SECONDS));
    Path root = Files.createDirectories(dir.resolve("output"));
    Files.writeString(root.resolve("_lock"), "run_id=killed\nhost=" + java.net.InetAddress.getLocalHost().getHostName() + "\npid=" + finished.pid() + "\n");
    try (OutputLock taken = OutputLock.acquire(HADOOP, root.toString(), "run")) {
      assertTrue(Files.readString(root.resolve("_lock")).contains("pid=" + ProcessHandle.current().pid()));
    }
  }

  @Test
  void aLockFromAnotherHostIsHonouredUntilItIsNoLongerRenewed() throws Exception {
    Path root = Files.createDirectories(dir.resolve("output"));
    Path lock = Files.writeString(root.resolve("_lock"), "run_id=elsewhere\nhost=another-host\npid=1\ncommand=run\n");
    assertThrows(OutputLockedError.class, () -> OutputLock.acquire(HADOOP, root.toString(), "run"));
    Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(OutputLock.STALE_AFTER).minusSeconds(5)));
    OutputLock.acquire(HADOOP, root.toString(), "run").close();
    assertFalse(Files.exists(lock));
  }

  @Test
  void aRootThatIsAFileIsAConfigurationError() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    ConfigError error = assertThrows(ConfigError.class, () -> OutputLock.acquire(HADOOP, file.toString(), "run"));
    assertEquals("output.root: " + file + " is a file, not a directory", error.getMessage());
  }
}
