package io.customerpyramid.stages;

import io.customerpyramid.config.InputSource;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.features.Snapshot;
import io.customerpyramid.ingest.CheckedInput;
import io.customerpyramid.ingest.ContactsIngest;
import io.customerpyramid.ingest.InputCounts;
import io.customerpyramid.ingest.InputReader;
import io.customerpyramid.ingest.InvoicesIngest;
import io.customerpyramid.ingest.KnownCustomers;
import io.customerpyramid.ingest.OrdersIngest;
import io.customerpyramid.ingest.ReturnsIngest;
import io.customerpyramid.schema.Columns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Stage ingest-others: returns, contacts and invoices, each read when configured and found, checked
 * against the snapshot and against the customers of the accepted orders.
 */
public final class IngestOthers {

  private static final Logger LOG = LogManager.getLogger(IngestOthers.class);
  private static final List<String> INPUT_ORDER =
      List.of(OrdersIngest.NAME, ReturnsIngest.NAME, ContactsIngest.NAME, InvoicesIngest.NAME);

  private final SparkSession spark;
  private final JobConfig config;

  private IngestOthers(SparkSession spark, JobConfig config) {
    this.spark = spark;
    this.config = config;
  }

  /** The orders of {@link IngestOrders} with the optional inputs added (each cached, released with the orders). */
  public static Inputs read(SparkSession spark, JobConfig config, Inputs orders) {
    return new IngestOthers(spark, config).read(orders);
  }

  private Inputs read(Inputs orders) {
    Snapshot snapshot = orders.snapshot();
    Dataset<Row> acceptedLines = orders.orders().accepted();
    Dataset<Row> customerIds = acceptedLines.select(Columns.CUSTOMER_ID).distinct().persist(StorageLevel.MEMORY_AND_DISK());
    List<InputCounts> counts = new ArrayList<>(orders.counts());
    try {
      // Time checks come before the look-ups: a later row of a later customer or order is not UNKNOWN_*.
      Optional<CheckedInput> returns = Optional.empty();
      if (isPresent(config.returns(), counts)) {
        CheckedInput checked =
            withTimeChecks(ReturnsIngest.check(InputReader.read(spark, config.returns()), config.returns()), Columns.RETURN_TS, snapshot);
        checked = ReturnsIngest.resolveCustomers(checked, acceptedLines);
        returns = Optional.of(KnownCustomers.check(checked, customerIds).persist());
      }
      Optional<CheckedInput> contacts = Optional.empty();
      if (isPresent(config.contacts(), counts)) {
        CheckedInput checked =
            withTimeChecks(
                ContactsIngest.check(InputReader.read(spark, config.contacts()), config.contacts(), config.costs()),
                Columns.CONTACT_TS,
                snapshot);
        contacts = Optional.of(KnownCustomers.check(checked, customerIds).persist());
      }
      Optional<CheckedInput> invoices = Optional.empty();
      if (isPresent(config.invoices(), counts)) {
        // Only invoices due before S count (a due date in the future is normal), so later ones are after S.
        CheckedInput checked =
            InvoicesIngest.check(InputReader.read(spark, config.invoices()), config.invoices())
                .withAfterSnapshot(Columns.DUE_DATE, snapshot.dateLiteral());
        invoices = Optional.of(KnownCustomers.check(checked, customerIds).persist());
      }
      returns.ifPresent(input -> counts.add(InputCounts.of(input)));
      contacts.ifPresent(input -> counts.add(InputCounts.of(input)));
      invoices.ifPresent(input -> counts.add(InputCounts.of(input)));
      counts.sort(Comparator.comparingInt(c -> INPUT_ORDER.indexOf(c.input())));
      return new Inputs(orders.orders(), orders.cachedOrders(), returns, contacts, invoices, List.copyOf(counts), snapshot);
    } finally {
      customerIds.unpersist();
    }
  }

  /** FUTURE_TIMESTAMP for a row dated after now; else AFTER_SNAPSHOT for one at or after the snapshot start. */
  private static CheckedInput withTimeChecks(CheckedInput input, String timestampColumn, Snapshot snapshot) {
    return input.withFutureCheck(timestampColumn).withAfterSnapshot(timestampColumn, snapshot.startTimestamp());
  }

  /**
   * An optional input is read when configured and found; otherwise its features are zero or null
   * and the summary says why (a missing optional input is not a failure).
   */
  private boolean isPresent(InputSource source, List<InputCounts> counts) {
    if (!source.isConfigured()) {
      counts.add(InputCounts.notConfigured(source.name()));
      return false;
    }
    if (!InputReader.exists(spark, source)) {
      LOG.warn("input.{}.path: nothing found at '{}'; its features are zero or null", source.name(), source.path().get());
      counts.add(InputCounts.notFound(source.name(), source.path().get()));
      return false;
    }
    return true;
  }
}
