package io.customerpyramid.output;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What a killed run leaves under the output root: Spark's staging and temporary directories inside
 * the tables, and the run's checkpoints. A glob reader would count a staging file's rows, so the next
 * run removes them, once it holds the root's {@link OutputLock} (no other run can be writing them).
 */
public final class Leftovers {

  private static final Logger LOG = LogManager.getLogger(Leftovers.class);

  private Leftovers() {}

  /** Removes the leftovers; returns what was removed. */
  public static List<String> remove(Configuration hadoop, String outputRoot, String checkpointDir) {
    List<String> removed = new ArrayList<>();
    try {
      Path root = new Path(outputRoot);
      FileSystem fs = root.getFileSystem(hadoop);
      if (!fs.exists(root)) {
        return removed;
      }
      for (FileStatus table : fs.listStatus(root)) {
        if (table.isDirectory() && !table.getPath().getName().startsWith("_")) {
          for (FileStatus child : fs.listStatus(table.getPath())) {
            String name = child.getPath().getName();
            if (name.startsWith(".spark-staging-") || name.equals("_temporary")) {
              delete(fs, child.getPath(), removed);
            }
          }
        }
      }
      // Only checkpoints under this root are this root's: a shared checkpoint directory may hold another root's run.
      Path checkpoints = new Path(checkpointDir);
      if (fs.exists(checkpoints) && checkpoints.makeQualified(fs.getUri(), fs.getWorkingDirectory()).toString()
          .startsWith(root.makeQualified(fs.getUri(), fs.getWorkingDirectory()).toString() + "/")) {
        for (FileStatus run : fs.listStatus(checkpoints)) {
          delete(fs, run.getPath(), removed);
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot remove the leftovers of earlier runs under {}: {}", outputRoot, e.getMessage());
    }
    return removed;
  }

  private static void delete(FileSystem fs, Path path, List<String> removed) throws IOException {
    if (fs.delete(path, true)) {
      removed.add(path.toString());
      LOG.info("Removed {} (left by an earlier run that did not finish)", path);
    }
  }
}
