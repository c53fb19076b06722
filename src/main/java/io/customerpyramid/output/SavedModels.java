package io.customerpyramid.output;

import io.customerpyramid.config.ConfigError;
import io.customerpyramid.schema.RunLocations;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Where a saved model is: a model's own directory, or a snapshot's model directory holding its published run's. */
public final class SavedModels {

  private SavedModels() {}

  /**
   * @param path a model directory ({@code _models/snapshot_date=S/run_id=R}), or the snapshot's
   *     ({@code _models/snapshot_date=S}), which holds the published run's model alone
   */
  public static String resolve(Configuration hadoop, String path) {
    Path dir = new Path(path);
    try {
      FileSystem fs = dir.getFileSystem(hadoop);
      if (fs.exists(new Path(dir, "metadata"))) {
        return path;
      }
      List<Path> runs = Arrays.stream(list(fs, dir))
          .filter(s -> s.isDirectory() && s.getPath().getName().startsWith(RunLocations.RUN_DIRECTORY_PREFIX))
          .map(FileStatus::getPath)
          .toList();
      if (runs.size() == 1 && fs.exists(new Path(runs.get(0), "metadata"))) {
        return runs.get(0).toString();
      }
      if (runs.isEmpty()) {
        throw new ConfigError("--model " + path + ": no saved model there (a run saves it under <output.root>/_models/snapshot_date=S)");
      }
      throw new ConfigError("--model " + path + " holds the models of several runs " + runs + ": name one of them");
    } catch (IOException e) {
      throw new ConfigError("--model " + path + ": cannot read it (" + e.getMessage() + ")");
    }
  }

  private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
    try {
      return fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      return new FileStatus[0];
    }
  }
}
