package io.customerpyramid.output;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.RunLocations;
import io.customerpyramid.schema.Tables;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The run directories ({@code <dir>/snapshot_date=S/run_id=R}) of every table, model, report and
 * publish pointer: only the published run of each snapshot is kept. A run removes the run it
 * replaced once it is published, and the directories of runs killed before they were published.
 * Files of the earlier layout, directly in {@code snapshot_date=S}, become the directory of the run
 * their manifest names.
 */
public final class RunDirectories {

  private static final Logger LOG = LogManager.getLogger(RunDirectories.class);
  private static final String SNAPSHOT_PREFIX = Columns.SNAPSHOT_DATE + "=";

  private RunDirectories() {}

  /** Every directory that holds one directory per run under each snapshot. */
  public static List<String> runScoped() {
    return Stream.concat(Tables.ANY_RUN.stream(), Stream.of(Tables.MODELS, Tables.REPORTS, Tables.PUBLISHED)).toList();
  }

  /**
   * Removes the runs that are not published.
   *
   * @param published snapshot date to its published run id
   * @param only one snapshot, or empty for all of them
   * @return the directories removed
   */
  public static List<String> removeUnpublished(
      Configuration hadoop, String outputRoot, Map<LocalDate, String> published, Optional<LocalDate> only) {
    List<String> removed = new ArrayList<>();
    try {
      FileSystem fs = new Path(outputRoot).getFileSystem(hadoop);
      for (String directory : runScoped()) {
        for (FileStatus snapshot : list(fs, new Path(outputRoot, directory))) {
          Optional<LocalDate> date = snapshotDate(snapshot);
          if (date.isPresent() && only.map(date.get()::equals).orElse(true)) {
            keepPublished(fs, snapshot.getPath(), Optional.ofNullable(published.get(date.get())), removed);
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot remove the unpublished runs under " + outputRoot + ": " + e.getMessage(), e);
    }
    return removed;
  }

  private static void keepPublished(FileSystem fs, Path snapshot, Optional<String> publishedRun, List<String> removed)
      throws IOException {
    List<FileStatus> entries = list(fs, snapshot);
    boolean legacy = entries.stream().anyMatch(e -> !isRunDirectory(e));
    if (legacy && publishedRun.isPresent() && !fs.exists(new Path(snapshot, RunLocations.RUN_DIRECTORY_PREFIX + publishedRun.get()))) {
      adopt(fs, snapshot, entries, publishedRun.get());
    } else if (legacy) {
      LOG.warn("{} holds files outside any run directory; they are not part of any published run", snapshot);
    }
    for (FileStatus entry : entries) {
      if (isRunDirectory(entry) && !entry.getPath().getName().equals(RunLocations.RUN_DIRECTORY_PREFIX + publishedRun.orElse(""))) {
        if (fs.delete(entry.getPath(), true)) {
          removed.add(entry.getPath().toString());
          LOG.info("Removed {} (a run that is not the published one)", entry.getPath());
        }
      }
    }
    if (publishedRun.isEmpty() && list(fs, snapshot).isEmpty()) {
      fs.delete(snapshot, false);
    }
  }

  /** An earlier layout's snapshot: its files move into the directory of the run its manifest names. */
  private static void adopt(FileSystem fs, Path snapshot, List<FileStatus> entries, String runId) throws IOException {
    Path run = new Path(snapshot, RunLocations.RUN_DIRECTORY_PREFIX + runId);
    fs.mkdirs(run);
    for (FileStatus entry : entries) {
      if (!isRunDirectory(entry) && !fs.rename(entry.getPath(), new Path(run, entry.getPath().getName()))) {
        throw new IOException("cannot move " + entry.getPath() + " into " + run);
      }
    }
    LOG.info("Moved the files of {} into {} (the layout of earlier versions)", snapshot, run);
  }

  private static boolean isRunDirectory(FileStatus entry) {
    return entry.isDirectory() && entry.getPath().getName().startsWith(RunLocations.RUN_DIRECTORY_PREFIX);
  }

  private static Optional<LocalDate> snapshotDate(FileStatus status) {
    String name = status.getPath().getName();
    if (!status.isDirectory() || !name.startsWith(SNAPSHOT_PREFIX)) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(name.substring(SNAPSHOT_PREFIX.length())));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static List<FileStatus> list(FileSystem fs, Path dir) throws IOException {
    try {
      return List.of(fs.listStatus(dir));
    } catch (FileNotFoundException e) {
      return List.of();
    }
  }
}
