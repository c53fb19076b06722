package io.customerpyramid.stages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Cuts the logical plan at stage boundaries with reliable checkpoints. Without it every later
 * query re-analyses (and the UI re-renders) the whole plan back to the raw inputs, which costs
 * seconds per query on the driver; reliable (not local) checkpoints survive a lost executor.
 * Closing it releases the cut rows and deletes their checkpoint files.
 */
public final class LineageCuts implements AutoCloseable {

  private final SparkSession spark;
  private final Path directory;
  private final List<Dataset<?>> cutFrames = new ArrayList<>();

  /** @param directory a run-specific directory, deleted by {@link #close()} */
  public LineageCuts(SparkSession spark, String directory) {
    this.spark = spark;
    this.directory = new Path(directory);
    spark.sparkContext().setCheckpointDir(directory);
  }

  /** The same rows, materialised once and kept in memory (spilling to disk), with a short plan. */
  public <T> Dataset<T> cut(Dataset<T> frame) {
    // Cached first, so that writing the checkpoint does not compute the rows a second time.
    Dataset<T> cached = frame.persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<T> checkpointed = cached.checkpoint(true).persist(StorageLevel.MEMORY_AND_DISK());
    checkpointed.count();
    cached.unpersist();
    cutFrames.add(checkpointed);
    return checkpointed;
  }

  @Override
  public void close() {
    cutFrames.forEach(Dataset::unpersist);
    cutFrames.clear();
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
