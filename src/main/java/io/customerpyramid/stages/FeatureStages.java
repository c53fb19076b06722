package io.customerpyramid.stages;

import io.customerpyramid.config.JobConfig;
import java.time.LocalDate;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The first three stages of every use of the job (a run, tune-k, the library): ingest-orders,
 * ingest-others and features, from the configured inputs to one labelled row per customer.
 */
public final class FeatureStages {

  private static final int STAGES = 3;

  private final CheckedSources sources;
  private final JobConfig config;
  private final StageTracker stages;

  /**
   * @param sources the inputs with their checks that do not depend on the snapshot (a backfill shares them)
   * @param stages the tracker of the run these stages are part of (they count as its first three)
   */
  public FeatureStages(CheckedSources sources, JobConfig config, StageTracker stages) {
    this.sources = sources;
    this.config = config;
    this.stages = stages;
  }

  /** The three stages on their own, counted 1/3 to 3/3: for tools that need only the customers. */
  public static FeatureStages alone(SparkSession spark, JobConfig config) {
    return new FeatureStages(CheckedSources.forOneRun(spark, config), config, new StageTracker(spark, STAGES));
  }

  /**
   * Customers with their features and labels, as a run computes them before segmentation.
   *
   * @param customers one row per customer, cached and cut from the inputs' lineage
   */
  public record CustomerTable(Dataset<Row> customers, LocalDate snapshotDate, long count) {}

  /** The customers and the inputs they came from; the inputs stay cached until the result is closed. */
  public Features run(LineageCuts cuts) {
    Inputs orders = stages.run("ingest-orders", "Reading and checking orders", () -> IngestOrders.read(sources, config));
    Inputs all =
        releasingOnFailure(orders, () ->
            stages.run("ingest-others", "Reading returns, contacts and invoices", () -> IngestOthers.read(sources, config, orders)));
    return releasingOnFailure(all, () ->
        stages.run(
            "features",
            config.clv().enabled()
                ? "Customer features, future value (BG/NBD, Gamma-Gamma), RFM scores and labels"
                : "Customer features, RFM scores and labels",
            () -> LabelCustomers.build(all, config, cuts)));
  }

  /** The customers only: the inputs are released, the customers stay cached until the cuts close. */
  public CustomerTable customers(LineageCuts cuts) {
    try (Features features = run(cuts)) {
      return new CustomerTable(features.customers(), features.snapshotDate(), features.count());
    }
  }

  private static <T> T releasingOnFailure(Inputs inputs, Supplier<T> work) {
    try {
      return work.get();
    } catch (RuntimeException | Error e) {
      inputs.close();
      throw e;
    }
  }
}
