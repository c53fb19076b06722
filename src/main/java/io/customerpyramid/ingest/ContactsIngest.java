package io.customerpyramid.ingest;

import static io.customerpyramid.ingest.Parse.isBlank;
import static io.customerpyramid.ingest.Parse.text;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map;

import io.customerpyramid.config.InputSource;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.ingest.Parse.Check;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.schema.RejectReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** Checks service contact rows and prices each contact: its own cost, else the default for its type. */
public final class ContactsIngest {

  public static final String NAME = "contacts";

  private ContactsIngest() {}

  /** Output columns: customer_id, contact_ts, contact_type (lower case), handling_cost and bookkeeping. */
  public static CheckedInput check(Dataset<Row> raw, InputSource source, JobConfig.Costs costs) {
    ParsedColumns parsed = new ParsedColumns();
    Column contactTs = parsed.add(Columns.CONTACT_TS, Parse.timestamp(raw, Columns.CONTACT_TS, source.timePatterns()));
    Column contactType = lower(text(col(Columns.CONTACT_TYPE)));
    Column customerId = parsed.add(Columns.CUSTOMER_ID, Parse.customerId(raw, Columns.CUSTOMER_ID, source.customerIdFormat()));
    List<Check> checks = Parse.structureChecks();
    checks.add(new Check(isBlank(col(Columns.CUSTOMER_ID)), RejectReason.MISSING_CUSTOMER_ID));
    checks.add(new Check(Parse.presentButUnparsable(customerId, Columns.CUSTOMER_ID), RejectReason.NON_INTEGER_CUSTOMER_ID));
    checks.add(new Check(isBlank(col(Columns.CONTACT_TS)), RejectReason.MISSING_TIMESTAMP));
    checks.add(new Check(contactTs.isNull(), RejectReason.UNPARSABLE_TIMESTAMP));
    checks.add(new Check(Parse.beforeMinDate(contactTs, source.limits().minDate()), RejectReason.DATE_OUT_OF_RANGE));
    Column ownCost = lit(null).cast(Money.WORK);
    if (source.hasColumn(Columns.HANDLING_COST)) {
      ownCost = parsed.add(Columns.HANDLING_COST, Parse.decimal(raw, Columns.HANDLING_COST, Money.INPUT));
      checks.add(new Check(Parse.outOfRange(raw, Columns.HANDLING_COST, source.limits().maxAbsAmount()), RejectReason.AMOUNT_OUT_OF_RANGE));
      checks.add(new Check(Parse.presentButUnparsable(ownCost, Columns.HANDLING_COST), RejectReason.NON_NUMERIC_COST));
    }
    Column cost =
        coalesce(
            Money.work(ownCost), element_at(typeCosts(costs.contactTypeCosts()), contactType), Money.constant(costs.defaultContactCost()));
    Dataset<Row> checked =
        parsed.on(raw).select(InputReader.withBookkeeping(
            customerId.as(Columns.CUSTOMER_ID),
            contactTs.as(Columns.CONTACT_TS),
            contactType.as(Columns.CONTACT_TYPE),
            cost.as(Columns.HANDLING_COST),
            Parse.firstReason(checks.toArray(Check[]::new)).as(Columns.REJECT_REASON)));
    return new CheckedInput(NAME, Duplicates.mark(checked, source.deduplication(), Columns.CUSTOMER_ID));
  }

  private static Column typeCosts(Map<String, Double> costs) {
    if (costs.isEmpty()) {
      return map().cast(DataTypes.createMapType(DataTypes.StringType, Money.WORK));
    }
    List<Column> entries = new ArrayList<>();
    costs.forEach(
        (type, cost) -> {
          entries.add(lit(type));
          entries.add(Money.constant(cost));
        });
    return map(entries.toArray(Column[]::new));
  }
}
