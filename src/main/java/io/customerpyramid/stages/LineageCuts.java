package io.customerpyramid.stages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * Cuts the logical plan at stage boundaries with checkpoints. Without it every later query
 * re-analyses (and the UI re-renders) the whole plan back to the raw inputs, which costs seconds per
 * query on the driver.
 *
 * <p>On a cluster the checkpoints are reliable (files in the checkpoint directory), so that a lost
 * executor costs a recomputation of its partitions, not the run. In local mode the driver is the
 * only executor: there is nothing to survive, and a local checkpoint (the rows kept in memory,
 * spilling to disk) cuts the plan in one pass instead of three (compute and cache, write the files,
 * read them back). Closing it releases the cut rows and deletes their checkpoint files.
 */
public final class LineageCuts implements AutoCloseable {

  private final SparkSession spark;
  private final Path directory;
  private final boolean reliable;
  private final List<Dataset<?>> cutFrames = new ArrayList<>();

  /** @param directory a run-specific directory, deleted by {@link #close()} */
  public LineageCuts(SparkSession spark, String directory) {
    this.spark = spark;
    this.directory = new Path(directory);
    this.reliable = !spark.sparkContext().isLocal();
    if (reliable) {
      spark.sparkContext().setCheckpointDir(directory);
    }
  }

  /** The same rows, materialised once and kept (in memory, spilling to disk), with a short plan. */
  public <T> Dataset<T> cut(Dataset<T> frame) {
    Dataset<T> checkpointed;
    if (reliable) {
      // Cached first, so that writing the checkpoint does not compute the rows a second time.
      Dataset<T> cached = frame.persist(StorageLevel.MEMORY_AND_DISK());
      checkpointed = cached.checkpoint(true).persist(StorageLevel.MEMORY_AND_DISK());
      checkpointed.count();
      cached.unpersist();
    } else {
      checkpointed = frame.localCheckpoint(true);
    }
    cutFrames.add(checkpointed);
    return checkpointed;
  }

  /** Frees a cut frame's rows before the cuts close, once nothing reads it any more. */
  public void free(Dataset<?> frame) {
    if (cutFrames.remove(frame)) {
      release(frame, false);
    }
  }

  /**
   * A local checkpoint's rows are blocks of its RDD, not a cached plan: unpersisting the Dataset
   * would not free them.
   *
   * @param blocking wait until the blocks are gone: at close, Spark may stop right after, and a
   *     removal still in flight then fails with warnings and stack traces on the console
   */
  private static void release(Dataset<?> frame, boolean blocking) {
    frame.unpersist(blocking);
    if (frame.queryExecution().logical() instanceof LogicalRDD checkpoint) {
      checkpoint.rdd().unpersist(blocking);
    }
  }

  @Override
  public void close() {
    cutFrames.forEach(frame -> release(frame, true));
    cutFrames.clear();
    if (!reliable) {
      return;
    }
    try {
      FileSystem fs = directory.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.delete(directory, true);
      Path parent = directory.getParent();
      if (parent != null && fs.exists(parent) && fs.listStatus(parent).length == 0) {
        fs.delete(parent, false);
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot delete the checkpoint directory " + directory + ": " + e.getMessage(), e);
    }
  }
}
