package io.customerpyramid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.customerpyramid.testing.Fixtures;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShufflePartitionsTest {

  private static final long MIB = 1L << 20;

  @Test
  void smallInputsKeepTheDefaultAndLargeOnesGetOnePartitionPer128MibOfCsvOr40MibOfParquet() {
    // The 1 M-customer benchmark: 948.6 MB of CSV is 7.07 partitions' worth, under local[2]'s 8.
    assertEquals(8, ShufflePartitions.sizedToInputs(8, 948_600_000L, 0));
    assertEquals(8, ShufflePartitions.sizedToInputs(8, 0, 304_900_000L));
    // 10 M customers: 9.0 GB of CSV is 67.06 partitions' worth, rounded up; 2.9 GB of Parquet 69.14.
    assertEquals(68, ShufflePartitions.sizedToInputs(8, 9_000_000_000L, 0));
    assertEquals(70, ShufflePartitions.sizedToInputs(8, 0, 2_900_000_000L));
    // Exactly on the boundary, then one byte over; mixed formats add up.
    assertEquals(10, ShufflePartitions.sizedToInputs(2, 10 * 128 * MIB, 0));
    assertEquals(11, ShufflePartitions.sizedToInputs(2, 10 * 128 * MIB + 1, 0));
    assertEquals(5, ShufflePartitions.sizedToInputs(2, 3 * 128 * MIB, 2 * 40 * MIB));
    // A cluster's 200 is never lowered.
    assertEquals(200, ShufflePartitions.sizedToInputs(200, 9_000_000_000L, 0));
  }

  @Test
  void measuresTheConfiguredFilesAndCountsAMissingInputAsEmpty(@TempDir Path dir) throws IOException {
    Path orders = Files.createDirectories(dir.resolve("orders"));
    // Sparse files: their length is what counts, not the disk they use.
    for (String part : new String[] {"part-1.csv", "part-2.csv"}) {
      try (RandomAccessFile file = new RandomAccessFile(orders.resolve(part).toFile(), "rw")) {
        file.setLength(200 * MIB);
      }
    }
    var config =
        Fixtures.config(
            "input.orders.path=" + orders, "input.returns.path=" + dir.resolve("nowhere"));
    // 400 MiB of CSV: 3.125 partitions' worth, so 4 over a default of 2; the missing returns add nothing.
    assertEquals(4, ShufflePartitions.forInputs(2, 0, config, new Configuration()));
    assertEquals(8, ShufflePartitions.forInputs(8, 0, config, new Configuration()));
    // Not small, so a local master's 2 cores change nothing.
    assertEquals(8, ShufflePartitions.forInputs(8, 2, config, new Configuration()));
  }

  @Test
  void aSmallInputGetsOnePartitionPerLocalCoreAndKeepsTheDefaultOnACluster(@TempDir Path dir) throws IOException {
    Path orders = Files.createDirectories(dir.resolve("orders"));
    try (RandomAccessFile file = new RandomAccessFile(orders.resolve("part-1.csv").toFile(), "rw")) {
      file.setLength(50 * MIB);
    }
    var small = Fixtures.config("input.orders.path=" + orders);
    assertEquals(2, ShufflePartitions.forInputs(8, 2, small, new Configuration()));
    assertEquals(1, ShufflePartitions.forInputs(4, 1, small, new Configuration()));
    // Never above the default (a local master with a configured default below its cores).
    assertEquals(2, ShufflePartitions.forInputs(2, 4, small, new Configuration()));
    assertEquals(200, ShufflePartitions.forInputs(200, 0, small, new Configuration()));
    // Compressed, the bytes say little of the rows: the default stays.
    Path gzipped = Files.createDirectories(dir.resolve("gzipped"));
    Files.write(gzipped.resolve("part-1.csv.gz"), new byte[] {31, -117, 8, 0});
    assertEquals(8, ShufflePartitions.forInputs(8, 2, Fixtures.config("input.orders.path=" + gzipped), new Configuration()));
  }
}
