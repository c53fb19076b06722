package io.customerpyramid.ingest;

import io.customerpyramid.config.InputSource;
import io.customerpyramid.config.InputSource.CsvLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * The files behind an input's path, each given a verdict before Spark reads any of them. Spark would
 * drop the first line of every CSV file as a header without looking at it, and fail a whole query on
 * one binary or corrupt file without naming it: here a CSV file's first line must be the same header
 * as the first file's (with {@code header = true}), its start must be text, and its compression must
 * open; a Parquet file must start with Parquet's magic bytes. Only the first {@value #SNIFF_BYTES}
 * bytes of each file are read, by {@value #THREADS} threads at a time.
 */
public final class InputFiles {

  static final int SNIFF_BYTES = 64 * 1024;
  private static final int THREADS = 8;
  private static final long TIMEOUT_SECONDS = 600;
  private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};

  /** A file left out of the input, and why. */
  public record BadFile(String file, String problem) {
    @Override
    public String toString() {
      return file + ": " + problem;
    }
  }

  /** The files Spark reads (sorted by path) and the ones it must not. */
  public record Verdicts(List<String> readable, List<BadFile> bad) {}

  private InputFiles() {}

  static Verdicts check(Configuration hadoop, InputSource source, String path) {
    List<Sniffed> sniffed = sniffAll(hadoop, list(hadoop, source, path), source);
    boolean checkHeaders = "csv".equals(source.format()) && source.csv().header();
    Sniffed reference = referenceHeader(sniffed, source);
    List<String> header = reference == null || !checkHeaders ? null : fields(reference.firstLine(), source.csv());
    List<String> readable = new ArrayList<>();
    List<BadFile> bad = new ArrayList<>();
    for (Sniffed file : sniffed) {
      String problem = file.problem();
      if (problem == null && header != null && file.firstLine() != null) {
        List<String> fields = fields(file.firstLine(), source.csv());
        if (!header.equals(fields)) {
          problem = "its first line is not the header of " + reference.path() + " (expected " + header + ", found "
              + abbreviate(fields.toString()) + "): a part file without a header, or another table's file";
        }
      }
      if (problem == null) {
        readable.add(file.path());
      } else {
        bad.add(new BadFile(file.path(), problem));
      }
    }
    // Spark takes the column names (or their count) from the first file it is given: the reference goes first.
    if (reference != null && readable.remove(reference.path())) {
      readable.add(0, reference.path());
    }
    return new Verdicts(List.copyOf(readable), List.copyOf(bad));
  }

  /**
   * The header all files must repeat: the first line of the first file that names every mapped
   * column, else of the first readable file (whose missing columns the reader then reports).
   */
  private static Sniffed referenceHeader(List<Sniffed> sniffed, InputSource source) {
    Sniffed first = null;
    for (Sniffed file : sniffed) {
      if (file.problem() == null && file.firstLine() != null) {
        if (fields(file.firstLine(), source.csv()).containsAll(source.columns().values())) {
          return file;
        }
        first = first == null ? file : first;
      }
    }
    return first;
  }

  /** The files Spark would read for this configured input ({@link #list}); none when nothing is there. */
  public static List<FileStatus> files(Configuration hadoop, InputSource source) {
    String path = source.path().orElseThrow(() -> new IllegalStateException(source.name() + " is not configured"));
    return list(hadoop, source, path);
  }

  /** Files as Spark would read them: a file, a directory's files at any depth, or a glob's matches; hidden ones (_x, .x) left out. */
  private static List<FileStatus> list(Configuration hadoop, InputSource source, String path) {
    try {
      Path pattern = new Path(path);
      FileSystem fs = pattern.getFileSystem(hadoop);
      FileStatus[] matches = fs.globStatus(pattern);
      List<FileStatus> files = new ArrayList<>();
      for (FileStatus match : matches == null ? new FileStatus[0] : matches) {
        if (match.isDirectory()) {
          RemoteIterator<LocatedFileStatus> inside = fs.listFiles(match.getPath(), true);
          while (inside.hasNext()) {
            LocatedFileStatus file = inside.next();
            if (!hidden(file.getPath(), match.getPath())) {
              files.add(file);
            }
          }
        } else {
          files.add(match);
        }
      }
      files.sort(Comparator.comparing(f -> f.getPath().toString()));
      return files;
    } catch (IOException e) {
      throw new InputError("input." + source.name() + ".path: cannot list '" + path + "': " + e.getMessage(), e);
    }
  }

  private static boolean hidden(Path file, Path root) {
    for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
      String name = p.getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The files of an input that cannot be read to their end (a compressed file truncated after its
   * first {@value #SNIFF_BYTES} bytes, a corrupt block): each file read whole, and thrown away.
   * Costly, so only run to explain a failed read.
   */
  static List<BadFile> unreadableToTheEnd(Configuration hadoop, InputSource source, String path) {
    List<FileStatus> files = list(hadoop, source, path);
    List<BadFile> bad = new ArrayList<>();
    CompressionCodecFactory codecs = new CompressionCodecFactory(hadoop);
    for (Sniffed file : runAll(files, source, status -> readToTheEnd(hadoop, codecs, status))) {
      if (file.problem() != null) {
        bad.add(new BadFile(file.path(), file.problem()));
      }
    }
    return bad;
  }

  private static Sniffed readToTheEnd(Configuration hadoop, CompressionCodecFactory codecs, FileStatus status) {
    Path path = status.getPath();
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      CompressionCodec codec = codecs.getCodec(path);
      try (InputStream raw = fs.open(path); InputStream in = codec == null ? raw : codec.createInputStream(raw)) {
        byte[] buffer = new byte[1 << 16];
        while (in.read(buffer) >= 0) {
          // Only whether the whole file can be read matters.
        }
      }
      return new Sniffed(path.toString(), null, null);
    } catch (IOException | RuntimeException e) {
      return new Sniffed(path.toString(), null, "cannot be read to its end (" + e.getMessage() + "): truncated or corrupt?");
    }
  }

  private record Sniffed(String path, String firstLine, String problem) {}

  private static List<Sniffed> sniffAll(Configuration hadoop, List<FileStatus> files, InputSource source) {
    // The factory reads the codec list once; it is costly to build per file.
    CompressionCodecFactory codecs = new CompressionCodecFactory(hadoop);
    return runAll(files, source, status -> sniff(hadoop, codecs, status, source));
  }

  private static List<Sniffed> runAll(List<FileStatus> files, InputSource source, java.util.function.Function<FileStatus, Sniffed> check) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(THREADS, files.size())), runnable -> {
      Thread thread = new Thread(runnable, "input-files-" + source.name());
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<Sniffed>> pending = new ArrayList<>();
      for (FileStatus file : files) {
        pending.add(pool.submit(() -> check.apply(file)));
      }
      List<Sniffed> results = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
      for (int i = 0; i < pending.size(); i++) {
        try {
          results.add(pending.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
          throw new InputError("input " + source.name() + ": checking the start of " + files.get(i).getPath()
              + " did not finish within " + TIMEOUT_SECONDS + " s (a file system that does not answer?)");
        } catch (ExecutionException e) {
          throw new InputError("input " + source.name() + ": cannot check " + files.get(i).getPath() + ": " + e.getCause(), e.getCause());
        }
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking the files of input " + source.name(), e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Sniffed sniff(Configuration hadoop, CompressionCodecFactory codecs, FileStatus status, InputSource source) {
    Path path = status.getPath();
    String name = path.toString();
    byte[] start;
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      CompressionCodec codec = "csv".equals(source.format()) ? codecs.getCodec(path) : null;
      try (InputStream raw = fs.open(path); InputStream in = codec == null ? raw : codec.createInputStream(raw)) {
        start = in.readNBytes(SNIFF_BYTES);
      }
    } catch (IOException | RuntimeException e) {
      String what = path.getName().contains(".") ? path.getName().substring(path.getName().lastIndexOf('.') + 1) + " " : "";
      return new Sniffed(name, null, "cannot be read as a " + what + "file (" + e.getMessage() + "): truncated or corrupt?");
    }
    if ("parquet".equals(source.format())) {
      boolean magic = start.length >= PARQUET_MAGIC.length && Arrays.equals(Arrays.copyOf(start, PARQUET_MAGIC.length), PARQUET_MAGIC);
      return new Sniffed(name, null, magic || start.length == 0 ? null : "not a Parquet file (it does not start with PAR1)");
    }
    CsvLayout csv = source.csv();
    Charset charset = Charset.forName(csv.encoding());
    if (!charset.name().startsWith("UTF-16") && !charset.name().startsWith("UTF-32")) {
      for (byte b : start) {
        if (b == 0) {
          return new Sniffed(name, null, "binary content (a NUL byte in its first " + start.length + " bytes), not CSV text");
        }
      }
    }
    String text = new String(start, charset);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    int end = text.indexOf('\n');
    if (end < 0 && start.length == SNIFF_BYTES) {
      return new Sniffed(name, null, csv.header() ? "its first line is longer than " + SNIFF_BYTES / 1024 + " KiB: not a header" : null);
    }
    String firstLine = (end < 0 ? text : text.substring(0, end)).replaceAll("\r$", "");
    return new Sniffed(name, text.isEmpty() ? null : firstLine, null);
  }

  /** A header line's names: split at the delimiter outside quotes, quotes removed, trimmed. */
  static List<String> fields(String line, CsvLayout csv) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    char quote = csv.quote().charAt(0);
    String delimiter = csv.delimiter();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == quote) {
        if (quoted && i + 1 < line.length() && line.charAt(i + 1) == quote) {
          field.append(quote);
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (!quoted && line.startsWith(delimiter, i)) {
        fields.add(field.toString().trim());
        field.setLength(0);
        i += delimiter.length() - 1;
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString().trim());
    return fields;
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
