package io.customerpyramid.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.clv.BgNbd;
import io.customerpyramid.clv.BgNbdParameters;
import io.customerpyramid.clv.ClvSummary;
import io.customerpyramid.clv.HoldoutValidation;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.features.LoyaltyStages;
import io.customerpyramid.generate.GeneratorOptions;
import io.customerpyramid.generate.SyntheticDataGenerator;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Tables;
import io.customerpyramid.testing.DocumentedSchemas;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import io.customerpyramid.tuning.ValidateClv;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run with clv.enabled on generator data (1,500 customers), after validate-clv on the same
 * snapshot: the new tables hold what their definitions say, the rules that use the models hold for
 * every customer, and the report shows the section and the holdout check. The discount rate is 0
 * here so that predicted CLV is checkable as purchases × order value × margin.
 */
class FutureValueTest {

  private static final LocalDate S = LocalDate.of(2026, 11, 1);
  private static final int HOLDOUT_DAYS = 90;
  private static final double LAPSED_BELOW = 0.3;

  @TempDir static Path dir;
  private static SparkSession spark;
  private static JobConfig config;
  private static ValidateClv.Outcome validation;
  private static RunResult run;
  private static String output;

  @BeforeAll
  static void validateThenRun() {
    spark = SparkTestSession.get();
    String data = dir.resolve("data").toString();
    SyntheticDataGenerator.generate(
        spark, new GeneratorOptions(1500, 42, data, "csv", true, false, LocalDate.of(2026, 10, 31)));
    output = dir.resolve("output").toString();
    config =
        Fixtures.config(
            "input.orders.path=" + data + "/orders.csv",
            "input.returns.path=" + data + "/returns.csv",
            "input.contacts.path=" + data + "/contacts.csv",
            "input.invoices.path=" + data + "/invoices.csv",
            "snapshot.date=" + S,
            "output.root=" + output,
            "catalog.enabled=false",
            "clv.enabled=true",
            "clv.discount_rate=0",
            "clv.lapsed_rule=p_alive",
            "clv.lapsed_below_p_alive=" + LAPSED_BELOW,
            "clv.abandon_requires_low_clv=true");
    validation = new ValidateClv(spark, config).run(HOLDOUT_DAYS, line -> {});
    run = new SegmentationJob(spark, config).run();
  }

  private static Dataset<Row> table(String table) {
    return spark.read().parquet(output + "/" + table).filter(col(Columns.SNAPSHOT_DATE).equalTo(java.sql.Date.valueOf(S)))
        .filter(col(Columns.RUN_ID).equalTo(run.runId()));
  }

  @Test
  void theModelTableHoldsEveryParameterWithAStandardError() {
    List<Row> model = table(Tables.CLV_MODEL).collectAsList();
    assertEquals(7, model.size());
    Map<String, Double> values = new HashMap<>();
    for (Row r : model) {
      values.put(r.getAs(Columns.PARAMETER), r.<Double>getAs(Columns.VALUE));
      assertTrue(r.<Double>getAs(Columns.VALUE) > 0, r.toString());
      assertTrue(r.<Double>getAs(Columns.STANDARD_ERROR) > 0, r.toString());
      assertEquals("week", r.getAs(Columns.TIME_UNIT));
    }
    assertEquals(List.of("a", "alpha", "b", "p", "q", "r", "v"), values.keySet().stream().sorted().toList());
    assertTrue(values.get("q") > 1, "Gamma-Gamma's mean needs q > 1: " + values);
    long buyers = table(Tables.CUSTOMER_CLV).filter(col(Columns.REPEAT_PURCHASES).isNotNull()).count();
    Row bgNbd = model.stream().filter(r -> "bg_nbd".equals(r.getAs(Columns.MODEL))).findFirst().orElseThrow();
    assertEquals(buyers, bgNbd.<Long>getAs(Columns.CUSTOMERS), "every customer with a purchase is in the fit");
  }

