package io.customerpyramid.output;

import io.customerpyramid.config.ConfigError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One writer per output root: {@code <output.root>/_lock}, created only if absent, names the run
 * that holds it and is touched every {@link #HEARTBEAT}. A second run is refused while the holder
 * lives. A lock whose process is gone (same host) or that has not been touched for {@link #STALE_AFTER}
 * (a killed run elsewhere) is taken over. Creating a file only if absent is atomic on HDFS, local
 * disks and ABFS; on S3 it is not (docs/cluster.md).
 */
public final class OutputLock implements AutoCloseable {

  public static final String FILE = "_lock";
  static final Duration HEARTBEAT = Duration.ofSeconds(20);
  static final Duration STALE_AFTER = Duration.ofMinutes(2);
  private static final Logger LOG = LogManager.getLogger(OutputLock.class);

  private final FileSystem fs;
  private final Path lock;
  private final String runId;
  private final ScheduledExecutorService heartbeat;

  private OutputLock(FileSystem fs, Path lock, String runId) {
    this.fs = fs;
    this.lock = lock;
    this.runId = runId;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "output-lock-heartbeat");
      thread.setDaemon(true);
      return thread;
    });
    heartbeat.scheduleAtFixedRate(this::touch, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The output root's lock for this process, or {@link OutputLockedError} naming the run that holds it. */
  public static OutputLock acquire(Configuration hadoop, String outputRoot, String command) {
    Path lock = new Path(outputRoot, FILE);
    String runId = UUID.randomUUID().toString();
    try {
      FileSystem fs = lock.getFileSystem(hadoop);
      requireWritableDirectory(fs, lock.getParent(), outputRoot);
      for (int attempt = 0; attempt < 2; attempt++) {
        if (create(fs, lock, runId, command)) {
          return new OutputLock(fs, lock, runId);
        }
        Optional<Holder> holder = Holder.read(fs, lock);
        if (holder.isEmpty()) {
          continue; // released between our two steps
        }
        Optional<String> stale = holder.get().staleBecause(fs.getFileStatus(lock).getModificationTime());
        if (stale.isEmpty()) {
          throw new OutputLockedError(
              "output.root " + outputRoot + " is in use by another run: " + holder.get() + ". Wait for it to end; a lock"
                  + " whose process is gone, or that is not renewed for " + STALE_AFTER.toMinutes() + " minutes, is taken over.");
        }
        LOG.warn("Taking over the lock of {}: {}", outputRoot, stale.get());
        fs.delete(lock, false);
      }
      throw new OutputLockedError("output.root " + outputRoot + ": another run took the lock at the same moment; try again");
    } catch (IOException e) {
      throw new IllegalStateException("output.root " + outputRoot + ": cannot create its lock file " + lock + ": " + e.getMessage(), e);
    }
  }

  /** A root that is a file, or that cannot be written, is the configuration's fault: say so before any work. */
  private static void requireWritableDirectory(FileSystem fs, Path root, String outputRoot) {
    try {
      if (fs.exists(root) && !fs.getFileStatus(root).isDirectory()) {
        throw new ConfigError("output.root: " + outputRoot + " is a file, not a directory");
      }
      if (!fs.mkdirs(root)) {
        throw new ConfigError("output.root: cannot create the directory " + outputRoot);
      }
      Path probe = new Path(root, "_write-probe-" + UUID.randomUUID());
      fs.create(probe, false).close();
      fs.delete(probe, false);
    } catch (IOException e) {
      throw new ConfigError("output.root: " + outputRoot + " is not writable (" + e.getMessage() + ")", e);
    }
  }

  private static boolean create(FileSystem fs, Path lock, String runId, String command) throws IOException {
    Properties holder = new Properties();
    holder.setProperty("run_id", runId);
    holder.setProperty("host", InetAddress.getLocalHost().getHostName());
    holder.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
    holder.setProperty("started", Instant.now().toString());
    holder.setProperty("command", command);
    try (OutputStream out = fs.create(lock, false)) {
      holder.store(out, "customer-pyramid: the run writing this output root");
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      // Some file systems say "already exists" with a plain IOException.
      if (fs.exists(lock)) {
        return false;
      }
      throw e;
    }
  }

  private void touch() {
    try {
      fs.setTimes(lock, System.currentTimeMillis(), -1);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot renew the output lock {}: {}", lock, e.getMessage());
    }
  }

  /** Stops renewing and removes the lock if it is still this run's. */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      Optional<Holder> holder = Holder.read(fs, lock);
      if (holder.isPresent() && runId.equals(holder.get().runId())) {
        fs.delete(lock, false);
      }
    } catch (IOException e) {
      LOG.warn("Cannot remove the output lock {}: {}", lock, e.getMessage());
    }
  }

  /** Who holds a lock, as written in it. */
  record Holder(String runId, String host, long pid, String started, String command) {

    static Optional<Holder> read(FileSystem fs, Path lock) throws IOException {
      Properties p = new Properties();
      try (InputStream in = fs.open(lock)) {
        p.load(new java.io.InputStreamReader(in, StandardCharsets.ISO_8859_1));
      } catch (java.io.FileNotFoundException e) {
        return Optional.empty();
      }
      long pid;
      try {
        pid = Long.parseLong(p.getProperty("pid", "-1"));
      } catch (NumberFormatException e) {
        pid = -1;
      }
      return Optional.of(new Holder(p.getProperty("run_id", "?"), p.getProperty("host", "?"), pid, p.getProperty("started", "?"),
          p.getProperty("command", "?")));
    }

    /** Why the lock no longer holds: its process is gone, or it has not been renewed; empty while it holds. */
    Optional<String> staleBecause(long modifiedMillis) throws IOException {
      if (host.equals(InetAddress.getLocalHost().getHostName()) && pid > 0 && ProcessHandle.of(pid).isEmpty()) {
        return Optional.of("its process " + pid + " on " + host + " is gone (" + this + ")");
      }
      Duration silent = Duration.ofMillis(System.currentTimeMillis() - modifiedMillis);
      if (silent.compareTo(STALE_AFTER) > 0) {
        return Optional.of("not renewed for " + silent.toSeconds() + " s (" + this + ")");
      }
      return Optional.empty();
    }

    @Override
    public String toString() {
      return "run " + runId + " (" + command + ") of process " + pid + " on " + host + ", started " + started;
    }
  }
}
