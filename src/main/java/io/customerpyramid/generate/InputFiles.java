package io.customerpyramid.generate;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** Writes one generated input (a directory of part files, or a single file) and counts its rows while writing. */
final class InputFiles {

  private static final String ROW_COUNT = "rows";

  private InputFiles() {}

  /** Writes one input and returns its row count, observed while writing (no second pass over the data). */
  static long write(SparkSession spark, Dataset<Row> data, String name, GeneratorOptions options) {
    Observation observation = new Observation();
    Dataset<Row> observed = data.observe(observation, count(lit(1)).as(ROW_COUNT));
    if (options.singleFile()) {
      Path temporary = new Path(options.outDir(), "_tmp_" + name);
      save(observed.coalesce(1), temporary, options);
      moveSinglePart(spark, temporary, new Path(options.outDir(), name + "." + options.format()));
    } else {
      save(observed, new Path(options.outDir(), name), options);
    }
    try {
      Object rows = observation.getAsJava().get(ROW_COUNT);
      return ((Number) Objects.requireNonNull(rows, "row count of " + name)).longValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the row count of " + name, e);
    }
  }

  private static void save(Dataset<Row> data, Path path, GeneratorOptions options) {
    data.write()
        .mode(SaveMode.Overwrite)
        .format(options.format())
        .option("header", "true")
        .save(path.toString());
  }

  private static void moveSinglePart(SparkSession spark, Path temporary, Path target) {
    try {
      FileSystem fs = temporary.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] parts = fs.listStatus(temporary, p -> p.getName().startsWith("part-"));
      if (parts.length != 1) {
        throw new IllegalStateException(
            "expected exactly one part file in " + temporary + ", found " + parts.length);
      }
      if (fs.exists(target)) {
        fs.delete(target, false);
      }
      if (!fs.rename(parts[0].getPath(), target)) {
        throw new IOException("could not move " + parts[0].getPath() + " to " + target);
      }
      fs.delete(temporary, true);
      // The local file system moves the part's .crc along; a single-file sample is just the data.
      if (fs instanceof ChecksumFileSystem) {
        ChecksumFileSystem checksummed = (ChecksumFileSystem) fs;
        checksummed.getRawFileSystem().delete(checksummed.getChecksumFile(target), false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + target, e);
    }
  }
}
