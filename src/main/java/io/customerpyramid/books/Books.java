package io.customerpyramid.books;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.features.CustomerFeatures;
import io.customerpyramid.ingest.CheckedInput;
import io.customerpyramid.ingest.ContactsIngest;
import io.customerpyramid.ingest.InvoicesIngest;
import io.customerpyramid.ingest.OrdersIngest;
import io.customerpyramid.ingest.ReturnsIngest;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The run's own bookkeeping: per input, the money read, accepted, rejected and after S, checked
 * against the exact per-customer sums in customer_features. A difference means rows were lost or
 * counted twice between the inputs and the customer table (a join, an aggregation), so the run
 * stops before any table is replaced.
 */
public record Books(List<Ledger> ledgers) {

  /** What each input books, and the customer_features column that must hold the same total. */
  private record Account(String amountInWords, Column amount, String ledgerColumn) {}

  private static final Map<String, Account> ACCOUNTS =
      Map.of(
          OrdersIngest.NAME,
          new Account(
              "line value, returns negative",
              when(col(Columns.IS_RETURN_LINE), lit(BigDecimal.ZERO).minus(abs(col(Columns.LINE_VALUE))))
                  .otherwise(col(Columns.LINE_VALUE)),
              CustomerFeatures.LEDGER_ORDERS),
          ReturnsIngest.NAME,
          new Account("refund_amount", col(Columns.REFUND_AMOUNT), CustomerFeatures.LEDGER_RETURNS),
          ContactsIngest.NAME,
          new Account("handling_cost as priced", col(Columns.HANDLING_COST), CustomerFeatures.LEDGER_CONTACTS),
          InvoicesIngest.NAME,
          new Account("written_off", col(Columns.WRITTEN_OFF), CustomerFeatures.LEDGER_INVOICES));

  /**
   * One aggregation per input (its rows are cached) and one over the customers.
   *
   * @param inputs the checked inputs that were read (absent optional inputs have no ledger)
   * @param customers customer_features as built, with its ledger columns
   */
  public static Books of(List<Optional<CheckedInput>> inputs, Dataset<Row> customers) {
    List<Column> totals = new ArrayList<>();
    List<CheckedInput> present = inputs.stream().flatMap(Optional::stream).toList();
    for (CheckedInput input : present) {
      totals.add(Money.sum(col(account(input).ledgerColumn())));
    }
    Row inFeatures = customers.agg(totals.get(0), totals.subList(1, totals.size()).toArray(Column[]::new)).first();
    List<Ledger> ledgers = new ArrayList<>();
    for (int i = 0; i < present.size(); i++) {
      ledgers.add(ledger(present.get(i), inFeatures.getDecimal(i)));
    }
    return new Books(List.copyOf(ledgers));
  }

  private static Account account(CheckedInput input) {
    Account account = ACCOUNTS.get(input.name());
    if (account == null) {
      throw new IllegalArgumentException("No account for input " + input.name());
    }
    return account;
  }

  private static Ledger ledger(CheckedInput input, BigDecimal inFeatures) {
    Account account = account(input);
    BigDecimal accepted = BigDecimal.ZERO;
    BigDecimal afterSnapshot = BigDecimal.ZERO;
    BigDecimal rejected = BigDecimal.ZERO;
    Dataset<Row> byStatus =
        input.rows().groupBy(col(Columns.REJECT_REASON)).agg(Money.sum(account.amount()));
    for (Row row : byStatus.collectAsList()) {
      BigDecimal sum = row.getDecimal(1);
      if (row.isNullAt(0)) {
        accepted = accepted.add(sum);
      } else if (CheckedInput.AFTER_SNAPSHOT.equals(row.getString(0))) {
        afterSnapshot = afterSnapshot.add(sum);
      } else {
        rejected = rejected.add(sum);
      }
    }
    return new Ledger(input.name(), account.amountInWords(), accepted, rejected, afterSnapshot, inFeatures);
  }

  /** Stops the run, naming each input whose books do not balance and by how much. */
  public void requireBalanced() {
    List<String> problems = new ArrayList<>();
    for (Ledger ledger : ledgers) {
      if (!ledger.balanced()) {
        problems.add(
            ledger.input() + ": accepted " + ledger.accepted().toPlainString() + " (" + ledger.amount() + ") but customer_features holds "
                + ledger.inCustomerFeatures().toPlainString() + ", a difference of " + ledger.difference().toPlainString());
      }
    }
    if (!problems.isEmpty()) {
      throw new BooksError(
          "The run's books do not balance, so no table was replaced: " + String.join("; ", problems)
              + ". This is a defect of the job, not of the input: please report it with the run manifest of the last good run.");
    }
  }
}
