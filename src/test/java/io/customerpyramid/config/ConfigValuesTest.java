package io.customerpyramid.config;

import static io.customerpyramid.config.ConfigFixtures.assertContains;
import static io.customerpyramid.config.ConfigFixtures.configError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks on configured values, and on how input files are written (layout, encoding, patterns, ids,
 * duplicates), with error messages that name the key.
 */
class ConfigValuesTest {

  @TempDir Path dir;

  @BeforeAll
  static void session() {
    SparkTestSession.get();
  }

  private File file(String name, String... lines) throws IOException {
    return ConfigFixtures.file(dir, name, lines);
  }

  // ---- value checks

  @Test
  void segmentationOptionsAndTuningThresholdsAreValidated() {
    assertContains(configError("segmentation.algorithm=dbscan").getMessage(),
        "segmentation.algorithm must be one of kmeans, bisecting-kmeans, gaussian-mixture, got 'dbscan'");
    assertContains(configError("segmentation.scaling=minmax").getMessage(), "segmentation.scaling must be 'standard' or 'robust'");
    assertContains(configError("segmentation.winsorize_percentile=0.5").getMessage(), "segmentation.winsorize_percentile must be in [0, 0.5)");
    assertContains(configError("segmentation.correlation_warning=0").getMessage(), "segmentation.correlation_warning must be in (0, 1]");
    assertContains(configError("tuning.min_stability=1.5").getMessage(), "tuning.min_stability must be in [0, 1], got 1.5");
    assertContains(configError("tuning.silhouette_sample_size=0").getMessage(), "tuning.silhouette_sample_size must be at least 1");
    JobConfig config = ConfigLoader.load(Optional.empty(), List.of("segmentation.algorithm=gaussian-mixture", "segmentation.scaling=robust"));
    assertEquals(JobConfig.Algorithm.GAUSSIAN_MIXTURE, config.segmentation().algorithm());
    assertEquals(JobConfig.Scaling.ROBUST, config.segmentation().scaling());
    assertEquals(0.8, config.tuning().minStability(), 0);
    assertEquals(Map.of(2, "VIP champions"),
        ConfigLoader.load(Optional.empty(), List.of("segmentation.segment_names.2=VIP champions")).segmentation().segmentNames());
    assertContains(configError("segmentation.segment_names.9=x").getMessage(), "segment 9 is outside 1..6");
  }

  @Test
  void clvOptionsAreValidated() {
    JobConfig.Clv defaults = ConfigLoader.load(Optional.empty(), List.of()).clv();
    assertEquals(false, defaults.enabled());
    assertEquals(7, defaults.timeUnitDays());
    assertEquals(JobConfig.LapsedRule.DAYS, defaults.lapsedRule());
    JobConfig.Clv days =
        ConfigLoader.load(Optional.empty(), List.of("clv.enabled=true", "clv.time_unit=DAY", "clv.lapsed_rule=p_alive",
            "clv.abandon_requires_low_clv=true", "clv.abandon_max_predicted_clv=12.50")).clv();
    assertEquals(1, days.timeUnitDays());
    assertEquals(JobConfig.LapsedRule.P_ALIVE, days.lapsedRule());
    assertEquals(new java.math.BigDecimal("12.50"), days.abandonMaxPredictedClv());
    assertContains(configError("clv.time_unit=month").getMessage(), "clv.time_unit must be one of [day, week], got 'month'");
    assertContains(configError("clv.horizon=0").getMessage(), "clv.horizon must be at least 1, got 0");
    assertContains(configError("clv.horizon=600").getMessage(), "clv.horizon must be at most ten years (521 weeks), got 600");
    assertContains(configError("clv.discount_rate=1.5").getMessage(), "clv.discount_rate must be in [0, 1) (an annual rate), got 1.5");
    assertContains(configError("clv.lapsed_rule=recency").getMessage(), "clv.lapsed_rule must be one of [days, p_alive], got 'recency'");
    assertContains(configError("clv.alive_threshold=2").getMessage(), "clv.alive_threshold must be in [0, 1], got 2");
    assertContains(configError("clv.abandon_max_predicted_clv=cheap").getMessage(),
        "clv.abandon_max_predicted_clv must be an amount, got 'cheap'");
    assertContains(configError("clv.lapsed_rule=p_alive").getMessage(), "need the model: set clv.enabled = true");
    JobConfig off = ConfigLoader.load(Optional.empty(), List.of("clv.enabled=true", "clv.lapsed_rule=p_alive", "clv.horizon=26"))
        .withoutClv();
    assertEquals(false, off.clv().enabled());
    assertEquals(JobConfig.LapsedRule.DAYS, off.clv().lapsedRule());
    assertEquals(26, off.clv().horizon(), "the other keys stay");
    assertContains(configError("clv.enabled=true", "clv.max_distinct_triples=10").getMessage(),
        "clv.max_distinct_triples must be at least 1000, got 10");
  }

