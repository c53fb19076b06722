package io.customerpyramid.migrations;

import io.customerpyramid.schema.Columns;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Tier movement since the previous snapshot in five numbers, for the run summary.
 *
 * @param up customers now in a higher tier (VIP is the highest)
 * @param down customers now in a lower tier
 */
public record MigrationSummary(LocalDate previousSnapshot, long up, long down, long stayed, long entered, long left) {

  /** @param tierMigrations the rows of tier_migrations for one snapshot (a few dozen) */
  public static MigrationSummary of(LocalDate previousSnapshot, List<Row> tierMigrations) {
    long up = 0;
    long down = 0;
    long stayed = 0;
    long entered = 0;
    long left = 0;
    for (Row row : tierMigrations) {
      long customers = row.<Long>getAs(Columns.CUSTOMERS);
      String from = row.getAs(Columns.FROM_TIER);
      String to = row.getAs(Columns.TO_TIER);
      int fromRank = row.<Integer>getAs(Columns.FROM_RANK);
      int toRank = row.<Integer>getAs(Columns.TO_RANK);
      if (Migrations.ENTERED.equals(from)) {
        entered += customers;
      } else if (Migrations.LEFT.equals(to)) {
        left += customers;
      } else if (toRank < fromRank) {
        up += customers;
      } else if (toRank > fromRank) {
        down += customers;
      } else {
        stayed += customers;
      }
    }
    return new MigrationSummary(previousSnapshot, up, down, stayed, entered, left);
  }
}
