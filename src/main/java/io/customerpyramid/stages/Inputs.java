package io.customerpyramid.stages;

import io.customerpyramid.features.Snapshot;
import io.customerpyramid.ingest.CheckedInput;
import io.customerpyramid.ingest.InputCounts;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The checked inputs of a snapshot, each with its counts; absent optional inputs are empty. Their
 * rows stay cached until {@link #close()}.
 *
 * @param cachedOrders the persisted orders that {@code orders} marks rows of later snapshots in, when these
 *     inputs release them (empty when a backfill's snapshots share them)
 * @param counts per input read, configured or not, in the order orders, returns, contacts, invoices
 */
public record Inputs(
    CheckedInput orders,
    Optional<CheckedInput> cachedOrders,
    Optional<CheckedInput> returns,
    Optional<CheckedInput> contacts,
    Optional<CheckedInput> invoices,
    List<InputCounts> counts,
    Snapshot snapshot)
    implements AutoCloseable {

  /** Every input, the absent ones empty, as the books take them. */
  public List<Optional<CheckedInput>> all() {
    return List.of(Optional.of(orders), returns, contacts, invoices);
  }

  /** The rejected rows of every input read: the rejects table. */
  public Dataset<Row> rejects() {
    Dataset<Row> rejects = orders.rejects();
    for (Optional<CheckedInput> input : List.of(returns, contacts, invoices)) {
      if (input.isPresent()) {
        rejects = rejects.unionByName(input.get().rejects());
      }
    }
    return rejects;
  }

  @Override
  public void close() {
    cachedOrders.ifPresent(CheckedInput::unpersist);
    returns.ifPresent(CheckedInput::unpersist);
    contacts.ifPresent(CheckedInput::unpersist);
    invoices.ifPresent(CheckedInput::unpersist);
  }
}