  @Test
  void kBelowTwoIsRejected() {
    String must = "segmentation.k must be a whole number from 2 to 50 or \"auto\", got ";
    assertContains(configError("segmentation.k=1").getMessage(), must + "1");
    assertContains(configError("segmentation.k=2.5").getMessage(), must + "2.5");
    assertContains(configError("segmentation.k=1000000").getMessage(), must + "1000000");
  }

  @Test
  void kAutoSweepsTheConfiguredRange() {
    JobConfig.Segmentation auto =
        ConfigLoader.load(Optional.empty(), List.of("segmentation.k=auto", "segmentation.auto_k_range=[3, 7]")).segmentation();
    assertEquals(Optional.of(new JobConfig.AutoK(3, 7, 2)), auto.autoK());
    assertEquals(7, auto.k(), "segment ids stay within the range's top until k is chosen");
    assertContains(configError("segmentation.k=auto", "segmentation.auto_k_range=[5, 5]").getMessage(),
        "segmentation.auto_k_range must be [min, max] with 2 <= min < max <= 50, got [5, 5]");
    assertEquals(Optional.empty(), ConfigLoader.load(Optional.empty(), List.of()).segmentation().autoK());
  }

  @Test
  void segmentRulesAreChecked() {
    JobConfig.Segmentation defaults = ConfigLoader.load(Optional.empty(), List.of()).segmentation();
    assertEquals(0.01, defaults.minSegmentShare());
    assertEquals(JobConfig.SmallSegments.MERGE, defaults.smallSegments());
    assertTrue(defaults.dropRedundantFeatures());
    assertEquals(1.0, defaults.matchMaxDistance());
    assertContains(configError("segmentation.min_segment_share=0.5").getMessage(), "segmentation.min_segment_share must be in [0, 0.5), got 0.5");
    assertContains(configError("segmentation.small_segments=drop").getMessage(),
        "segmentation.small_segments must be 'merge' or 'outliers', got 'drop'");
    assertContains(configError("segmentation.match_max_distance=0").getMessage(), "segmentation.match_max_distance must be above 0, got 0.0");
    assertContains(configError("segmentation.segment_names.1=VIP", "segmentation.segment_names.2=VIP").getMessage(),
        "segmentation.segment_names: 'VIP' names two segments; every segment's name must be unique");
  }

  @Test
  void tierThresholdsMustBeStrictlyIncreasing() {
    assertContains(
        configError("tiers.cumulative_share_thresholds=[0.5, 0.5, 0.9]").getMessage(),
        "tiers.cumulative_share_thresholds must be strictly increasing inside (0, 1), got [0.5, 0.5, 0.9]");
    assertContains(
        configError("tiers.cumulative_share_thresholds=[0.8, 0.5, 0.9]").getMessage(),
        "tiers.cumulative_share_thresholds must be strictly increasing");
  }

