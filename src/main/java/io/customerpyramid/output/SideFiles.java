package io.customerpyramid.output;

import io.customerpyramid.schema.TableLocations;
import io.customerpyramid.schema.Tables;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.MLWritable;

/**
 * Files beside the tables, each under {@code <root>/<directory>/snapshot_date=S}: the fitted model,
 * pages and charts for people, and the run manifest.
 */
public final class SideFiles {

  private final Configuration hadoop;
  private final TableLocations locations;

  /** @param hadoop the session's Hadoop configuration ({@code sparkContext().hadoopConfiguration()}) */
  public SideFiles(Configuration hadoop, TableLocations locations) {
    this.hadoop = hadoop;
    this.locations = locations;
  }

  /** Saves the fitted segmentation model, replacing this snapshot's; returns where. */
  public String writeModel(MLWritable model) {
    String path = locations.modelPath();
    try {
      model.write().overwrite().save(path);
      return path;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot save the model to " + path + ": " + e.getMessage(), e);
    }
  }

  /** Writes a small file (a chart, a page) to {@code <root>/<directory>/snapshot_date=S/<name>}, replacing it. */
  public String writeFile(String directory, String name, byte[] content) {
    Path dir = new Path(locations.partitionPath(directory));
    Path target = new Path(dir, name);
    try {
      FileSystem fs = withoutChecksums(dir);
      fs.mkdirs(dir);
      try (OutputStream out = fs.create(target, true)) {
        out.write(content);
      }
      return target.toString();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /** Writes the run manifest last (write to a temporary name, then rename), so its presence marks a finished run. */
  public String writeManifest(String json) {
    Path target = new Path(locations.manifestPath());
    Path dir = target.getParent();
    Path temporary = new Path(dir, ".manifest.json.tmp");
    try {
      FileSystem fs = withoutChecksums(dir);
      fs.mkdirs(dir);
      try (OutputStream out = fs.create(temporary, true)) {
        out.write(json.getBytes(StandardCharsets.UTF_8));
      }
      fs.delete(target, false);
      if (!fs.rename(temporary, target)) {
        throw new IOException("rename of " + temporary + " to " + target + " failed");
      }
      return target.toString();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write the run manifest under " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * A file for people gets no .crc sidecar on a local file system. The checksummed file system is
   * shared by the whole JVM (Hadoop caches it), so its raw one is used rather than switching its
   * checksums off.
   */
  private FileSystem withoutChecksums(Path dir) throws IOException {
    FileSystem fs = dir.getFileSystem(hadoop);
    return fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
  }
}
