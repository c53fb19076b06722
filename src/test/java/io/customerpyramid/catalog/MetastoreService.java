package io.customerpyramid.catalog;

import io.customerpyramid.testing.SegmentLauncher;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Hive's metastore service over its own Derby database, started from the job's class path. */
final class MetastoreService {

  private MetastoreService() {}

  static List<String> command(Path work, int port) throws IOException {
    String classpath = Files.readString(SegmentLauncher.BUILD.resolve("spark-classpath.txt")).trim();
    List<String> command = new ArrayList<>(List.of("java", "-Xmx512m", "-cp", classpath));
    for (String option : SegmentLauncher.JIT_OPTIONS.split(" ")) {
      if (!option.isBlank()) {
        command.add(option);
      }
    }
    command.add("-Dlog4j2.configurationFile=" + SegmentLauncher.ROOT.resolve("conf/log4j2.properties"));
    command.add("-Dhive.async.log.enabled=false"); // its async logging needs a jar Spark does not ship
    command.add("-Djavax.jdo.option.ConnectionURL=jdbc:derby:;databaseName=" + work.resolve("metastore_db") + ";create=true");
    command.add("-Dhive.metastore.schema.verification=false");
    command.add("-Ddatanucleus.schema.autoCreateAll=true");
    command.add("-Dhive.metastore.warehouse.dir=" + work.resolve("warehouse"));
    command.addAll(List.of("org.apache.hadoop.hive.metastore.HiveMetaStore", "-p", Integer.toString(port)));
    return command;
  }

  /** Waits until the service listens on its port; fails at once if it exited, or when the time is up. */
  static void awaitPort(Process service, int port, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!service.isAlive()) {
        throw new AssertionError("the metastore exited with " + service.exitValue() + " before listening on port " + port);
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("localhost", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(500); // a poll interval under the deadline above, not a wait for an effect
      }
    }
    throw new AssertionError("the metastore did not listen on port " + port + " within " + timeout);
  }
}