  @Test
  void tierThresholdsMustLieInsideZeroOne() {
    assertContains(
        configError("tiers.cumulative_share_thresholds=[0.5, 0.8, 1.0]").getMessage(),
        "tiers.cumulative_share_thresholds must be strictly increasing inside (0, 1), got [0.5, 0.8, 1.0]");
    assertContains(
        configError("tiers.rank_percentile_thresholds=[0.0, 0.05, 0.2]").getMessage(),
        "tiers.rank_percentile_thresholds must be strictly increasing inside (0, 1)");
    assertContains(
        configError("tiers.cumulative_share_thresholds=[0.5, 0.8]").getMessage(),
        "tiers.cumulative_share_thresholds must hold 3 values");
  }

  @Test
  void emptyOrdersPathIsRejected() {
    assertContains(configError("input.orders.path=").getMessage(), "input.orders.path is required");
  }

  @Test
  void unknownTimeZoneIsRejected() {
    assertContains(
        configError("input.time_zone=Mars/Olympus_Mons").getMessage(),
        "input.time_zone: unknown time zone 'Mars/Olympus_Mons'");
    assertEquals("Europe/Berlin", Fixtures.config("input.time_zone=Europe/Berlin").timeZone());
  }

  @Test
  void badSnapshotDateIsRejected() {
    assertContains(
        configError("snapshot.date=2024-13-01").getMessage(),
        "snapshot.date must be yyyy-MM-dd or empty, got '2024-13-01'");
    assertContains(configError("snapshot.date=01.03.2024").getMessage(), "snapshot.date", "'01.03.2024'");
  }

  @Test
  void withSnapshotDateChangesOnlyTheSnapshotDateAndItsRenderedValue() {
    JobConfig config = Fixtures.config("segmentation.k=5");
    JobConfig dated = config.withSnapshotDate(LocalDate.of(2026, 3, 31));
    assertEquals(Optional.of(LocalDate.of(2026, 3, 31)), dated.snapshotDate());
    assertEquals(Optional.empty(), config.snapshotDate(), "the original is unchanged");
    assertEquals(config.segmentation(), dated.segmentation());
    assertEquals(config.orders(), dated.orders());
    assertEquals(config.outputRoot(), dated.outputRoot());
    assertContains(dated.renderedConfig(), "\"date\" : \"2026-03-31\"");
    assertFalse(config.renderedConfig().contains("2026-03-31"));
  }

  @Test
  void rfmGridWithAGapNamesTheUncoveredCell() {
    String segments =
        "rfm.segments=[{name = A, recency = [1, 5], frequency = [1, 4]}, {name = B, recency = [1, 4], frequency = [5, 5]}]";
    assertContains(
        configError(segments).getMessage(), "rfm.segments leave the cell recency=5, frequency=5 without a segment");
  }

  @Test
  void rfmGridWithAnOverlapNamesTheCellAndBothSegments() throws IOException {
    File file =
        file(
            "overlap.conf",
            "rfm.segments = [",
            "  { name = \"Everyone\", recency = [1, 5], frequency = [1, 5] }",
            "  { name = \"Middle\", recency = [3, 3], frequency = [2, 2] }",
            "]");
    ConfigError error = assertThrows(ConfigError.class, () -> ConfigLoader.load(Optional.of(file), List.of()));
    assertContains(error.getMessage(), "rfm.segments overlap: cell recency=3, frequency=2 is in Everyone and Middle");
  }

  @Test
  void rfmRuleWithARangeOutsideTheScoresIsRejected() {
    assertContains(
        configError("rfm.segments=[{name = A, recency = [0, 5], frequency = [1, 5]}]").getMessage(),
        "rfm.segments[0].recency must be [min, max] with 1 <= min <= max <= 5, got [0, 5]");
  }

  @Test
  void unknownSegmentationFeatureIsRejectedWithTheKnownOnes() {
    assertContains(
        configError("segmentation.features=[frequency, bogus]", "segmentation.log_features=[]").getMessage(),
        "segmentation.features: unknown feature 'bogus'",
        "Known: recency_days, tenure_days, frequency");
  }

