package io.customerpyramid.migrations;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.features.LoyaltyStages;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.tiers.Tier;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Movement between two snapshots (seed 003): for each pair (value in the previous snapshot, value
 * now) of a label such as the tier, the customers who moved and their contribution then and now.
 * Customers absent from the previous snapshot come from {@link #ENTERED}; customers absent now go to
 * {@link #LEFT}.
 */
public final class Migrations {

  /** The from value of customers who were not in the previous snapshot. */
  public static final String ENTERED = "(new)";
  /** The to value of customers who are not in this snapshot. */
  public static final String LEFT = "(gone)";

  private static final int SHARE_DECIMALS = 6;
  private static final String PAIR = "migration_pair";
  private static final String DIMENSION = "dimension";
  private static final String FROM = "from_value";
  private static final String TO = "to_value";

  /**
   * A label followed between snapshots: its column in customer_segments and its values in order;
   * no values for a numbered label (segment ids), whose number is its rank.
   */
  public record Dimension(String column, String fromColumn, String toColumn, List<String> values) {

    /** 0 for (new), 1.. for the values in order (or the number itself), values + 1 (or the largest int) for (gone). */
    Column rank(Column value) {
      Column rank = when(value.equalTo(ENTERED), lit(0));
      if (values.isEmpty()) {
        return rank.when(value.equalTo(LEFT), lit(Integer.MAX_VALUE)).otherwise(value.cast("int"));
      }
      for (int i = 0; i < values.size(); i++) {
        rank = rank.when(value.equalTo(values.get(i)), lit(i + 1));
      }
      return rank.otherwise(lit(values.size() + 1));
    }
  }

  public static final Dimension TIER = new Dimension(Columns.TIER, Columns.FROM_TIER, Columns.TO_TIER, tierLabels());

  public static final Dimension LOYALTY_STAGE =
      new Dimension(
          Columns.LOYALTY_STAGE,
          Columns.FROM_LOYALTY_STAGE,
          Columns.TO_LOYALTY_STAGE,
          List.of(LoyaltyStages.NEW, LoyaltyStages.REGULAR, LoyaltyStages.LOYAL, LoyaltyStages.LAPSED));

  /** Segment ids: numbers, compared as text ("3"), so that (new) and (gone) fit the same column. */
  public static final Dimension SEGMENT = new Dimension(Columns.SEGMENT_ID, Columns.FROM_SEGMENT, Columns.TO_SEGMENT, List.of());

  private Migrations() {}

  /**
   * @param previous customer_segments of the previous snapshot (customer_id, the dimension's column, contribution)
   * @param current the same columns for this snapshot
   * @return one row per (from, to) pair that occurs, without snapshot_date
   */
  public static Dataset<Row> between(
      Dataset<Row> previous, LocalDate previousDate, Dataset<Row> current, Dimension dimension) {
    return of(pairCounts(previous, current, List.of(dimension)), previousDate, dimension, 0);
  }

  /**
   * Every customer of either snapshot, counted once per dimension: (dimension's index in {@code dimensions},
   * from, to, customers, previous_contribution, contribution) for each pair that occurs. The two snapshots
   * are joined once for all the dimensions; the result has at most (values + 2)^2 rows per dimension.
   *
   * @param previous customer_segments of the previous snapshot (customer_id, the dimensions' columns, contribution)
   * @param current the same columns for this snapshot
   */
  public static Dataset<Row> pairCounts(Dataset<Row> previous, Dataset<Row> current, List<Dimension> dimensions) {
    List<Column> before = new ArrayList<>(List.of(col(Columns.CUSTOMER_ID)));
    List<Column> now = new ArrayList<>(List.of(col(Columns.CUSTOMER_ID)));
    List<Column> pairs = new ArrayList<>();
    for (int i = 0; i < dimensions.size(); i++) {
      Dimension dimension = dimensions.get(i);
      before.add(col(dimension.column()).cast("string").as(dimension.fromColumn()));
      now.add(col(dimension.column()).cast("string").as(dimension.toColumn()));
      pairs.add(
          struct(
              lit(i).as(DIMENSION),
              coalesce(col(dimension.fromColumn()), lit(ENTERED)).as(FROM),
              coalesce(col(dimension.toColumn()), lit(LEFT)).as(TO)));
    }
    // A snapshot written before schema version 2 holds contribution as a double.
    before.add(Money.stored(col(Columns.CONTRIBUTION)).as(Columns.PREVIOUS_CONTRIBUTION));
    now.add(Money.stored(col(Columns.CONTRIBUTION)).as(Columns.CONTRIBUTION));
    return previous.select(before.toArray(Column[]::new))
        .join(current.select(now.toArray(Column[]::new)), new String[] {Columns.CUSTOMER_ID}, "full_outer")
        .select(explode(array(pairs.toArray(Column[]::new))).as(PAIR), col(Columns.PREVIOUS_CONTRIBUTION), col(Columns.CONTRIBUTION))
        .groupBy(col(PAIR + "." + DIMENSION).as(DIMENSION), col(PAIR + "." + FROM).as(FROM), col(PAIR + "." + TO).as(TO))
        .agg(
            count(lit(1)).as(Columns.CUSTOMERS),
            Money.storedSum(col(Columns.PREVIOUS_CONTRIBUTION)).as(Columns.PREVIOUS_CONTRIBUTION),
            Money.storedSum(col(Columns.CONTRIBUTION)).as(Columns.CONTRIBUTION));
  }

  /**
   * One dimension's migrations table (without snapshot_date) from {@link #pairCounts}.
   *
   * @param index the dimension's index in the list {@code pairCounts} was given
   */
  public static Dataset<Row> of(Dataset<Row> pairCounts, LocalDate previousDate, Dimension dimension, int index) {
    Column from = col(dimension.fromColumn());
    Column to = col(dimension.toColumn());
    Dataset<Row> pairs =
        pairCounts.where(col(DIMENSION).equalTo(index))
            .select(col(FROM).as(dimension.fromColumn()), col(TO).as(dimension.toColumn()), col(Columns.CUSTOMERS),
                col(Columns.PREVIOUS_CONTRIBUTION), col(Columns.CONTRIBUTION));
    // At most (values + 2)^2 rows: the window's single partition is tiny.
    Column fromCustomers = sum(col(Columns.CUSTOMERS)).over(Window.partitionBy(from));
    return pairs.select(
        lit(java.sql.Date.valueOf(previousDate)).as(Columns.PREVIOUS_SNAPSHOT_DATE),
        from,
        to,
        dimension.rank(from).as(Columns.FROM_RANK),
        dimension.rank(to).as(Columns.TO_RANK),
        col(Columns.CUSTOMERS),
        when(from.equalTo(ENTERED), lit(null).cast("double"))
            .otherwise(round(col(Columns.CUSTOMERS).divide(fromCustomers), SHARE_DECIMALS))
            .as(Columns.FROM_SHARE),
        col(Columns.PREVIOUS_CONTRIBUTION),
        col(Columns.CONTRIBUTION));
  }

  private static List<String> tierLabels() {
    List<String> labels = new ArrayList<>();
    for (Tier tier : Tier.values()) {
      labels.add(tier.label());
    }
    return List.copyOf(labels);
  }
}
