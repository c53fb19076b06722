package io.customerpyramid.config;

import static io.customerpyramid.config.ConfigFixtures.assertContains;
import static io.customerpyramid.config.ConfigFixtures.configError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig.RfmSegmentRule;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.io.File;
import java.io.IOException;
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

  private File file(String name, String... lines) throws IOException {
    return ConfigFixtures.file(dir, name, lines);
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
        "Known keys under 'segmentation': algorithm, auto_k_range, auto_k_seeds, correlation_warning, drop_redundant_features,"
            + " features, k, log_features, match_max_distance, max_iterations, min_segment_share, scaling, seed, segment_names,"
            + " small_segments, winsorize_percentile.");
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
        "Known keys at the top level: catalog, clv, costs, input, loyalty, output, pareto, quality, rfm, segmentation,"
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
}
