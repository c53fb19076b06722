package io.customerpyramid.stages;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.round;

import io.customerpyramid.features.RfmScoring;
import io.customerpyramid.migrations.Migrations;
import io.customerpyramid.catalog.SnapshotCatalog;
import io.customerpyramid.output.CrashPoints;
import io.customerpyramid.output.RunTableWriter;
import io.customerpyramid.output.SideFiles;
import io.customerpyramid.schema.RunLocations;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Tables;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Stage write: every table of the snapshot into the run's own directories, each registered in the
 * catalog's run tables (where readers do not see it yet), then the fitted model beside them.
 */
public final class WriteTables {

  /** Digits the BI table keeps of the running shares: more would only show the drift of a running sum of doubles. */
  private static final int SHARE_DIGITS = 8;

  private final RunLocations run;
  private final RunTableWriter writer;
  private final Optional<SnapshotCatalog> catalog;
  private final SideFiles files;

  public WriteTables(RunLocations run, Optional<SnapshotCatalog> catalog, SideFiles files) {
    this.run = run;
    this.writer = new RunTableWriter(run);
    this.catalog = catalog;
    this.files = files;
  }

  public void write(SnapshotTables snapshot) {
    write(snapshot.customers().select(featureColumns()), Tables.CUSTOMER_FEATURES);
    write(customerSegments(snapshot.tiered()), Tables.CUSTOMER_SEGMENTS);
    writeSmall(snapshot.profiles(), Tables.SEGMENT_PROFILES);
    writeSmall(snapshot.tierSummary(), Tables.TIER_SUMMARY);
    writeSmall(snapshot.curve(), Tables.PARETO_CURVE);
    writeSmall(
        RfmScoring.bins(snapshot.customers().sparkSession(), snapshot.customers(), snapshot.edges()), Tables.RFM_BINS);
    write(snapshot.rejects(), Tables.REJECTS);
    if (snapshot.movement().isPresent()) {
      writeSmall(snapshot.movement().get().tiers(), Tables.TIER_MIGRATIONS);
      writeSmall(snapshot.movement().get().loyaltyStages(), Tables.LOYALTY_MIGRATIONS);
      writeSmall(snapshot.movement().get().segments(), Tables.SEGMENT_MIGRATIONS);
    } else {
      // No earlier snapshot: the tables still get this snapshot's partition, without rows.
      Dataset<Row> none = snapshot.tiered().limit(0);
      writeSmall(Migrations.between(none, snapshot.snapshotDate(), none, Migrations.TIER), Tables.TIER_MIGRATIONS);
      writeSmall(Migrations.between(none, snapshot.snapshotDate(), none, Migrations.LOYALTY_STAGE), Tables.LOYALTY_MIGRATIONS);
      writeSmall(Migrations.between(none, snapshot.snapshotDate(), none, Migrations.SEGMENT), Tables.SEGMENT_MIGRATIONS);
    }
    if (snapshot.forward().isPresent()) {
      ProjectForward.Forward forward = snapshot.forward().get();
      write(forward.customerClv(), Tables.CUSTOMER_CLV);
      writeSmall(forward.model().table(snapshot.customers().sparkSession()), Tables.CLV_MODEL);
      writeSmall(forward.matrix(), Tables.CLV_TIER_MATRIX);
      write(forward.targets(), Tables.CLV_TARGETS);
    }
    files.writeModel(snapshot.model(), run.modelPath());
  }

  private void write(Dataset<Row> rows, String table) {
    register(writer.write(rows, table));
  }

  private void writeSmall(Dataset<Row> rows, String table) {
    register(writer.writeSmall(rows, table));
  }

  private void register(io.customerpyramid.output.WrittenRun written) {
    catalog.ifPresent(c -> c.registerRun(written));
    CrashPoints.reach("write:" + written.table());
  }

  private static Column[] featureColumns() {
    List<String> names = new ArrayList<>();
    names.add(Columns.CUSTOMER_ID);
    names.add(Columns.FIRST_ORDER_DATE);
    names.add(Columns.LAST_ORDER_DATE);
    names.addAll(Columns.NUMERIC_FEATURES);
    return names.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  /** The table BI teams query: one row per customer with every label and its key figures. */
  static Dataset<Row> customerSegments(Dataset<Row> tiered) {
    return tiered.select(
        col(Columns.CUSTOMER_ID),
        col(Columns.TIER),
        col(Columns.TIER_RANK),
        col(Columns.TIER_STRATEGY),
        col(Columns.ABANDONMENT_CANDIDATE),
        col(Columns.SEGMENT_ID),
        col(Columns.RFM_SEGMENT),
        col(Columns.RFM_CODE),
        col(Columns.R_SCORE),
        col(Columns.F_SCORE),
        col(Columns.M_SCORE),
        col(Columns.LOYALTY_STAGE),
        col(Columns.QUALITY),
        col(Columns.QUALITY_REASONS),
        col(Columns.PARETO_MEASURE),
        col(Columns.PARETO_RANK),
        round(col(Columns.CUMULATIVE_SHARE), SHARE_DIGITS).as(Columns.CUMULATIVE_SHARE),
        round(col(Columns.CUSTOMER_PERCENTILE), SHARE_DIGITS).as(Columns.CUSTOMER_PERCENTILE),
        col(Columns.RECENCY_DAYS),
        col(Columns.TENURE_DAYS),
        col(Columns.FREQUENCY),
        col(Columns.REVENUE),
        col(Columns.NET_REVENUE),
        col(Columns.COST_OF_GOODS),
        col(Columns.SERVICE_COST),
        col(Columns.BAD_DEBT),
        col(Columns.CONTRIBUTION),
        col(Columns.FIRST_ORDER_DATE),
        col(Columns.LAST_ORDER_DATE));
  }
}
