package io.customerpyramid.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.MLWritable;

/** Files beside the tables: the fitted model, pages and charts for people, and the snapshot's manifest. */
public final class SideFiles {

  /** Object stores: an object appears whole when its upload completes, and a rename is a copy. */
  private static final Set<String> OBJECT_STORES = Set.of("s3", "s3a", "s3n", "gs", "oss", "cos", "cosn");

  private final Configuration hadoop;

  /** @param hadoop the session's Hadoop configuration ({@code sparkContext().hadoopConfiguration()}) */
  public SideFiles(Configuration hadoop) {
    this.hadoop = hadoop;
  }

  /** Saves a fitted model at {@code path}, replacing what is there; returns the path. */
  public String writeModel(MLWritable model, String path) {
    try {
      model.write().overwrite().save(path);
      return path;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot save the model to " + path + ": " + e.getMessage(), e);
    }
  }

  /** Writes a small file (a chart, a page), replacing it; returns its path. */
  public String writeFile(String path, byte[] content) {
    Path target = new Path(path);
    try {
      FileSystem fs = withoutChecksums(target.getParent());
      fs.mkdirs(target.getParent());
      try (OutputStream out = fs.create(target, true)) {
        out.write(content);
      }
      return target.toString();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Replaces a small file in one atomic step: a reader sees the old content or the new, never
   * none and never a part. The content goes to a temporary file beside it, which one rename puts in
   * place: rename(2) on a local disk, HDFS's rename with overwrite. On an object store the upload
   * itself is atomic (the object appears whole when it completes) and a rename would be a copy, so
   * the file is written in place there.
   *
   * @param temporaryName the temporary file's name: unique to the writer, so that a writer killed
   *     half-way leaves a file that no one else writes
   */
  public String replaceAtomically(String path, String temporaryName, byte[] content) {
    Path target = new Path(path);
    Path dir = target.getParent();
    Path temporary = new Path(dir, temporaryName);
    try {
      FileSystem fs = withoutChecksums(dir);
      String scheme = fs.getUri().getScheme();
      if (scheme != null && OBJECT_STORES.contains(scheme.toLowerCase(java.util.Locale.ROOT))) {
        return writeFile(path, content);
      }
      fs.mkdirs(dir);
      try (OutputStream out = fs.create(temporary, true)) {
        out.write(content);
      }
      if ("file".equals(scheme)) {
        java.nio.file.Path from = Paths.get(fs.makeQualified(temporary).toUri());
        java.nio.file.Path to = Paths.get(fs.makeQualified(target).toUri());
        try {
          Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          throw new IOException("the file system of " + dir + " cannot rename atomically", e);
        }
      } else {
        FileContext.getFileContext(fs.getUri(), hadoop).rename(temporary, target, Options.Rename.OVERWRITE);
      }
      return target.toString();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot replace " + target + ": " + e.getMessage(), e);
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
