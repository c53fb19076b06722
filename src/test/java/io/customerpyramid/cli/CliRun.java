package io.customerpyramid.cli;

import io.customerpyramid.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A command line run in this JVM, as the tests see it: its exit code and what it wrote to stderr. */
final class CliRun {

  record Outcome(int exit, String err) {}

  private CliRun() {}

  /** Runs {@code segment args...}; the test JVM's shared Spark session is running again afterwards. */
  static Outcome execute(String... args) {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      return new Outcome(SegmentCli.execute(args), captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(originalErr);
      SparkTestSession.get();
    }
  }
}
