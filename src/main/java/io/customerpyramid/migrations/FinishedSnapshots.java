package io.customerpyramid.migrations;

import io.customerpyramid.schema.Tables;
import io.customerpyramid.schema.Columns;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** The snapshots whose run finished: those with a run manifest (the manifest is written last). */
public final class FinishedSnapshots {

  private FinishedSnapshots() {}

  /** The latest finished snapshot before a date: what a snapshot's movement is measured against. */
  public static Optional<LocalDate> before(SparkSession spark, String outputRoot, LocalDate snapshotDate) {
    return Optional.ofNullable(all(spark, outputRoot).lower(snapshotDate));
  }

  /** Finished snapshots after a date, oldest first: their movement predates a rerun of an earlier date. */
  public static List<LocalDate> after(SparkSession spark, String outputRoot, LocalDate snapshotDate) {
    return List.copyOf(all(spark, outputRoot).tailSet(snapshotDate, false));
  }

  private static TreeSet<LocalDate> all(SparkSession spark, String outputRoot) {
    Path manifests = new Path(outputRoot, Tables.MANIFESTS);
    String prefix = Columns.SNAPSHOT_DATE + "=";
    TreeSet<LocalDate> dates = new TreeSet<>();
    try {
      FileSystem fs = manifests.getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (FileStatus status : fs.listStatus(manifests)) {
        String name = status.getPath().getName();
        if (!status.isDirectory() || !name.startsWith(prefix) || !fs.exists(new Path(status.getPath(), "manifest.json"))) {
          continue;
        }
        try {
          dates.add(LocalDate.parse(name.substring(prefix.length())));
        } catch (DateTimeParseException e) {
          // not a snapshot directory of the job's
        }
      }
      return dates;
    } catch (FileNotFoundException e) {
      return dates;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot list " + manifests + ": " + e.getMessage(), e);
    }
  }
}
