package io.customerpyramid.cli;

import io.customerpyramid.config.InputSource;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.ingest.InputError;
import io.customerpyramid.ingest.InputFiles;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * The bytes of the configured inputs by format, from the files Spark will read. An input that is
 * not configured, or cannot be listed, counts 0 (its read reports why).
 *
 * @param known false when the bytes may say little of the rows: an input could not be listed, had
 *     no files (on another file system than the one looked at, perhaps), or is compressed
 */
record InputSizes(long csvBytes, long parquetBytes, boolean known) {

  /** Parquet holds about three times as many rows per byte as CSV (1 M customers: 948 MB of CSV, 305 MB of Parquet). */
  static final double PARQUET_TO_CSV = 3.2;

  static InputSizes of(JobConfig config, Configuration hadoop) {
    CompressionCodecFactory codecs = new CompressionCodecFactory(hadoop);
    long csv = 0;
    long parquet = 0;
    boolean known = true;
    for (InputSource input : Stream.of(config.orders(), config.returns(), config.contacts(), config.invoices()).toList()) {
      if (input.path().isEmpty()) {
        continue;
      }
      List<FileStatus> files;
      try {
        files = InputFiles.files(hadoop, input);
      } catch (InputError e) {
        files = List.of();
      }
      known &= !files.isEmpty() && files.stream().allMatch(file -> codecs.getCodec(file.getPath()) == null);
      long bytes = files.stream().mapToLong(FileStatus::getLen).sum();
      if ("parquet".equals(input.format())) {
        parquet += bytes;
      } else {
        csv += bytes;
      }
    }
    return new InputSizes(csv, parquet, known);
  }

  /**
   * Below this (as CSV) an input is small: a local run's fixed costs outweigh its rows, so it gets
   * C1 alone (jobs/segment, {@link JitHintCommand}) and one shuffle partition per core ({@link
   * ShufflePartitions}); docs/performance.md has the measurements.
   */
  static final long SMALL_BYTES = 64L << 20;

  /** Whether the inputs are known to be small: sizes that may say little of the rows are not. */
  boolean small() {
    return known && csvEquivalentBytes() < SMALL_BYTES;
  }

  /** The inputs' size as the CSV that would hold the same rows. */
  long csvEquivalentBytes() {
    return csvBytes + (long) (parquetBytes * PARQUET_TO_CSV);
  }
}
