package io.customerpyramid.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.RunLocations;
import io.customerpyramid.schema.Tables;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The published run of every snapshot under an output root, as the manifests name them: {@code
 * _manifests/snapshot_date=S/manifest.json} is replaced in one atomic step when a run is published,
 * so it names a run that finished, never one that is writing.
 */
public final class PublishedRuns {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PublishedRuns() {}

  /** A published snapshot: its date and the run whose tables it shows. */
  public record Published(LocalDate date, String runId) {}

  /** The latest published snapshot before a date: what a snapshot's movement is measured against. */
  public static Optional<Published> before(Configuration hadoop, String outputRoot, LocalDate snapshotDate) {
    return Optional.ofNullable(read(hadoop, outputRoot).lowerEntry(snapshotDate)).map(e -> new Published(e.getKey(), e.getValue()));
  }

  /** Published snapshots after a date, oldest first: their movement predates a rerun of an earlier date. */
  public static List<LocalDate> after(Configuration hadoop, String outputRoot, LocalDate snapshotDate) {
    return List.copyOf(read(hadoop, outputRoot).tailMap(snapshotDate, false).keySet());
  }

  /** Snapshot date to published run id, oldest first; empty for a new root. */
  public static NavigableMap<LocalDate, String> read(Configuration hadoop, String outputRoot) {
    Path manifests = new Path(outputRoot, Tables.MANIFESTS);
    String prefix = Columns.SNAPSHOT_DATE + "=";
    TreeMap<LocalDate, String> runs = new TreeMap<>();
    try {
      FileSystem fs = manifests.getFileSystem(hadoop);
      for (FileStatus status : fs.listStatus(manifests)) {
        String name = status.getPath().getName();
        if (!status.isDirectory() || !name.startsWith(prefix)) {
          continue;
        }
        LocalDate date;
        try {
          date = LocalDate.parse(name.substring(prefix.length()));
        } catch (DateTimeParseException e) {
          continue;
        }
        Path manifest = new Path(RunLocations.manifestPath(outputRoot, date));
        if (fs.exists(manifest)) {
          runs.put(date, runId(fs, manifest));
        }
      }
      return Collections.unmodifiableNavigableMap(runs);
    } catch (FileNotFoundException e) {
      return Collections.unmodifiableNavigableMap(runs);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot list " + manifests + ": " + e.getMessage(), e);
    }
  }

  private static String runId(FileSystem fs, Path manifest) throws IOException {
    JsonNode runId;
    try (InputStream in = fs.open(manifest)) {
      runId = JSON.readTree(in).get(Columns.RUN_ID);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(manifest + " is not a run manifest (" + e.getOriginalMessage()
          + "): restore it, or delete it to unpublish its snapshot", e);
    }
    if (runId == null || !runId.isTextual() || runId.asText().isBlank()) {
      throw new IllegalStateException(manifest + " names no run_id: restore it, or delete it to unpublish its snapshot");
    }
    return runId.asText();
  }
}
