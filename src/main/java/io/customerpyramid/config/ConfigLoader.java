package io.customerpyramid.config;

import static io.customerpyramid.config.ConfigChecks.positiveInt;
import static io.customerpyramid.config.ConfigChecks.rate;
import static io.customerpyramid.config.ConfigChecks.requireAtLeast;
import static io.customerpyramid.config.ConfigChecks.requireNonNegative;
import static io.customerpyramid.config.ConfigChecks.scoreInt;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.customerpyramid.config.JobConfig.RfmSegmentRule;
import io.customerpyramid.schema.Columns;
import java.io.File;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses and validates the job configuration: bundled defaults, then an optional file, then
 * {@code --set} overrides; every problem is a {@link ConfigError} naming the key.
 */
public final class ConfigLoader {

  /** Classpath copy of conf/segmentation.conf: the defaults and the list of known keys. */
  public static final String DEFAULTS_RESOURCE = "segmentation.conf";

  /** Sections whose keys are free (user-defined names), not checked against the defaults. */
  private static final Set<String> OPEN_SECTIONS = Set.of("costs.contact_type_costs", "segmentation.segment_names");

  private static final Set<String> PARETO_MEASURES = Set.of(Columns.CONTRIBUTION, Columns.NET_REVENUE);

  private ConfigLoader() {}

