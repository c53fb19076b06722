package io.customerpyramid.stages;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;

/** Datasets cached for the length of a run, released together when it ends, whether it succeeded or failed. */
public final class CachedFrames implements AutoCloseable {

  private final List<Dataset<?>> frames = new ArrayList<>();

  /** The same rows, cached until {@link #close()}. */
  public <T> Dataset<T> cache(Dataset<T> frame) {
    Dataset<T> cached = frame.cache();
    frames.add(cached);
    return cached;
  }

  @Override
  public void close() {
    frames.forEach(Dataset::unpersist);
    frames.clear();
  }
}
