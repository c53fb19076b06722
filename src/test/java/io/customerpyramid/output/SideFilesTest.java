package io.customerpyramid.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.schema.RunLocations;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files beside the tables on the local file system: a page and the manifest without .crc sidecars,
 * and without switching checksums off for everything else the JVM writes (Hadoop shares one cached
 * file system per scheme).
 */
class SideFilesTest {

  private static final LocalDate SNAPSHOT = LocalDate.of(2026, 10, 31);

  @TempDir Path root;

  private final Configuration hadoop = new Configuration();

  @Test
  void aPageIsWrittenWithoutASidecarAndReplacedByTheNextRun() throws IOException {
    SideFiles files = new SideFiles(hadoop);
    String report = new RunLocations(root.toString(), SNAPSHOT, "r1").reportPath();

    files.writeFile(report, "<p>first</p>".getBytes(StandardCharsets.UTF_8));
    String path = files.writeFile(report, "<p>second</p>".getBytes(StandardCharsets.UTF_8));

    Path page = root.resolve("reports/snapshot_date=2026-10-31/run_id=r1/report.html");
    assertEquals(page.toString(), path);
    assertEquals("<p>second</p>", Files.readString(page));
    assertEquals(List.of("report.html"), names(page.getParent()));
  }

  @Test
  void theManifestReplacesTheEarlierOneAndLeavesNoTemporaryFile() throws IOException {
    String manifest = RunLocations.manifestPath(root.toString(), SNAPSHOT);
    SideFiles files = new SideFiles(hadoop);

    files.replaceAtomically(manifest, ".first.tmp", "{\"run_id\": \"first\"}".getBytes(StandardCharsets.UTF_8));
    String path = files.replaceAtomically(manifest, ".second.tmp", "{\"run_id\": \"second\"}".getBytes(StandardCharsets.UTF_8));

    assertEquals(root.resolve("_manifests/snapshot_date=2026-10-31/manifest.json").toString(), path);
    assertEquals("{\"run_id\": \"second\"}", Files.readString(Path.of(path)));
    assertEquals(List.of("manifest.json"), names(Path.of(path).getParent()));
  }

  @Test
  void theSharedFileSystemStillWritesChecksumsAfterwards() throws IOException {
    new SideFiles(hadoop).writeFile(root.resolve("reports/page.html").toString(), new byte[] {1});

    Path other = root.resolve("table").resolve("part-00000");
    try (OutputStream out = FileSystem.get(other.toUri(), hadoop).create(new org.apache.hadoop.fs.Path(other.toUri()))) {
      out.write(2);
    }

    assertEquals(List.of(".part-00000.crc", "part-00000"), names(other.getParent()), "Parquet parts keep their checksums");
  }

  private static List<String> names(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      List<String> names = entries.map(p -> p.getFileName().toString()).sorted().toList();
      assertTrue(!names.isEmpty(), directory + " is empty");
      return names;
    }
  }
}