  /** Loads defaults, the optional file and the overrides ({@code key=value}), then validates. */
  public static JobConfig load(Optional<File> configFile, List<String> overrides) {
    Config defaults = loadDefaults();
    Config user = ConfigFactory.empty();
    if (configFile.isPresent()) {
      File file = configFile.get();
      if (!file.isFile()) {
        throw new ConfigError("Config file not found: " + file);
      }
      try {
        user = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (ConfigException e) {
        throw new ConfigError("Cannot parse config file " + file + ": " + e.getMessage(), e);
      }
      rejectUnknownKeys(user, defaults, "config file " + file);
    }
    Config sets = parseOverrides(overrides);
    rejectUnknownKeys(sets, defaults, "--set");
    Config merged;
    try {
      merged = sets.withFallback(user).withFallback(defaults).resolve();
    } catch (ConfigException e) {
      throw new ConfigError("Cannot resolve configuration: " + e.getMessage(), e);
    }
    try {
      return build(merged);
    } catch (ConfigException.Missing | ConfigException.WrongType | ConfigException.BadValue e) {
      throw new ConfigError("Invalid configuration: " + e.getMessage(), e);
    }
  }

  /**
   * The configuration behind {@code config} as of another snapshot date: its resolved settings
   * (the rendered JSON holds every key) with {@code snapshot.date} replaced, parsed and validated
   * again, so that no field of {@link JobConfig} can be left behind by a hand-written copy.
   */
  static JobConfig withSnapshotDate(JobConfig config, LocalDate date) {
    Config resolved =
        ConfigFactory.parseString(config.renderedConfig())
            .withValue("snapshot.date", ConfigValueFactory.fromAnyRef(date.toString()));
    return build(resolved);
  }

  static JobConfig withoutClv(JobConfig config) {
    Config resolved =
        ConfigFactory.parseString(config.renderedConfig())
            .withValue("clv.enabled", ConfigValueFactory.fromAnyRef(false))
            .withValue("clv.lapsed_rule", ConfigValueFactory.fromAnyRef(JobConfig.LapsedRule.DAYS.configName()))
            .withValue("clv.abandon_requires_low_clv", ConfigValueFactory.fromAnyRef(false));
    return build(resolved);
  }

  /** Defaults only: what the bundled conf/segmentation.conf says. */
  public static Config loadDefaults() {
    Config defaults =
        ConfigFactory.parseResources(
            ConfigLoader.class.getClassLoader(), DEFAULTS_RESOURCE, ConfigParseOptions.defaults().setAllowMissing(false));
    if (defaults.isEmpty()) {
      throw new ConfigError("Bundled defaults " + DEFAULTS_RESOURCE + " are missing from the class path");
    }
    return defaults;
  }

  static Config parseOverrides(List<String> overrides) {
    Config result = ConfigFactory.empty();
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq <= 0) {
        throw new ConfigError("--set expects key=value, got '" + override + "'");
      }
      String key = override.substring(0, eq).trim();
      String value = override.substring(eq + 1).trim();
      try {
        ConfigUtil.splitPath(key);
      } catch (ConfigException e) {
        throw new ConfigError("--set: '" + key + "' is not a valid key", e);
      }
      result = result.withValue(key, parseValue(key, value));
    }
    return result;
  }

  /** Lists and objects are HOCON; anything else is a string (Config converts it to the key's type). */
  private static ConfigValue parseValue(String key, String value) {
    if (value.startsWith("[") || value.startsWith("{")) {
      try {
        return ConfigFactory.parseString("v = " + value).getValue("v");
      } catch (ConfigException e) {
        throw new ConfigError("--set " + key + ": cannot parse '" + value + "': " + e.getMessage(), e);
      }
    }
    return ConfigValueFactory.fromAnyRef(value);
  }

  private static void rejectUnknownKeys(Config candidate, Config defaults, String origin) {
    for (Map.Entry<String, ConfigValue> entry : candidate.entrySet()) {
      String key = entry.getKey();
      if (defaults.hasPathOrNull(key) || isInOpenSection(key)) {
        continue;
      }
      throw new ConfigError(
          "Unknown configuration key '" + key + "' in " + origin + ". " + describeKnownSiblings(key, defaults));
    }
  }

  private static boolean isInOpenSection(String key) {
    return OPEN_SECTIONS.stream().anyMatch(section -> key.startsWith(section + "."));
  }

  private static String describeKnownSiblings(String key, Config defaults) {
    List<String> parts = ConfigUtil.splitPath(key);
    for (int depth = parts.size() - 1; depth >= 0; depth--) {
      String parent = depth == 0 ? "" : ConfigUtil.joinPath(parts.subList(0, depth));
      ConfigObject section = depth == 0 ? defaults.root() : defaults.hasPath(parent) ? defaults.getObject(parent) : null;
      if (section != null) {
        return "Known keys " + (depth == 0 ? "at the top level" : "under '" + parent + "'") + ": "
            + String.join(", ", new TreeSet<>(section.keySet())) + ".";
      }
    }
    return "";
  }

  private static JobConfig build(Config c) {
    String timeZone = c.getString("input.time_zone");
    try {
      ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      throw new ConfigError("input.time_zone: unknown time zone '" + timeZone + "'");
    }
    InputSourcesParser.Inputs inputs = InputSourcesParser.parse(c);

    Optional<LocalDate> snapshotDate = parseSnapshotDate(c.getString("snapshot.date"));
    int lookbackDays = c.getInt("snapshot.lookback_days");
    requireAtLeast("snapshot.lookback_days", lookbackDays, 0);

    double margin = c.getDouble("costs.gross_margin_rate");
    if (margin < 0 || margin >= 1) {
      throw new ConfigError("costs.gross_margin_rate must be in [0, 1), got " + margin);
    }
    Map<String, Double> contactCosts = new LinkedHashMap<>();
    for (String type : c.getObject("costs.contact_type_costs").keySet()) {
      double cost = c.getDouble(ConfigUtil.joinPath("costs", "contact_type_costs", type));
      requireNonNegative("costs.contact_type_costs." + type, cost);
      contactCosts.put(type.toLowerCase(Locale.ROOT), cost);
    }
    double defaultContactCost = c.getDouble("costs.default_contact_cost");
    requireNonNegative("costs.default_contact_cost", defaultContactCost);
    List<String> complaintTypes =
        c.getStringList("costs.complaint_types").stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();

    double relativeError = c.getDouble("rfm.quantile_relative_error");
    if (relativeError < 0 || relativeError >= 0.5) {
      throw new ConfigError("rfm.quantile_relative_error must be in [0, 0.5), got " + relativeError);
    }
    List<RfmSegmentRule> rules = SegmentationParser.parseRfmRules(c);

    JobConfig.Loyalty loyalty =
        new JobConfig.Loyalty(
            positiveInt(c, "loyalty.lapsed_after_days"),
            positiveInt(c, "loyalty.new_max_tenure_days"),
            positiveInt(c, "loyalty.loyal_min_orders"),
            positiveInt(c, "loyalty.loyal_min_tenure_days"));

    JobConfig.Quality quality =
        new JobConfig.Quality(
            rate(c, "quality.high_service_cost_ratio"),
            rate(c, "quality.high_return_rate"),
            rate(c, "quality.price_sensitive_discount_rate"),
            rate(c, "quality.late_payer_rate"),
            positiveInt(c, "quality.frequent_complainer_complaints"),
            scoreInt(c, "quality.strong_spend_min_monetary_score"),
            rate(c, "quality.timely_payer_max_late_rate"),
            positiveInt(c, "quality.poor_min_reasons"),
            positiveInt(c, "quality.high_min_reasons"));

    JobConfig.Segmentation segmentation = SegmentationParser.parseSegmentation(c);
    JobConfig.Tuning tuning =
        new JobConfig.Tuning(
            positiveInt(c, "tuning.silhouette_sample_size"),
            positiveInt(c, "tuning.stability_sample_size"),
            rate(c, "tuning.min_stability"),
            rate(c, "tuning.min_cluster_share"));

    String measure = c.getString("pareto.measure");
    if (!PARETO_MEASURES.contains(measure)) {
      throw new ConfigError("pareto.measure must be one of " + PARETO_MEASURES + ", got '" + measure + "'");
    }
    int curvePoints = c.getInt("pareto.curve_points");
    requireAtLeast("pareto.curve_points", curvePoints, 10);

    JobConfig.Tiers tiers = SegmentationParser.parseTiers(c);
    JobConfig.Clv clv = ClvParser.parse(c);

    String outputRoot = c.getString("output.root").trim();
    if (outputRoot.isEmpty()) {
      throw new ConfigError("output.root is required");
    }
    String master = c.getString("spark.default_master");
    String checkpointDir = c.getString("spark.checkpoint_dir").trim();
    if (checkpointDir.isEmpty()) {
      checkpointDir = outputRoot + "/_checkpoints";
    }
    int shufflePartitions = c.getInt("spark.shuffle_partitions");
    requireAtLeast("spark.shuffle_partitions", shufflePartitions, 0);

    JobConfig.Catalog catalog = CatalogServeParser.parseCatalog(c, outputRoot);
    JobConfig.Serve serve = CatalogServeParser.parseServe(c);

    String rendered = c.root().render(ConfigRenderOptions.concise().setJson(true).setFormatted(true));
    return new JobConfig(
        timeZone,
        inputs.orders(),
        inputs.orderRules(),
        inputs.returns(),
        inputs.contacts(),
        inputs.invoices(),
        snapshotDate,
        lookbackDays,
        new JobConfig.Costs(margin, Map.copyOf(contactCosts), defaultContactCost, complaintTypes),
        new JobConfig.Rfm(relativeError, rules),
        loyalty,
        quality,
        segmentation,
        tuning,
        new JobConfig.Pareto(measure, curvePoints),
        tiers,
        clv,
        outputRoot,
        new JobConfig.SparkSettings(master, checkpointDir, shufflePartitions),
        catalog,
        serve,
        rendered);
  }

  private static Optional<LocalDate> parseSnapshotDate(String value) {
    if (value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(value.trim()));
    } catch (DateTimeParseException e) {
      throw new ConfigError("snapshot.date must be yyyy-MM-dd or empty, got '" + value + "'");
    }
  }
}
