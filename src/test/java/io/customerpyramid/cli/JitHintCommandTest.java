package io.customerpyramid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JitHintCommandTest {

  private static final long MIB = 1L << 20;

  @Test
  void c1AloneBelow64MibOfCsvOrItsParquetEquivalentAndOnlyWhenTheBytesAreKnown() {
    assertEquals("c1", JitHintCommand.hint(new InputSizes(64 * MIB - 1, 0, true)));
    assertEquals("tiered", JitHintCommand.hint(new InputSizes(64 * MIB, 0, true)));
    // 20 MiB of Parquet holds the rows of 64 MiB of CSV (x 3.2).
    assertEquals("c1", JitHintCommand.hint(new InputSizes(0, 19 * MIB, true)));
    assertEquals("tiered", JitHintCommand.hint(new InputSizes(0, 20 * MIB, true)));
    assertEquals("tiered", JitHintCommand.hint(new InputSizes(40 * MIB, 8 * MIB, true)));
    // An input that could not be listed, was not found or is compressed may be of any size.
    assertEquals("tiered", JitHintCommand.hint(new InputSizes(0, 0, false)));
  }

  @Test
  void theLauncherGetsOneWordForTheRunsOwnArguments(@TempDir Path dir) throws IOException {
    // The bundled samples, with a run's own option the hint does not need.
    assertEquals("c1", hintFor("--model", "output/_models/snapshot_date=2026-10-31"));
    Path orders = Files.createDirectories(dir.resolve("orders"));
    try (RandomAccessFile file = new RandomAccessFile(orders.resolve("part-1.csv").toFile(), "rw")) {
      file.setLength(100 * MIB);
    }
    assertEquals("tiered", hintFor("--set", "input.orders.path=" + orders));
    // Compressed, a few bytes may hold many rows; an input with no files here may be elsewhere.
    Path gzipped = Files.createDirectories(dir.resolve("gzipped"));
    Files.write(gzipped.resolve("part-1.csv.gz"), new byte[] {31, -117, 8, 0});
    assertEquals("tiered", hintFor("--set", "input.orders.path=" + gzipped));
    assertEquals("tiered", hintFor("--set", "input.returns.path=" + dir.resolve("nowhere")));
    // A config the run will refuse: the run says why, the hint keeps the default compilers.
    assertEquals("tiered", hintFor("--set", "no_such.key=1"));
  }

  private static String hintFor(String... args) {
    PrintStream originalOut = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int exit;
    try {
      String[] line = new String[args.length + 1];
      line[0] = "jit-hint";
      System.arraycopy(args, 0, line, 1, args.length);
      exit = SegmentCli.execute(line);
    } finally {
      System.setOut(originalOut);
    }
    assertEquals(ExitCodes.SUCCESS, exit);
    return captured.toString(StandardCharsets.UTF_8).strip();
  }
}
