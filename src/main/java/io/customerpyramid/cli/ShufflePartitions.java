package io.customerpyramid.cli;

import io.customerpyramid.config.JobConfig;
import org.apache.hadoop.conf.Configuration;

/**
 * Shuffle partitions sized to the inputs when the configuration leaves them to the job
 * ({@code spark.shuffle_partitions = 0}): at least one partition per 128 MiB of CSV (per 40 MiB of
 * Parquet, which holds about three times as many rows per byte), never fewer than the session's
 * default. A fixed count that suits a small input makes every partition of a large one huge: at 10 M
 * customers, 8 partitions of 13 M orders each spilled their aggregations hundreds of times and the
 * merge of the spills ran out of a 2 GB heap. Adaptive execution still coalesces small partitions.
 */
final class ShufflePartitions {

  static final String KEY = "spark.sql.shuffle.partitions";
  private static final long CSV_BYTES_PER_PARTITION = 128L << 20;
  private static final long PARQUET_BYTES_PER_PARTITION = 40L << 20;
  private static final int MAX_PARTITIONS = 100_000;

  private ShufflePartitions() {}

  /** The partitions for inputs of these sizes: the default, or more when the inputs need them. */
  static int sizedToInputs(int defaultPartitions, long csvBytes, long parquetBytes) {
    long needed = ceilDiv(csvBytes, CSV_BYTES_PER_PARTITION) + ceilDiv(parquetBytes, PARQUET_BYTES_PER_PARTITION);
    return (int) Math.max(defaultPartitions, Math.min(needed, MAX_PARTITIONS));
  }

  /**
   * The configured inputs' partitions, from the files Spark will read. In local mode a small input
   * ({@link InputSizes#small()}) gets one partition per core: every partition costs each shuffle a
   * task and a file per map task, and four per core made the samples run 1.5 s slower (100 k
   * customers, above the threshold: 2 partitions took 44.6 s against 47.2 s with 8).
   *
   * @param localCores the cores of a local master; 0 on a cluster, whose default is never lowered
   */
  static int forInputs(int defaultPartitions, int localCores, JobConfig config, Configuration hadoop) {
    InputSizes sizes = InputSizes.of(config, hadoop);
    if (localCores > 0 && sizes.small()) {
      return Math.min(defaultPartitions, localCores);
    }
    return sizedToInputs(defaultPartitions, sizes.csvBytes(), sizes.parquetBytes());
  }

  private static long ceilDiv(long bytes, long perPartition) {
    return (bytes + perPartition - 1) / perPartition;
  }
}
