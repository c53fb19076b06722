package io.customerpyramid.stages;

import io.customerpyramid.config.InputSource;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.features.Snapshot;
import io.customerpyramid.ingest.CheckedInput;
import io.customerpyramid.ingest.ContactsIngest;
import io.customerpyramid.ingest.InputCounts;
import io.customerpyramid.ingest.InvoicesIngest;
import io.customerpyramid.ingest.KnownCustomers;
import io.customerpyramid.ingest.OrdersIngest;
import io.customerpyramid.ingest.ReturnsIngest;
import io.customerpyramid.schema.Columns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Stage ingest-others: returns, contacts and invoices, each read when configured and found, checked
 * against the snapshot and against the customers of the accepted orders.
 */
public final class IngestOthers {

  private static final List<String> INPUT_ORDER =
      List.of(OrdersIngest.NAME, ReturnsIngest.NAME, ContactsIngest.NAME, InvoicesIngest.NAME);

  private final CheckedSources sources;
  private final JobConfig config;

  private IngestOthers(CheckedSources sources, JobConfig config) {
    this.sources = sources;
    this.config = config;
  }

  /**
   * The orders of {@link IngestOrders} with the optional inputs of {@code sources} added, checked against the
   * orders' snapshot (each cached, released with the orders).
   */
  public static Inputs read(CheckedSources sources, JobConfig config, Inputs orders) {
    return new IngestOthers(sources, config).read(orders);
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
        CheckedInput checked = sources.returns().withAfterSnapshot(Columns.RETURN_TS, snapshot.startTimestamp());
        checked = ReturnsIngest.resolveCustomers(checked, acceptedLines);
        returns = Optional.of(KnownCustomers.check(checked, customerIds).persist());
      }
      Optional<CheckedInput> contacts = Optional.empty();
      if (isPresent(config.contacts(), counts)) {
        CheckedInput checked = sources.contacts().withAfterSnapshot(Columns.CONTACT_TS, snapshot.startTimestamp());
        contacts = Optional.of(KnownCustomers.check(checked, customerIds).persist());
      }
      Optional<CheckedInput> invoices = Optional.empty();
      if (isPresent(config.invoices(), counts)) {
        // Only invoices due before S count (a due date in the future is normal), so later ones are after S.
        CheckedInput checked = sources.invoices().withAfterSnapshot(Columns.DUE_DATE, snapshot.dateLiteral());
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

  /** An optional input is read when configured and found; otherwise its counts say why. */
  private boolean isPresent(InputSource source, List<InputCounts> counts) {
    Optional<InputCounts> absence = sources.absence(source);
    absence.ifPresent(counts::add);
    return absence.isEmpty();
  }
}
