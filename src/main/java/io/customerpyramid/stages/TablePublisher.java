package io.customerpyramid.stages;

import io.customerpyramid.catalog.TableRegistry;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.output.TableWriter;
import io.customerpyramid.output.WrittenTable;
import io.customerpyramid.schema.TableLocations;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Publishing a table: the writer writes its snapshot partition, then the registry (when the catalog is on) registers it. */
public final class TablePublisher {

  private final TableWriter writer;
  private final Optional<TableRegistry> registry;

  /** @param registry where each written table and its snapshot partition are registered; empty = directories only */
  public TablePublisher(TableWriter writer, Optional<TableRegistry> registry) {
    this.writer = writer;
    this.registry = registry;
  }

  /** A publisher for a job's session: it registers the tables when the config's catalog is enabled. */
  public static TablePublisher forJob(SparkSession spark, JobConfig config, TableLocations locations) {
    Optional<TableRegistry> registry =
        config.catalog().enabled() ? Optional.of(new TableRegistry(spark, config.catalog().database())) : Optional.empty();
    return new TablePublisher(new TableWriter(locations), registry);
  }

  public void write(Dataset<Row> rows, String table) {
    register(writer.write(rows, table));
  }

  /** A table of a few hundred rows at most: written as one file. */
  public void writeSmall(Dataset<Row> rows, String table) {
    register(writer.writeSmall(rows, table));
  }

  private void register(WrittenTable written) {
    registry.ifPresent(r -> r.register(written.table(), written.location(), written.schema(), written.snapshotDate()));
  }
}
