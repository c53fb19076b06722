package io.customerpyramid.testing;

import static io.customerpyramid.testing.Processes.destroyTree;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Runs {@code jobs/segment} as a user does, from the project root, with the build under test
 * (BUILD_DIR), each command's output in its own log; stops whatever it started.
 */
public final class SegmentLauncher implements AutoCloseable {

  public static final Path ROOT = Path.of(System.getProperty("project.root", ".")).toAbsolutePath();
  /** The test JVMs' JIT settings (pom.xml, test.jit), for the JVMs the tests start too. */
  public static final String JIT_OPTIONS = System.getProperty("test.jit", "");

  public static final Path BUILD = Path.of(System.getProperty("build.dir", ROOT.resolve("target").toString())).toAbsolutePath();

  private final Path logs;
  private final List<Process> started = new ArrayList<>();
  private final java.util.Map<String, String> environment = new java.util.HashMap<>();

  public SegmentLauncher(Path logs) {
    this.logs = logs;
  }

  /** Adds a variable to the environment of every process started from now on. */
  public SegmentLauncher withEnvironment(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** Starts {@code jobs/segment args...}, its output in {@code logs/logName}. */
  public Process start(String logName, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("jobs/segment").toString()));
    command.addAll(List.of(args));
    return startCommand(logName, command);
  }

  /** Starts any command from the project root with the build's environment. */
  public Process startCommand(String logName, List<String> command) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(logs.resolve(logName).toFile());
    pb.environment().put("BUILD_DIR", BUILD.toString());
    pb.environment().put("SEGMENT_DRIVER_MEMORY", "2g");
    pb.environment().put("SEGMENT_JAVA_OPTS", JIT_OPTIONS);
    pb.environment().putAll(environment);
    Process p = pb.start();
    started.add(p);
    return p;
  }

  /** Runs {@code jobs/segment args...} to its end; prints the log when it fails. */
  public int run(String logName, Duration timeout, String... args) throws IOException, InterruptedException {
    int exit = Processes.waitFor(start(logName, args), timeout);
    if (exit != 0) {
      System.err.println(log(logName));
    }
    return exit;
  }

  /** Runs {@code jobs/segment args...} with {@code input} on its standard input, to its end. */
  public int runWithInput(String logName, Duration timeout, String input, String... args) throws IOException, InterruptedException {
    Process p = start(logName, args);
    try (java.io.OutputStream stdin = p.getOutputStream()) {
      stdin.write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    int exit = Processes.waitFor(p, timeout);
    if (exit != 0) {
      System.err.println(log(logName));
    }
    return exit;
  }

  public String log(String logName) throws IOException {
    Path file = logs.resolve(logName);
    return Files.exists(file) ? Files.readString(file) : "";
  }

  /** A server started by {@link #startServer}, and its port. */
  public record Server(Process process, int port) {}

  /**
   * Starts {@code jobs/segment args(port)...} on a free port and waits for {@code marker}. Another
   * process may take the port between its choice and the server's bind (the parallel tests' Spark
   * sessions open ephemeral ports all the time); a server that exits because its address is in use
   * is started again on another port, three times at most.
   */
  public Server startServer(String logName, String marker, Duration timeout, IntFunction<String[]> args) throws Exception {
    for (int attempt = 1; ; attempt++) {
      int port = Processes.freePort(1);
      Process p = start(logName, args.apply(port));
      try {
        awaitLine(p, logName, marker, timeout);
        return new Server(p, port);
      } catch (AssertionError e) {
        if (attempt == 3 || p.isAlive() || !log(logName).contains("Address already in use")) {
          throw e;
        }
      }
    }
  }

  /** Waits until a started process prints {@code marker}; fails if it exits or the time is up. */
  public void awaitLine(Process p, String logName, String marker, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (log(logName).contains(marker)) {
        return;
      }
      if (!p.isAlive()) {
        fail("exited with " + p.exitValue() + " before printing '" + marker + "':\n" + log(logName));
      }
      Thread.sleep(500);
    }
    fail(String.format(Locale.ROOT, "no '%s' within %s:%n%s", marker, timeout, log(logName)));
  }

  /** SIGTERM first (servers stop cleanly in their shutdown hooks), then whatever is left, forcibly. */
  @Override
  public void close() {
    for (Process p : started) {
      if (p.isAlive()) {
        p.destroy();
        try {
          p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      destroyTree(p.toHandle());
    }
  }
}
