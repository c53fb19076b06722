package io.customerpyramid.stages;

import io.customerpyramid.clv.ClvModel;
import io.customerpyramid.features.RfmScoring;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The customers with every feature and label, and the inputs they were built from; closing it
 * releases the inputs (the customers are cut by the run's {@link LineageCuts}, which release them).
 *
 * @param customers one row per customer, cached and cut from the inputs' lineage
 * @param edges the RFM quintile edges the scores were given with
 * @param count the number of customers
 * @param clv the fitted future-value models, when clv.enabled (the customers then carry the predictions)
 */
public record Features(Inputs inputs, Dataset<Row> customers, RfmScoring.Edges edges, long count, Optional<ClvModel> clv) implements AutoCloseable {

  public LocalDate snapshotDate() {
    return inputs.snapshot().date();
  }

  @Override
  public void close() {
    inputs.close();
  }
}
