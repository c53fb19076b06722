package io.customerpyramid.ingest;

import io.customerpyramid.config.InputSource;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Config keys, expected reject-reason rows and the checked orders that the ingest tests share. */
final class IngestFixtures {

  static final double EPS = Fixtures.TOLERANCE;
  static final String ORDERS_HEADER = "order_id,customer_id,order_ts,amount,discount,cost_of_goods";

  /** The columns of accepted order lines. */
  static final StructType ORDER_LINES =
      new StructType()
          .add(Columns.ORDER_ID, DataTypes.StringType)
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.ORDER_TS, DataTypes.TimestampType)
          .add(Columns.LINE_VALUE, Money.WORK)
          .add(Columns.DISCOUNT, Money.WORK)
          .add(Columns.LINE_COST, Money.WORK)
          .add(Columns.IS_RETURN_LINE, DataTypes.BooleanType);

  private IngestFixtures() {}

  static String path(String file) {
    return "input." + file + ".path";
  }

  static CheckedInput orders(JobConfig config) {
    InputSource source = config.orders();
    return OrdersIngest.check(
        InputReader.read(SparkTestSession.get(), source), source, config.orderRules(), config.costs().grossMarginRate());
  }

  static Timestamp utc(String isoInstant) {
    return Timestamp.from(Instant.parse(isoInstant));
  }

  /** Expected (key column, reject reason) rows of a checked input; a null reason is an accepted row. */
  static Dataset<Row> reasons(String keyColumn, String[]... keyAndReason) {
    StructType schema =
        new StructType().add(keyColumn, DataTypes.StringType).add(Columns.REJECT_REASON, DataTypes.StringType);
    return Fixtures.frame(schema, keyAndReason);
  }

  static String[] reason(String key, String reason) {
    return new String[] {key, reason};
  }
}
