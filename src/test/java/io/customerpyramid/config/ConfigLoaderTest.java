package io.customerpyramid.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig.RfmSegmentRule;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading, overriding and validating the job configuration, with error messages that name the key. */
class ConfigLoaderTest {

  @TempDir Path dir;

  @BeforeAll
  static void session() {
    SparkTestSession.get();
  }

  private static ConfigError configError(String... overrides) {
    return assertThrows(ConfigError.class, () -> Fixtures.config(overrides));
  }

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "expected the message to contain <" + part + "> but was: " + message);
    }
  }

  private File file(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return file.toFile();
  }

  // ---- defaults

  @Test
  void defaultsHaveTheDocumentedSegmentationParetoAndTierSettings() {
    JobConfig config = Fixtures.config();
    assertEquals(6, config.segmentation().k());
    assertEquals(42L, config.segmentation().seed());
    assertEquals(40, config.segmentation().maxIterations());
    assertEquals(
        List.of("recency_days", "frequency", "net_revenue", "avg_order_value", "return_rate", "discount_rate",
            "service_cost", "contribution"),
        config.segmentation().features());
    assertEquals(
        List.of("frequency", "net_revenue", "avg_order_value", "service_cost", "contribution"),
        config.segmentation().logFeatures());
    assertEquals("contribution", config.pareto().measure());
    assertEquals(1000, config.pareto().curvePoints());
    assertEquals(JobConfig.TierMode.CUMULATIVE_SHARE, config.tiers().mode());
    assertEquals(List.of(0.5, 0.8, 0.95), config.tiers().thresholds());
  }

  @Test
  void defaultsHaveTenRfmRulesCoveringTheGridInTheDocumentedOrder() {
    List<RfmSegmentRule> rules = Fixtures.config().rfm().segments();
    assertEquals(10, rules.size());
    assertEquals(
        List.of("Champions", "Loyal Customers", "Potential Loyalists", "New Customers", "Promising", "Need Attention",
            "About to Sleep", "At Risk", "Can't Lose", "Hibernating"),
        rules.stream().map(RfmSegmentRule::name).toList());
    assertEquals(new RfmSegmentRule("Champions", 5, 5, 4, 5), rules.get(0));
    assertEquals(new RfmSegmentRule("Hibernating", 1, 2, 1, 2), rules.get(9));
    assertEquals(0.001, Fixtures.config().rfm().quantileRelativeError());
  }

  @Test
  void defaultsHaveTheDocumentedInputsCostsAndSnapshot() {
    JobConfig config = Fixtures.config();
    assertEquals("UTC", config.timeZone());
    assertEquals(Optional.of("data-samples/orders.csv"), config.orders().path());
    assertEquals("csv", config.orders().format());
    assertEquals(new InputSource.CsvLayout(true, ",", "\"", "\"", "UTF-8", false), config.orders().csv());
    assertEquals(List.of("yyyy-MM-dd HH:mm:ss"), config.orders().timePatterns());
    assertEquals(InputSource.CustomerIdFormat.AS_IS, config.orders().customerIdFormat());
    assertEquals(InputSource.Deduplication.SOURCE_ROW, config.orders().deduplication());
    // quantity and unit_price are "" by default: not mapped.
    assertEquals(
        Map.of("order_id", "order_id", "customer_id", "customer_id", "order_ts", "order_ts", "amount", "amount",
            "discount", "discount", "cost_of_goods", "cost_of_goods"),
        config.orders().columns());
    assertFalse(config.orderRules().lineGranularity());
    assertEquals("C", config.orderRules().cancellationPrefix());
    assertEquals(List.of("yyyy-MM-dd"), config.invoices().timePatterns());
    assertEquals(Optional.empty(), config.snapshotDate());
    assertEquals(0, config.lookbackDays());
    assertEquals(0.40, config.costs().grossMarginRate());
    assertEquals(
        Map.of("inquiry", 3.0, "complaint", 20.0, "technical", 12.0, "billing", 6.0),
        config.costs().contactTypeCosts());
    assertEquals(5.0, config.costs().defaultContactCost());
    assertEquals(List.of("complaint"), config.costs().complaintTypes());
    assertEquals("output", config.outputRoot());
    assertEquals("output/_checkpoints", config.spark().checkpointDir());
  }

  // ---- --set overrides

  @Test
  void setOverridesAnIntegerAndAString() {
    JobConfig config = Fixtures.config("segmentation.k=4", "pareto.measure=net_revenue", "snapshot.date=2024-03-01");
    assertEquals(4, config.segmentation().k());
    assertEquals("net_revenue", config.pareto().measure());
    assertEquals(Optional.of(LocalDate.of(2024, 3, 1)), config.snapshotDate());
  }

  @Test
  void setOverridesAListWithHoconListSyntax() {
    JobConfig config =
        Fixtures.config("segmentation.features=[frequency, net_revenue]", "segmentation.log_features=[net_revenue]");
    assertEquals(List.of("frequency", "net_revenue"), config.segmentation().features());
    assertEquals(List.of("net_revenue"), config.segmentation().logFeatures());
    JobConfig tiers = Fixtures.config("tiers.mode=rank-percentile", "tiers.rank_percentile_thresholds=[0.02, 0.1, 0.3]");
    assertEquals(JobConfig.TierMode.RANK_PERCENTILE, tiers.tiers().mode());
    assertEquals(List.of(0.02, 0.1, 0.3), tiers.tiers().thresholds());
  }

  @Test
  void catalogDefaultsToAnEmbeddedMetastoreAndAcceptsThriftOrTheSession() {
    JobConfig.Catalog embedded = Fixtures.config().catalog();
    assertEquals(new JobConfig.Catalog(true, "customer_pyramid", JobConfig.Metastore.EMBEDDED, ""), embedded);
    assertEquals(
        new JobConfig.Catalog(true, "bi", JobConfig.Metastore.EXTERNAL, "thrift://m1:9083,thrift://m2:9083"),
        Fixtures.config("catalog.database=bi", "catalog.metastore_uri=thrift://m1:9083,thrift://m2:9083").catalog());
    assertEquals(JobConfig.Metastore.SESSION, Fixtures.config("catalog.metastore_uri=session").catalog().metastore());
    assertEquals(JobConfig.Serve.local(10000), Fixtures.config().serve());
    assertFalse(Fixtures.config("catalog.enabled=false", "output.root=s3a://bucket/out").catalog().enabled());
  }

  @Test
  void badCatalogAndServeSettingsAreNamed() {
    assertTrue(configError("catalog.database=customer-pyramid").getMessage().startsWith("catalog.database must be a plain SQL name"));
    assertTrue(configError("catalog.metastore_uri=http://m:9083").getMessage().startsWith("catalog.metastore_uri must be"));
    assertTrue(configError("output.root=hdfs://nn/out").getMessage().startsWith("catalog.metastore_uri: the embedded metastore"));
    assertTrue(configError("serve.port=0").getMessage().contains("serve.port"));
    assertTrue(configError("serve.port=70000").getMessage().startsWith("serve.port must be at most 65535"));
    assertTrue(configError("serve.login=kerberos").getMessage().startsWith("serve.login must be one of none, password, ldap; got 'kerberos'"));
    assertTrue(configError("serve.login=password", "serve.users_file=").getMessage().startsWith("serve.users_file is required"));
    assertTrue(configError("serve.login=ldap").getMessage().startsWith("serve.ldap.url must be an ldap:// or ldaps:// URL"));
    assertTrue(configError("serve.login=ldap", "serve.ldap.url=ldaps://d:636").getMessage().contains("needs serve.ldap.base_dn"));
    assertTrue(configError("serve.login=ldap", "serve.ldap.url=ldaps://d:636", "serve.ldap.user_dn_pattern=cn=user,dc=x").getMessage()
        .startsWith("serve.ldap.user_dn_pattern must contain %s"));
    assertTrue(configError("serve.tls.keystore=/k.p12", "serve.tls.keystore_password_env=").getMessage()
        .startsWith("serve.tls.keystore_password_env is required"));
  }

  /** docs/bi.md's server settings are what an operator copies: each HOCON block must load as written. */
  @Test
  void theServeSettingsOfDocsBiMdLoad(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    String doc = java.nio.file.Files.readString(java.nio.file.Path.of("docs/bi.md"));
    java.util.regex.Matcher block = java.util.regex.Pattern.compile("```hocon\n(.*?)```", java.util.regex.Pattern.DOTALL).matcher(doc);
    List<JobConfig.Serve> documented = new java.util.ArrayList<>();
    while (block.find()) {
      java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("serve-" + documented.size() + ".conf"), block.group(1));
      documented.add(ConfigLoader.load(Optional.of(file.toFile()), List.of()).serve());
    }
    assertEquals(2, documented.size(), "docs/bi.md shows a password and an LDAP server");
    assertEquals(new JobConfig.Serve("0.0.0.0", 10000,
        new JobConfig.ServeLogin(JobConfig.LoginMethod.PASSWORD, "/etc/customer-pyramid/serve-users", JobConfig.Ldap.NONE),
        new JobConfig.Tls("/etc/customer-pyramid/serve-keystore.p12", "SERVE_KEYSTORE_PASSWORD")), documented.get(0));
    assertEquals(new JobConfig.Ldap("ldaps://ldap.example.com:636", "ou=people,dc=example,dc=com", "", ""), documented.get(1).login().ldap());
  }

  @Test
  void serveLoginsAndTlsAreReadWhole() {
    JobConfig.Serve serve =
        Fixtures.config("serve.host=0.0.0.0", "serve.login=ldap", "serve.ldap.url=ldaps://d:636", "serve.ldap.domain=example.com",
            "serve.tls.keystore=/etc/cp/ks.p12").serve();
    assertEquals(new JobConfig.Serve("0.0.0.0", 10000,
        new JobConfig.ServeLogin(JobConfig.LoginMethod.LDAP, "conf/serve-users", new JobConfig.Ldap("ldaps://d:636", "", "example.com", "")),
        new JobConfig.Tls("/etc/cp/ks.p12", "SERVE_KEYSTORE_PASSWORD")), serve);
    assertEquals(new JobConfig.ServeLogin(JobConfig.LoginMethod.PASSWORD, "/etc/cp/users", JobConfig.Ldap.NONE),
        Fixtures.config("serve.login=PASSWORD", "serve.users_file=/etc/cp/users").serve().login());
  }

  @Test
  void setKeepsUriPathsWhole() {
    JobConfig config =
        Fixtures.config(
            "input.orders.path=s3a://bucket/x",
            "output.root=s3a://bucket/out/run=1",
            "catalog.metastore_uri=session",
            "input.returns.path=hdfs://nn:8020/data/returns.csv");
    assertEquals(Optional.of("s3a://bucket/x"), config.orders().path());
    assertEquals("s3a://bucket/out/run=1", config.outputRoot());
    assertEquals("s3a://bucket/out/run=1/_checkpoints", config.spark().checkpointDir());
    assertEquals(Optional.of("hdfs://nn:8020/data/returns.csv"), config.returns().path());
  }

  @Test
  void setWithAnEmptyValueUnmapsAColumnAndSkipsAnOptionalInput() {
    JobConfig config = Fixtures.config("input.orders.columns.discount=", "input.contacts.path=");
    assertFalse(config.orders().hasColumn("discount"));
    assertFalse(config.contacts().isConfigured());
  }

  @Test
  void setMayAddAContactTypeCost() {
    JobConfig config = Fixtures.config("costs.contact_type_costs.Callback=7.5");
    assertEquals(7.5, config.costs().contactTypeCosts().get("callback"));
    assertEquals(20.0, config.costs().contactTypeCosts().get("complaint"));
  }

  // ---- config file

  @Test
  void configFileOverridesDefaultsAndSetOverridesTheFile() throws IOException {
    File file =
        file(
            "job.conf",
            "segmentation { k = 3 }",
            "pareto.measure = net_revenue",
            "input.orders.path = \"s3a://bucket/orders/\"",
            "tiers.cumulative_share_thresholds = [0.6, 0.85, 0.97]");
    JobConfig fromFile = ConfigLoader.load(Optional.of(file), List.of());
    assertEquals(3, fromFile.segmentation().k());
    assertEquals("net_revenue", fromFile.pareto().measure());
    assertEquals(Optional.of("s3a://bucket/orders/"), fromFile.orders().path());
    assertEquals(List.of(0.6, 0.85, 0.97), fromFile.tiers().thresholds());
    // Keys the file leaves alone keep their defaults.
    assertEquals(42L, fromFile.segmentation().seed());
    assertEquals(10, fromFile.rfm().segments().size());

    JobConfig withSet = ConfigLoader.load(Optional.of(file), List.of("segmentation.k=5"));
    assertEquals(5, withSet.segmentation().k());
    assertEquals("net_revenue", withSet.pareto().measure());
  }

  @Test
  void missingConfigFileIsAConfigError() {
    File missing = dir.resolve("nope.conf").toFile();
    ConfigError error = assertThrows(ConfigError.class, () -> ConfigLoader.load(Optional.of(missing), List.of()));
    assertContains(error.getMessage(), "Config file not found", "nope.conf");
  }

  @Test
  void unparsableConfigFileIsAConfigErrorNamingTheFile() throws IOException {
    File file = file("broken.conf", "segmentation { k = ");
    ConfigError error = assertThrows(ConfigError.class, () -> ConfigLoader.load(Optional.of(file), List.of()));
    assertContains(error.getMessage(), "Cannot parse config file", "broken.conf");
  }

  // ---- unknown keys

  @Test
  void unknownKeyViaSetNamesTheKeyAndListsItsKnownSiblings() {
    ConfigError error = configError("segmentation.kk=3");
    assertContains(
        error.getMessage(),
        "Unknown configuration key 'segmentation.kk' in --set",
        "Known keys under 'segmentation': algorithm, correlation_warning, features, k, log_features, max_iterations, scaling,"
            + " seed, segment_names, winsorize_percentile.");
  }

  @Test
  void unknownKeyInAFileNamesTheKeyTheFileAndTheKnownSiblings() throws IOException {
    File file = file("typo.conf", "input.orders.columns { order_number = \"OrderNo\" }");
    ConfigError error = assertThrows(ConfigError.class, () -> ConfigLoader.load(Optional.of(file), List.of()));
    assertContains(
        error.getMessage(),
        "Unknown configuration key 'input.orders.columns.order_number'",
        "typo.conf",
        "Known keys under 'input.orders.columns': amount, cost_of_goods, customer_id, discount, line_id, order_id,"
            + " order_ts, quantity, unit_price.");
  }

  @Test
  void unknownTopLevelSectionListsTheTopLevelKeys() {
    ConfigError error = configError("segmentaton.k=3");
    assertContains(
        error.getMessage(),
        "'segmentaton.k'",
        "Known keys at the top level: catalog, costs, input, loyalty, output, pareto, quality, rfm, segmentation,"
            + " serve, snapshot, spark, tiers, tuning.");
    assertContains(configError("verbose=true").getMessage(), "Unknown configuration key 'verbose' in --set", "Known keys at the top level");
  }

  @Test
  void setWithoutEqualsSignIsAConfigError() {
    assertContains(configError("segmentation.k").getMessage(), "--set expects key=value, got 'segmentation.k'");
    assertContains(configError("=4").getMessage(), "--set expects key=value, got '=4'");
  }

  @Test
  void wrongTypeNamesTheKey() {
    assertContains(configError("segmentation.k=many").getMessage(), "segmentation.k must be a whole number", "got many");
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
  void kBelowTwoIsRejected() {
    assertContains(configError("segmentation.k=1").getMessage(), "segmentation.k must be a whole number from 2 to 50, got 1");
    assertContains(configError("segmentation.k=2.5").getMessage(), "segmentation.k must be a whole number from 2 to 50, got 2.5");
    assertContains(configError("segmentation.k=1000000").getMessage(), "segmentation.k must be a whole number from 2 to 50, got 1000000");
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
