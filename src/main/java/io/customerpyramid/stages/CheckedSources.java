package io.customerpyramid.stages;

import io.customerpyramid.config.InputSource;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.ingest.CheckedInput;
import io.customerpyramid.ingest.ContactsIngest;
import io.customerpyramid.ingest.InputCounts;
import io.customerpyramid.ingest.InputReader;
import io.customerpyramid.ingest.InvoicesIngest;
import io.customerpyramid.ingest.OrdersIngest;
import io.customerpyramid.ingest.ReturnsIngest;
import io.customerpyramid.schema.Columns;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.SparkSession;

/**
 * The inputs read and given the checks that do not depend on the snapshot date: parsing, required
 * fields, duplicates, and the run's clock for timestamps. Each snapshot adds its own checks to these
 * rows (rows on or after S, returns of unknown orders, rows of unknown customers).
 *
 * <p>A run reads each input once ({@link #forOneRun}). A backfill shares one set across its snapshots
 * ({@link #shared}): each input is found, read and parsed once, cached with its source columns (a
 * snapshot's look-ups may still reject a row, and a reject keeps its raw record), and released when the
 * backfill ends.
 */
public final class CheckedSources implements AutoCloseable {

  private static final Logger LOG = LogManager.getLogger(CheckedSources.class);

  private final SparkSession spark;
  private final JobConfig config;
  private final boolean shared;
  private CheckedInput orders;
  private final Map<String, Optional<InputCounts>> absences = new HashMap<>();
  private final Map<String, CheckedInput> others = new HashMap<>();

  private CheckedSources(SparkSession spark, JobConfig config, boolean shared) {
    this.spark = spark;
    this.config = config;
    this.shared = shared;
  }

  /** For one run: the orders are cached for the run (its inputs release them), the other inputs read where it needs them. */
  public static CheckedSources forOneRun(SparkSession spark, JobConfig config) {
    return new CheckedSources(spark, config, false);
  }

  /** For the snapshots of a backfill: every input read and checked once, cached until {@link #close()}. */
  public static CheckedSources shared(SparkSession spark, JobConfig config) {
    return new CheckedSources(spark, config, true);
  }

  /** Whether these rows outlive a snapshot's inputs: then the snapshot must not release them. */
  boolean isShared() {
    return shared;
  }

  /** The orders, cached with the run's clock applied, so that the counts and the rejects see one clock. */
  CheckedInput orders() {
    if (!shared) {
      return readOrders();
    }
    if (orders == null) {
      orders = readOrders();
    }
    return orders;
  }

  private CheckedInput readOrders() {
    InputSource source = config.orders();
    return OrdersIngest.check(InputReader.read(spark, source), source, config.orderRules(), config.costs().grossMarginRate())
        .withFutureCheck(Columns.ORDER_TS)
        .persist();
  }

  CheckedInput returns() {
    InputSource source = config.returns();
    return other(source, () -> ReturnsIngest.check(InputReader.read(spark, source), source).withFutureCheck(Columns.RETURN_TS));
  }

  CheckedInput contacts() {
    InputSource source = config.contacts();
    return other(
        source,
        () -> ContactsIngest.check(InputReader.read(spark, source), source, config.costs()).withFutureCheck(Columns.CONTACT_TS));
  }

  /** Invoices have no clock check: a due date in the future is normal. */
  CheckedInput invoices() {
    InputSource source = config.invoices();
    return other(source, () -> InvoicesIngest.check(InputReader.read(spark, source), source));
  }

  /**
   * Why an optional input is not read, as its counts say it (not configured, or nothing found at its
   * path); empty when it is read. A missing optional input is not a failure: its features are zero or null.
   */
  Optional<InputCounts> absence(InputSource source) {
    if (shared && absences.containsKey(source.name())) {
      return absences.get(source.name());
    }
    Optional<InputCounts> absence = Optional.empty();
    if (!source.isConfigured()) {
      absence = Optional.of(InputCounts.notConfigured(source.name()));
    } else if (!InputReader.exists(spark, source)) {
      LOG.warn("input.{}.path: nothing found at '{}'; its features are zero or null", source.name(), source.path().get());
      absence = Optional.of(InputCounts.notFound(source.name(), source.path().get()));
    }
    absences.put(source.name(), absence);
    return absence;
  }

  private CheckedInput other(InputSource source, Supplier<CheckedInput> check) {
    if (!shared) {
      return check.get();
    }
    return others.computeIfAbsent(source.name(), name -> check.get().persistWithSources());
  }

  /** Releases the shared rows; a run's own are released with its inputs. */
  @Override
  public void close() {
    if (shared) {
      if (orders != null) {
        orders.unpersist();
      }
      others.values().forEach(CheckedInput::unpersist);
    }
  }
}
