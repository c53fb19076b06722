package io.customerpyramid.ingest;

import static io.customerpyramid.ingest.IngestFixtures.ORDERS_HEADER;
import static io.customerpyramid.ingest.IngestFixtures.orders;
import static io.customerpyramid.ingest.IngestFixtures.path;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.aggregate.SortAggregateExec;
import org.apache.spark.sql.execution.exchange.ShuffleExchangeExec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.JavaConverters;

/**
 * Order rows placed by customer: the accepted lines reach the per-order and per-customer
 * aggregations already partitioned (one shuffle in all, the placement's), rows without a customer id
 * spread over the partitions, and duplicates are compared within one order of one customer.
 */
class CustomerPlacementTest {

  @TempDir static Path dir;

  private static CheckedInput checked;

  @BeforeAll
  static void ingest() {
    SparkTestSession.get();
    List<String> lines = new ArrayList<>(List.of(ORDERS_HEADER,
        "o1,c1,2024-01-10 10:00:00,100.00,,",
        "o1,c1,2024-01-10 10:00:00,100.00,,",
        "o1,c1,2024-01-10 10:00:00,7.50,,",
        "o2,c1,2024-01-11 10:00:00,20.25,,",
        "o3,c2,2024-01-12 10:00:00,40.00,,",
        // The same order id and amount for another customer: not a copy of o3 of c2.
        "o3,c3,2024-01-12 10:00:00,40.00,,"));
    for (int i = 0; i < 40; i++) {
      lines.add("x" + i + ",,2024-01-12 10:00:00," + i + ",,");
    }
    String file = Fixtures.csv(dir, "orders.csv", lines.toArray(String[]::new));
    checked = orders(Fixtures.config(path("orders") + "=" + file, "input.orders.deduplicate=[order_id, amount]"));
  }

  @Test
  void perOrderThenPerCustomerAggregationNeedsNoShuffleOfItsOwn() {
    Dataset<Row> perCustomer =
        checked.accepted()
            .groupBy(Columns.CUSTOMER_ID, Columns.ORDER_ID)
            .agg(sum(Columns.LINE_VALUE).as("order_value"))
            .groupBy(Columns.CUSTOMER_ID)
            .agg(sum("order_value").as("value"), count(lit(1)).as("orders"));
    Map<String, String> byCustomer = new TreeMap<>();
    for (Row row : perCustomer.collectAsList()) {
      byCustomer.put(row.getString(0), row.<BigDecimal>getAs("value").stripTrailingZeros().toPlainString() + " in " + row.getLong(2));
    }
    // c1: 100 (its copy rejected) + 7.50 in o1, 20.25 in o2; c2 and c3 each keep their o3.
    assertEquals(Map.of("c1", "127.75 in 2", "c2", "40 in 1", "c3", "40 in 1"), byCustomer);
    SparkPlan plan = perCustomer.queryExecution().executedPlan();
    assertEquals(1, nodes(plan, ShuffleExchangeExec.class), "only the placement shuffles:\n" + plan);
    // The lines come sorted by customer and order, so the per-order sums stream through them.
    assertTrue(nodes(plan, SortAggregateExec.class) >= 1, "the per-order sums by streaming:\n" + plan);
  }

  @Test
  void duplicatesAreCopiesWithinOneOrderOfOneCustomer() {
    Map<String, Long> reasons = new TreeMap<>();
    for (Row row : checked.rows().where(col(Columns.CUSTOMER_ID).isNotNull()).groupBy(Columns.REJECT_REASON).count().collectAsList()) {
      reasons.put(String.valueOf(row.getString(0)), row.getLong(1));
    }
    assertEquals(Map.of("null", 5L, "DUPLICATE_ROW", 1L), reasons);
    // Every accepted row keeps its own customer id, and the accepted lines their columns in order.
    Dataset<Row> ids = checked.rows().where(col(Columns.REJECT_REASON).isNull()).select(Columns.ORDER_ID, Columns.CUSTOMER_ID);
    Dataset<Row> accepted = checked.accepted();
    assertEquals(0, ids.exceptAll(accepted.select(Columns.ORDER_ID, Columns.CUSTOMER_ID)).count());
    assertEquals(0, accepted.select(Columns.ORDER_ID, Columns.CUSTOMER_ID).exceptAll(ids).count());
    assertEquals(List.of(IngestFixtures.ORDER_LINES.fieldNames()), List.of(accepted.columns()));
  }

  @Test
  void withoutADuplicateCheckTheRowsAreNotPlaced() {
    String file = Fixtures.csv(dir, "unchecked.csv", ORDERS_HEADER, "o1,c1,2024-01-10 10:00:00,100.00,,", "o1,c1,2024-01-10 10:00:00,100.00,,");
    CheckedInput unchecked = orders(Fixtures.config(path("orders") + "=" + file, "input.orders.deduplicate=off"));
    assertEquals(2, unchecked.accepted().count());
    assertTrue(!List.of(unchecked.rows().columns()).contains(Columns.CUSTOMER_PLACEMENT));
    assertEquals(0, nodes(unchecked.rows().queryExecution().executedPlan(), ShuffleExchangeExec.class));
  }

  @Test
  void rowsWithoutACustomerSpreadOverThePartitions() {
    Row spread =
        checked.rows().where(col(Columns.CUSTOMER_ID).isNull())
            .select(spark_partition_id().as("partition"), col(Columns.REJECT_REASON))
            .agg(count(lit(1)), countDistinct(col("partition")), countDistinct(col(Columns.REJECT_REASON)))
            .first();
    assertEquals(40, spread.getLong(0));
    assertTrue(spread.getLong(1) >= 3, "40 rows without a customer id in " + spread.getLong(1) + " of 4 partitions");
    assertEquals(1, spread.getLong(2), "all of them MISSING_CUSTOMER_ID");
  }

  private static int nodes(SparkPlan plan, Class<?> type) {
    int found = type.isInstance(plan) ? 1 : 0;
    for (SparkPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      found += nodes(child, type);
    }
    return found;
  }
}
