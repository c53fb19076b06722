package io.customerpyramid.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Child processes of the integration tests: waiting with a timeout, killing whole trees, free ports. */
public final class Processes {

  private Processes() {}

  /** Waits for a process; on timeout kills it with its children and fails the test. */
  public static int waitFor(Process p, Duration timeout) throws InterruptedException {
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      destroyTree(p.toHandle());
      fail("timed out after " + timeout + ": " + p.info().commandLine().orElse("process " + p.pid()));
    }
    return p.exitValue();
  }

  /** Kills a process and all its descendants at once (children first listed), returns their pids. */
  public static List<Long> destroyTree(ProcessHandle root) {
    List<ProcessHandle> all = new ArrayList<>(root.descendants().collect(Collectors.toList()));
    all.add(root);
    List<Long> pids = new ArrayList<>();
    for (ProcessHandle h : all) {
      if (h.isAlive() && h.destroyForcibly()) {
        pids.add(h.pid());
      }
    }
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // best effort
      }
    }
    return pids;
  }

  /** A free port p such that p .. p+count-1 are all free now. */
  public static int freePort(int count) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int p;
      try (ServerSocket s = new ServerSocket(0)) {
        p = s.getLocalPort();
      }
      if (p + count > 65535) {
        continue;
      }
      boolean free = true;
      for (int i = 1; i < count && free; i++) {
        try (ServerSocket s = new ServerSocket(p + i)) {
          // free
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return p;
      }
    }
    throw new IOException("no " + count + " consecutive free ports");
  }

  public static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
          Files.delete(p);
        }
      }
    }
  }
}