  @Test
  void logFeatureNotAmongTheFeaturesIsRejected() {
    // The default log_features name avg_order_value, which this feature list drops.
    assertContains(
        configError("segmentation.features=[frequency, net_revenue]").getMessage(),
        "segmentation.log_features: 'avg_order_value' is not in segmentation.features [frequency, net_revenue]");
  }

  @Test
  void lineGranularityRequiresQuantityAndUnitPriceColumns() {
    assertContains(
        configError("input.orders.granularity=line").getMessage(),
        "input.orders.columns.quantity must name a source column");
    assertContains(
        configError("input.orders.granularity=line", "input.orders.columns.quantity=qty").getMessage(),
        "input.orders.columns.unit_price must name a source column");
    JobConfig line =
        Fixtures.config(
            "input.orders.granularity=line", "input.orders.columns.quantity=qty", "input.orders.columns.unit_price=price");
    assertTrue(line.orderRules().lineGranularity());
    assertEquals("qty", line.orders().sourceColumn("quantity"));
  }

  @Test
  void badGranularityIsRejected() {
    assertContains(
        configError("input.orders.granularity=basket").getMessage(),
        "input.orders.granularity must be 'order' or 'line', got 'basket'");
  }

  @Test
  void badParetoMeasureIsRejected() {
    String message = configError("pareto.measure=revenue").getMessage();
    assertContains(message, "pareto.measure must be one of", "contribution", "net_revenue", "got 'revenue'");
  }

  @Test
  void badTierModeIsRejected() {
    assertContains(
        configError("tiers.mode=quantile").getMessage(),
        "tiers.mode must be 'cumulative-share' or 'rank-percentile', got 'quantile'");
  }

  @Test
  void badInputFormatIsRejected() {
    assertContains(
        configError("input.invoices.format=xlsx").getMessage(),
        "input.invoices.format must be one of", "got 'xlsx'");
  }

  @Test
  void grossMarginRateOfOneIsRejected() {
    assertContains(configError("costs.gross_margin_rate=1.0").getMessage(), "costs.gross_margin_rate must be in [0, 1)");
  }
  // ---- how input files are written

  @Test
  void everyInputDefaultsToAHeaderedUtf8CsvWithExcelQuotingAndSourceRowDuplicates() {
    JobConfig config = Fixtures.config();
    for (InputSource input : List.of(config.orders(), config.returns(), config.contacts(), config.invoices())) {
      assertEquals(new InputSource.CsvLayout(true, ",", "\"", "\"", "UTF-8", false), input.csv(), input.name());
      assertEquals(InputSource.CustomerIdFormat.AS_IS, input.customerIdFormat(), input.name());
      assertEquals(InputSource.Deduplication.SOURCE_ROW, input.deduplication(), input.name());
    }
    assertFalse(config.orders().hasColumn("line_id"), "line_id is not mapped by default");
  }

  @Test
  void csvLayoutKeysAreReadAndTheEncodingNameIsCanonical() {
    JobConfig config =
        Fixtures.config(
            "input.contacts.header=false", "input.contacts.quote='", "input.contacts.escape=\\",
            "input.contacts.encoding=latin1", "input.contacts.columns={customer_id = 1, contact_ts = 2, contact_type = 3, handling_cost = \"\"}");
    assertEquals(new InputSource.CsvLayout(false, ",", "'", "\\", "ISO-8859-1", false), config.contacts().csv());
    assertEquals(Map.of("customer_id", "1", "contact_ts", "2", "contact_type", "3"), config.contacts().columns());
    assertEquals("windows-1252", Fixtures.config("input.orders.encoding=Cp1252").orders().csv().encoding());
  }

