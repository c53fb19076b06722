package io.customerpyramid.ingest;

import static io.customerpyramid.ingest.Parse.isBlank;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;

import io.customerpyramid.config.InputSource;
import io.customerpyramid.ingest.Parse.Check;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.schema.RejectReason;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Checks invoice rows: due date, optional paid date (empty = unpaid), amount and write-off. */
public final class InvoicesIngest {

  public static final String NAME = "invoices";

  private InvoicesIngest() {}

  /** Output columns: customer_id, due_date, paid_date, amount, written_off and bookkeeping. */
  public static CheckedInput check(Dataset<Row> raw, InputSource source) {
    ParsedColumns parsed = new ParsedColumns();
    Column dueDate = parsed.add(Columns.DUE_DATE, Parse.date(raw, Columns.DUE_DATE, source.timePatterns()));
    Column paidDate = parsed.add(Columns.PAID_DATE, Parse.date(raw, Columns.PAID_DATE, source.timePatterns()));
    Column amount = parsed.add(Columns.AMOUNT, Parse.decimal(raw, Columns.AMOUNT, Money.INPUT));
    Column customerId = parsed.add(Columns.CUSTOMER_ID, Parse.customerId(raw, Columns.CUSTOMER_ID, source.customerIdFormat()));
    List<Check> checks = Parse.structureChecks();
    checks.add(new Check(isBlank(col(Columns.CUSTOMER_ID)), RejectReason.MISSING_CUSTOMER_ID));
    checks.add(new Check(Parse.presentButUnparsable(customerId, Columns.CUSTOMER_ID), RejectReason.NON_INTEGER_CUSTOMER_ID));
    checks.add(new Check(isBlank(col(Columns.DUE_DATE)), RejectReason.MISSING_DUE_DATE));
    checks.add(new Check(dueDate.isNull(), RejectReason.UNPARSABLE_DATE));
    checks.add(new Check(Parse.presentButUnparsable(paidDate, Columns.PAID_DATE), RejectReason.UNPARSABLE_DATE));
    checks.add(new Check(Parse.beforeMinDate(dueDate, source.limits().minDate())
        .or(Parse.beforeMinDate(paidDate, source.limits().minDate())), RejectReason.DATE_OUT_OF_RANGE));
    checks.add(new Check(isBlank(col(Columns.AMOUNT)), RejectReason.MISSING_AMOUNT));
    checks.add(new Check(Parse.outOfRange(raw, Columns.AMOUNT, source.limits().maxAbsAmount()), RejectReason.AMOUNT_OUT_OF_RANGE));
    checks.add(new Check(amount.isNull(), RejectReason.NON_NUMERIC_AMOUNT));
    Column writtenOff = Money.zero();
    if (source.hasColumn(Columns.WRITTEN_OFF)) {
      Column written = parsed.add(Columns.WRITTEN_OFF, Parse.decimal(raw, Columns.WRITTEN_OFF, Money.INPUT));
      checks.add(new Check(Parse.outOfRange(raw, Columns.WRITTEN_OFF, source.limits().maxAbsAmount()), RejectReason.AMOUNT_OUT_OF_RANGE));
      checks.add(new Check(Parse.presentButUnparsable(written, Columns.WRITTEN_OFF), RejectReason.NON_NUMERIC_AMOUNT));
      writtenOff = coalesce(Money.work(written), Money.zero());
    }
    Dataset<Row> checked =
        parsed.on(raw).select(InputReader.withBookkeeping(
            customerId.as(Columns.CUSTOMER_ID),
            dueDate.as(Columns.DUE_DATE),
            paidDate.as(Columns.PAID_DATE),
            Money.work(amount).as(Columns.AMOUNT),
            writtenOff.as(Columns.WRITTEN_OFF),
            Parse.firstReason(checks.toArray(Check[]::new)).as(Columns.REJECT_REASON)));
    return new CheckedInput(NAME, Duplicates.mark(checked, source.deduplication(), Columns.CUSTOMER_ID));
  }
}
