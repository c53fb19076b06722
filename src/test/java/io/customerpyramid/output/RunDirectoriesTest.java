package io.customerpyramid.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only the published run of each snapshot stays; an earlier layout's files become the published run's directory. */
class RunDirectoriesTest {

  private static final LocalDate OCTOBER = LocalDate.parse("2026-10-31");
  private static final LocalDate NOVEMBER = LocalDate.parse("2026-11-30");

  @TempDir Path root;

  @Test
  void runsOtherThanThePublishedOneAreRemovedAndASnapshotWithoutManifestGoesWhole() throws Exception {
    Path october = root.resolve("customer_segments/snapshot_date=2026-10-31");
    file(october.resolve("run_id=published/part-0.parquet"));
    file(october.resolve("run_id=replaced/part-0.parquet"));
    file(root.resolve("_models/snapshot_date=2026-10-31/run_id=killed/metadata/part-0"));
    file(root.resolve("_models/snapshot_date=2026-10-31/run_id=published/metadata/part-0"));
    // A new snapshot whose only run was killed before it was published.
    file(root.resolve("tier_summary/snapshot_date=2026-11-30/run_id=killed/part-0.parquet"));

    List<String> removed = RunDirectories.removeUnpublished(new Configuration(), root.toString(), Map.of(OCTOBER, "published"), Optional.empty());

    assertEquals(3, removed.size(), removed.toString());
    assertEquals(List.of("run_id=published"), names(october));
    assertEquals(List.of("run_id=published"), names(root.resolve("_models/snapshot_date=2026-10-31")));
    assertEquals(List.of(), names(root.resolve("tier_summary")), "the unpublished snapshot's directory goes too");
  }

  @Test
  void oneSnapshotOnlyLeavesTheOthersAlone() throws Exception {
    file(root.resolve("rejects/snapshot_date=2026-10-31/run_id=old/part-0.parquet"));
    file(root.resolve("rejects/snapshot_date=2026-11-30/run_id=other/part-0.parquet"));

    RunDirectories.removeUnpublished(new Configuration(), root.toString(), Map.of(OCTOBER, "new", NOVEMBER, "new"), Optional.of(OCTOBER));

    assertEquals(List.of(), names(root.resolve("rejects/snapshot_date=2026-10-31")));
    assertEquals(List.of("run_id=other"), names(root.resolve("rejects/snapshot_date=2026-11-30")));
  }

  @Test
  void filesOfTheEarlierLayoutMoveIntoTheRunTheirManifestNamesOrStayWhenNoneDoes() throws Exception {
    Path october = root.resolve("customer_features/snapshot_date=2026-10-31");
    file(october.resolve("part-0.parquet"));
    file(october.resolve("part-1.parquet"));
    Path november = root.resolve("customer_features/snapshot_date=2026-11-30");
    file(november.resolve("part-0.parquet"));

    List<String> removed = RunDirectories.removeUnpublished(new Configuration(), root.toString(), Map.of(OCTOBER, "r1"), Optional.empty());

    assertEquals(List.of(), removed);
    assertEquals(List.of("run_id=r1"), names(october));
    assertEquals(List.of("part-0.parquet", "part-1.parquet"), names(october.resolve("run_id=r1")));
    assertEquals(List.of("part-0.parquet"), names(november), "no manifest names a run for them: they are left, never deleted");
  }

  private static void file(Path path) throws IOException {
    Files.createDirectories(path.getParent());
    Files.writeString(path, "data");
  }

  private static List<String> names(Path dir) throws IOException {
    assertTrue(Files.isDirectory(dir), dir + " exists");
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
    }
  }
}