  @Test
  void withoutAHeaderEveryMappedColumnMustBeAPosition() {
    assertContains(
        configError("input.orders.header=false").getMessage(),
        "input.orders.columns.",
        "input.orders.header = false, so columns are 1-based positions",
        "got '");
    assertContains(
        configError(
                "input.contacts.header=false", "input.contacts.columns={customer_id = 1, contact_ts = 2, contact_type = 3, handling_cost = \"\"}",
                "input.contacts.deduplicate=[1, contact_type]")
            .getMessage(),
        "input.contacts.deduplicate: input.contacts.header = false", "got 'contact_type'");
    assertContains(
        configError("input.returns.header=false", "input.returns.columns={order_id = 0, customer_id = 1, return_ts = 2, refund_amount = 3}")
            .getMessage(),
        "input.returns.columns.order_id", "got '0'");
  }

  @Test
  void badCsvLayoutValuesAreNamed() {
    assertContains(configError("input.orders.quote=").getMessage(), "input.orders.quote must be a single character, got ''");
    assertContains(configError("input.returns.escape=\\\\").getMessage(), "input.returns.escape must be a single character");
    assertContains(
        configError("input.invoices.encoding=latin-9x").getMessage(),
        "input.invoices.encoding: unknown character encoding 'latin-9x'");
    assertContains(configError("input.contacts.header=perhaps").getMessage(), "input.contacts.header");
  }

  @Test
  void timestampPatternsAreAStringOrAListTriedInOrder() {
    JobConfig config =
        Fixtures.config(
            "input.orders.timestamp_pattern=[\"M/d/yyyy H:mm\", \"yyyy-MM-dd HH:mm:ss\"]",
            "input.invoices.date_pattern=[yyyy-MM-dd, dd.MM.yyyy]");
    assertEquals(List.of("M/d/yyyy H:mm", "yyyy-MM-dd HH:mm:ss"), config.orders().timePatterns());
    assertEquals(List.of("yyyy-MM-dd", "dd.MM.yyyy"), config.invoices().timePatterns());
    assertContains(configError("input.contacts.timestamp_pattern=[]").getMessage(), "input.contacts.timestamp_pattern must give at least one pattern");
    assertContains(
        configError("input.returns.timestamp_pattern=[yyyy-MM-dd, \"yyyy-MM-dd HH:mm:ss ppp{\"]").getMessage(),
        "input.returns.timestamp_pattern: invalid pattern 'yyyy-MM-dd HH:mm:ss ppp{'");
  }

  @Test
  void customerIdFormatIsAsIsOrInteger() {
    assertEquals(
        InputSource.CustomerIdFormat.INTEGER, Fixtures.config("input.returns.customer_id_format=integer").returns().customerIdFormat());
    assertContains(
        configError("input.invoices.customer_id_format=number").getMessage(),
        "input.invoices.customer_id_format must be 'as-is' or 'integer', got 'number'");
  }

  @Test
  void deduplicateIsSourceRowOffOrAListOfColumns() {
    assertEquals(InputSource.Deduplication.OFF, Fixtures.config("input.contacts.deduplicate=off").contacts().deduplication());
    assertEquals(
        new InputSource.Deduplication(InputSource.Deduplication.Mode.COLUMNS, List.of("InvoiceNo", "StockCode")),
        Fixtures.config("input.orders.deduplicate=[InvoiceNo, StockCode, InvoiceNo]").orders().deduplication());
    assertContains(
        configError("input.returns.deduplicate=exact").getMessage(),
        "input.returns.deduplicate must be \"source-row\", \"off\" or a list of source column names, got 'exact'");
    assertContains(configError("input.invoices.deduplicate=[]").getMessage(), "input.invoices.deduplicate must be");
  }

  @Test
  void aMappedLineIdJoinsADeduplicateListButNotSourceRow() {
    JobConfig listed = Fixtures.config("input.orders.deduplicate=[order_id, amount]", "input.orders.columns.line_id=line_no");
    assertEquals(List.of("order_id", "amount", "line_no"), listed.orders().deduplication().columns());
    assertEquals("line_no", listed.orders().sourceColumn("line_id"));
    // source-row compares every source column already, the line id among them.
    assertEquals(
        InputSource.Deduplication.SOURCE_ROW,
        Fixtures.config("input.orders.columns.line_id=line_no").orders().deduplication());
  }
}