  @Test
  void predictionsFollowTheFittedModel() {
    ClvSummary clv = run.clv().orElseThrow();
    BgNbdParameters p = clv.model().bgNbdParameters();
    Dataset<Row> customers = table(Tables.CUSTOMER_CLV);
    assertEquals(run.customers(), customers.count());
    for (Row c : customers.filter(col(Columns.REPEAT_PURCHASES).isNotNull()).limit(200).collectAsList()) {
      long x = c.getAs(Columns.REPEAT_PURCHASES);
      double tx = c.getAs(Columns.T_X);
      double age = c.getAs(Columns.CUSTOMER_AGE);
      double pAlive = c.getAs(Columns.P_ALIVE);
      assertEquals(BgNbd.probabilityAlive(p, x, tx, age), pAlive, 1e-6, c.toString());
      assertEquals(BgNbd.expectedPurchases(p, x, tx, age, 52), c.<Double>getAs(Columns.EXPECTED_PURCHASES), 1e-4, c.toString());
      if (x == 0) {
        assertEquals(1.0, pAlive, 0.0, "BG/NBD: no repeat purchase, no chance to drop out yet");
      }
      // Without discounting, predicted CLV is expected purchases x expected order value x margin (to rounding).
      double expected =
          c.<Double>getAs(Columns.EXPECTED_PURCHASES) * c.<BigDecimal>getAs(Columns.EXPECTED_ORDER_VALUE).doubleValue()
              * c.<Double>getAs(Columns.MARGIN_RATE);
      assertEquals(expected, c.<BigDecimal>getAs(Columns.PREDICTED_CLV).doubleValue(), 0.01 + 1e-3 * Math.abs(expected), c.toString());
    }
  }

  @Test
  void lapsedAndAbandonmentFollowTheModelRules() {
    Dataset<Row> joined =
        table(Tables.CUSTOMER_SEGMENTS)
            .select(Columns.CUSTOMER_ID, Columns.LOYALTY_STAGE, Columns.ABANDONMENT_CANDIDATE, Columns.RECENCY_DAYS)
            .join(table(Tables.CUSTOMER_CLV).select(Columns.CUSTOMER_ID, Columns.P_ALIVE, Columns.PREDICTED_CLV, Columns.REPEAT_PURCHASES),
                Columns.CUSTOMER_ID);
    long lapsed = joined.filter(col(Columns.LOYALTY_STAGE).equalTo(LoyaltyStages.LAPSED)).count();
    // Repeat buyers by the model; one-day buyers (P(alive) = 1 by assumption) by the day count.
    long byRule =
        joined.filter(
                col(Columns.REPEAT_PURCHASES).isNull()
                    .or(col(Columns.REPEAT_PURCHASES).gt(0).and(col(Columns.P_ALIVE).lt(LAPSED_BELOW)))
                    .or(col(Columns.REPEAT_PURCHASES).equalTo(0).and(col(Columns.RECENCY_DAYS).gt(180))))
            .count();
    assertEquals(byRule, lapsed, "lapsed exactly by the rule");
    assertTrue(joined.filter(col(Columns.REPEAT_PURCHASES).gt(0).and(col(Columns.LOYALTY_STAGE).equalTo(LoyaltyStages.LAPSED))).count() > 0,
        "some generated repeat buyers have dropped out");
    assertEquals(0, joined.filter(col(Columns.ABANDONMENT_CANDIDATE).and(col(Columns.PREDICTED_CLV).gt(0))).count(),
        "an abandonment candidate has no positive predicted CLV");
  }

