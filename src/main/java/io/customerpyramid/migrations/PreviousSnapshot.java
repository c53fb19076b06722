package io.customerpyramid.migrations;

import io.customerpyramid.output.Tables;
import io.customerpyramid.schema.Columns;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** The latest finished snapshot before a date: the one whose run manifest is written (the manifest comes last). */
public final class PreviousSnapshot {

  private PreviousSnapshot() {}

  public static Optional<LocalDate> before(SparkSession spark, String outputRoot, LocalDate snapshotDate) {
    Path manifests = new Path(outputRoot, Tables.MANIFESTS);
    String prefix = Columns.SNAPSHOT_DATE + "=";
    try {
      FileSystem fs = manifests.getFileSystem(spark.sparkContext().hadoopConfiguration());
      Optional<LocalDate> latest = Optional.empty();
      for (FileStatus status : fs.listStatus(manifests)) {
        String name = status.getPath().getName();
        if (!status.isDirectory() || !name.startsWith(prefix) || !fs.exists(new Path(status.getPath(), "manifest.json"))) {
          continue;
        }
        LocalDate date;
        try {
          date = LocalDate.parse(name.substring(prefix.length()));
        } catch (DateTimeParseException e) {
          continue;
        }
        if (date.isBefore(snapshotDate) && (latest.isEmpty() || date.isAfter(latest.get()))) {
          latest = Optional.of(date);
        }
      }
      return latest;
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot list " + manifests + ": " + e.getMessage(), e);
    }
  }
}
