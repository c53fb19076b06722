package io.customerpyramid.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A killed run's staging files and checkpoints are removed by the next run; published partitions and other roots' files are not. */
class LeftoversTest {

  @TempDir Path dir;

  @Test
  void stagingTemporaryAndCheckpointDirectoriesGoPublishedDataStays() throws Exception {
    Path root = dir.resolve("output");
    Path published = Files.createDirectories(root.resolve("customer_segments/snapshot_date=2026-10-31"));
    Files.writeString(published.resolve("part-0.parquet"), "data");
    Files.createDirectories(root.resolve("customer_segments/.spark-staging-1234/snapshot_date=2026-11-30"));
    Files.writeString(root.resolve("customer_segments/.spark-staging-1234/snapshot_date=2026-11-30/part-0.parquet"), "half");
    Files.createDirectories(root.resolve("tier_summary/_temporary/0"));
    Files.createDirectories(root.resolve("_checkpoints/run-killed/rdd-1"));
    Files.createDirectories(root.resolve("_manifests/snapshot_date=2026-10-31"));
    Path shared = Files.createDirectories(dir.resolve("shared-checkpoints/other-root-run"));

    assertEquals(3, Leftovers.remove(new Configuration(), root.toString(), root.resolve("_checkpoints").toString()).size());
    assertTrue(Files.exists(published.resolve("part-0.parquet")));
    assertTrue(Files.notExists(root.resolve("customer_segments/.spark-staging-1234")));
    assertTrue(Files.notExists(root.resolve("tier_summary/_temporary")));
    assertTrue(Files.notExists(root.resolve("_checkpoints/run-killed")));
    assertTrue(Files.exists(root.resolve("_manifests/snapshot_date=2026-10-31")));

    assertEquals(0, Leftovers.remove(new Configuration(), root.toString(), shared.getParent().toString()).size());
    assertTrue(Files.exists(shared), "a checkpoint directory outside the root may be another root's");
  }
}