  @Test
  void targetsMatrixAndSummaryAgree() {
    ClvSummary clv = run.clv().orElseThrow();
    Dataset<Row> targets = table(Tables.CLV_TARGETS);
    assertEquals(clv.targets(), targets.count());
    assertTrue(clv.targets() > 0, "the generator has customers on the way up");
    assertEquals(0, targets.filter(col(Columns.P_ALIVE).lt(0.5).or(col(Columns.CONTRIBUTION).lt(0))
        .or(col(Columns.PREDICTED_CLV).leq(0)).or(col(Columns.LOYALTY_STAGE).equalTo(LoyaltyStages.LAPSED))).count(),
        "every target is likely alive, not lapsed and not loss-making");
    Dataset<Row> matrix = table(Tables.CLV_TIER_MATRIX);
    assertEquals(run.customers(), matrix.agg(sum(Columns.CUSTOMERS)).first().getLong(0));
    long forwardTotal = clv.forwardCustomers().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(run.customers(), forwardTotal);
    assertTrue(run.secondsByStage().containsKey("forward"), run.secondsByStage().toString());
  }

  @Test
  void validateClvComparesWithWhatHappened() throws Exception {
    HoldoutValidation.Comparison comparison = validation.result().comparison();
    assertEquals(S.minusDays(HOLDOUT_DAYS), comparison.calibrationEnd());
    HoldoutValidation.Bucket total = comparison.total();
    assertEquals(comparison.buckets().subList(0, comparison.buckets().size() - 1).stream().mapToLong(HoldoutValidation.Bucket::customers).sum(),
        total.customers());
    // Brute force from the raw file: the purchase days in the holdout of the customers who bought before it.
    Dataset<Row> days =
        spark.read().option("header", true).csv(dir.resolve("data").resolve("orders.csv").toString())
            .where(col("amount").cast("double").gt(0))
            .select(col(Columns.CUSTOMER_ID), to_date(col(Columns.ORDER_TS)).as("day"))
            .distinct();
    java.sql.Date calibrationEnd = java.sql.Date.valueOf(comparison.calibrationEnd());
    Dataset<Row> known = days.where(col("day").lt(calibrationEnd)).select(Columns.CUSTOMER_ID).distinct();
    long actual =
        days.where(col("day").geq(calibrationEnd).and(col("day").lt(java.sql.Date.valueOf(S))))
            .join(known, Columns.CUSTOMER_ID)
            .count();
    assertEquals(known.count(), total.customers());
    assertEquals(actual, total.actual());
    // The generator is not a BG/NBD process (its customers lapse with time, not after a purchase), so no
    // accuracy is asserted here: HoldoutValidationTest does that on orders drawn from the model.
    assertTrue(total.predicted() > 0, io.customerpyramid.report.ClvValidationReport.consoleTable(comparison));
    List<Row> written =
        spark.read().parquet(output + "/" + Tables.CLV_VALIDATION)
            .filter(col(Columns.SNAPSHOT_DATE).equalTo(java.sql.Date.valueOf(S)))
            .collectAsList();
    assertEquals(comparison.buckets().size(), written.size());
    assertEquals(comparison, HoldoutValidation.Comparison.of(written).orElseThrow(), "the table reads back as written");
    assertTrue(Files.exists(Path.of(validation.png())));
    assertTrue(Files.readString(Path.of(validation.html())).contains("<h1>CLV holdout check — snapshot " + S), "the page");
  }

  @Test
  void theNewTablesAreDocumentedAtTheirSchemaVersion() throws Exception {
    for (String t : List.of(Tables.CUSTOMER_CLV, Tables.CLV_MODEL, Tables.CLV_TIER_MATRIX, Tables.CLV_TARGETS, Tables.CLV_VALIDATION)) {
      DocumentedSchemas.assertDocumented(t, spark.read().parquet(output + "/" + t).schema());
    }
  }

  @Test
  void theReportShowsTheFutureAndTheHoldoutCheck() throws Exception {
    String html = Files.readString(Path.of(run.reportPath().orElseThrow()));
    assertTrue(html.contains("Future value: the pyramid of tomorrow"), "section");
    assertTrue(html.contains("Holdout check (validate-clv)"), "the check written before the run is shown");
    assertTrue(html.contains("Lapsed: P(alive) below 0.30 (clv.lapsed_rule &#61; p_alive)"), "the rule in force");
    assertFalse(html.contains("No holdout check of this snapshot yet"));
  }
}
