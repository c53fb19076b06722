package io.customerpyramid.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.customerpyramid.config.JobConfig.RfmSegmentRule;
import io.customerpyramid.schema.Columns;
import java.io.File;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
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

  private static final Set<String> FORMATS = Set.of("csv", "parquet");
  private static final Set<String> PARETO_MEASURES = Set.of(Columns.CONTRIBUTION, Columns.NET_REVENUE);
  private static final int RFM_SCORES = 5;
  private static final int MAX_PORT = 65535;
  /** Input amounts are DECIMAL(20,8): twelve integer digits. */
  private static final java.math.BigDecimal MAX_AMOUNT_LIMIT = java.math.BigDecimal.TEN.pow(12);
  private static final java.util.regex.Pattern DATABASE_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final java.util.regex.Pattern POSITION = java.util.regex.Pattern.compile("[1-9][0-9]*");

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

    boolean lineGranularity = parseGranularity(c.getString("input.orders.granularity"));
    InputSource orders = inputSource(c, "orders", "timestamp_pattern");
    if (orders.path().isEmpty()) {
      throw new ConfigError("input.orders.path is required: the job needs order history");
    }
    requireColumns(orders, List.of(Columns.ORDER_ID, Columns.CUSTOMER_ID, Columns.ORDER_TS));
    if (lineGranularity) {
      requireColumns(orders, List.of(Columns.QUANTITY, Columns.UNIT_PRICE));
      orders = withoutColumns(orders, List.of(Columns.AMOUNT));
    } else {
      requireColumns(orders, List.of(Columns.AMOUNT));
      orders = withoutColumns(orders, List.of(Columns.QUANTITY, Columns.UNIT_PRICE));
    }
    InputSource returns = inputSource(c, "returns", "timestamp_pattern");
    if (returns.isConfigured()) {
      requireColumns(returns, List.of(Columns.RETURN_TS, Columns.REFUND_AMOUNT));
      if (!returns.hasColumn(Columns.ORDER_ID) && !returns.hasColumn(Columns.CUSTOMER_ID)) {
        throw new ConfigError("input.returns.columns: map order_id or customer_id (or both)");
      }
    }
    InputSource contacts = inputSource(c, "contacts", "timestamp_pattern");
    if (contacts.isConfigured()) {
      requireColumns(contacts, List.of(Columns.CUSTOMER_ID, Columns.CONTACT_TS, Columns.CONTACT_TYPE));
    }
    InputSource invoices = inputSource(c, "invoices", "date_pattern");
    if (invoices.isConfigured()) {
      requireColumns(invoices, List.of(Columns.CUSTOMER_ID, Columns.DUE_DATE, Columns.PAID_DATE, Columns.AMOUNT));
    }

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
    List<RfmSegmentRule> rules = parseRfmRules(c);

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

    JobConfig.Segmentation segmentation = parseSegmentation(c);
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

    JobConfig.Tiers tiers = parseTiers(c);

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

    JobConfig.Catalog catalog = parseCatalog(c, outputRoot);
    JobConfig.Serve serve = parseServe(c);

    String rendered = c.root().render(ConfigRenderOptions.concise().setJson(true).setFormatted(true));
    return new JobConfig(
        timeZone,
        orders,
        new JobConfig.OrderRules(lineGranularity, c.getString("input.orders.cancellation_prefix")),
        returns,
        contacts,
        invoices,
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
        outputRoot,
        new JobConfig.SparkSettings(master, checkpointDir, shufflePartitions),
        catalog,
        serve,
        rendered);
  }

  private static JobConfig.Serve parseServe(Config c) {
    String host = c.getString("serve.host").trim();
    if (host.isEmpty()) {
      throw new ConfigError("serve.host is required (localhost, or an address of this machine)");
    }
    int port = c.getInt("serve.port");
    requireAtLeast("serve.port", port, 1);
    if (port > MAX_PORT) {
      throw new ConfigError("serve.port must be at most " + MAX_PORT + ", got " + port);
    }
    String method = c.getString("serve.login").trim().toLowerCase(Locale.ROOT);
    String usersFile = c.getString("serve.users_file").trim();
    JobConfig.ServeLogin login =
        switch (method) {
          case "none" -> new JobConfig.ServeLogin(JobConfig.LoginMethod.NONE, usersFile, JobConfig.Ldap.NONE);
          case "password" -> {
            if (usersFile.isEmpty()) {
              throw new ConfigError("serve.users_file is required when serve.login = password");
            }
            yield new JobConfig.ServeLogin(JobConfig.LoginMethod.PASSWORD, usersFile, JobConfig.Ldap.NONE);
          }
          case "ldap" -> {
            JobConfig.Ldap ldap =
                new JobConfig.Ldap(
                    c.getString("serve.ldap.url").trim(), c.getString("serve.ldap.base_dn").trim(),
                    c.getString("serve.ldap.domain").trim(), c.getString("serve.ldap.user_dn_pattern").trim());
            if (!ldap.url().startsWith("ldap://") && !ldap.url().startsWith("ldaps://")) {
              throw new ConfigError("serve.ldap.url must be an ldap:// or ldaps:// URL when serve.login = ldap, got '" + ldap.url() + "'");
            }
            if (ldap.baseDn().isEmpty() && ldap.domain().isEmpty() && ldap.userDnPattern().isEmpty()) {
              throw new ConfigError(
                  "serve.login = ldap needs serve.ldap.base_dn, serve.ldap.user_dn_pattern or serve.ldap.domain to build the user's DN");
            }
            if (!ldap.userDnPattern().isEmpty() && !ldap.userDnPattern().contains("%s")) {
              throw new ConfigError("serve.ldap.user_dn_pattern must contain %s (the user name), got '" + ldap.userDnPattern() + "'");
            }
            yield new JobConfig.ServeLogin(JobConfig.LoginMethod.LDAP, usersFile, ldap);
          }
          default -> throw new ConfigError("serve.login must be one of none, password, ldap; got '" + method + "'");
        };
    String keystore = c.getString("serve.tls.keystore").trim();
    String passwordEnv = c.getString("serve.tls.keystore_password_env").trim();
    if (!keystore.isEmpty() && passwordEnv.isEmpty()) {
      throw new ConfigError("serve.tls.keystore_password_env is required with serve.tls.keystore (the variable that holds its password)");
    }
    return new JobConfig.Serve(host, port, login, keystore.isEmpty() ? JobConfig.Tls.OFF : new JobConfig.Tls(keystore, passwordEnv));
  }

  private static JobConfig.Catalog parseCatalog(Config c, String outputRoot) {
    boolean enabled = c.getBoolean("catalog.enabled");
    String database = c.getString("catalog.database").trim();
    if (!DATABASE_NAME.matcher(database).matches()) {
      throw new ConfigError(
          "catalog.database must be a plain SQL name (letters, digits, underscores, not starting with a digit), got '" + database + "'");
    }
    String uri = c.getString("catalog.metastore_uri").trim();
    if (uri.isEmpty()) {
      java.net.URI root = new org.apache.hadoop.fs.Path(outputRoot).toUri();
      if (enabled && root.getScheme() != null && !root.getScheme().equals("file")) {
        throw new ConfigError(
            "catalog.metastore_uri: the embedded metastore lives in <output.root>/_metastore and needs a local output.root, but it is "
                + outputRoot + "; set catalog.metastore_uri to thrift://host:9083 or \"session\", or catalog.enabled = false");
      }
      return new JobConfig.Catalog(enabled, database, JobConfig.Metastore.EMBEDDED, "");
    }
    if (uri.equals("session")) {
      return new JobConfig.Catalog(enabled, database, JobConfig.Metastore.SESSION, "");
    }
    for (String part : uri.split(",")) {
      if (!part.trim().startsWith("thrift://")) {
        throw new ConfigError(
            "catalog.metastore_uri must be \"\" (embedded), \"session\" or thrift://host:port URIs separated by commas, got '" + uri + "'");
      }
    }
    return new JobConfig.Catalog(enabled, database, JobConfig.Metastore.EXTERNAL, uri);
  }

  private static boolean parseGranularity(String granularity) {
    return switch (granularity) {
      case "order" -> false;
      case "line" -> true;
      default -> throw new ConfigError(
          "input.orders.granularity must be 'order' or 'line', got '" + granularity + "'");
    };
  }

  /** Columns that belong to the other granularity are not read (a line export has no amount column). */
  private static InputSource withoutColumns(InputSource source, List<String> logicalNames) {
    Map<String, String> columns = new LinkedHashMap<>(source.columns());
    logicalNames.forEach(columns::remove);
    return source.with(columns, source.deduplication());
  }

  private static InputSource inputSource(Config c, String name, String patternKey) {
    String prefix = "input." + name + ".";
    String path = c.getString(prefix + "path").trim();
    String format = c.getString(prefix + "format").toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      throw new ConfigError(prefix + "format must be one of " + FORMATS + ", got '" + format + "'");
    }
    InputSource.CsvLayout csv = csvLayout(c, prefix);
    List<String> patterns = timePatterns(c, prefix + patternKey);
    InputSource.CustomerIdFormat customerIdFormat = customerIdFormat(c, prefix + "customer_id_format");
    Map<String, String> columns = new LinkedHashMap<>();
    for (String logical : c.getObject(prefix + "columns").keySet()) {
      String source = c.getString(prefix + "columns." + logical).trim();
      if (!source.isEmpty()) {
        columns.put(logical, source);
      }
    }
    InputSource.Deduplication deduplication = deduplication(c, prefix + "deduplicate");
    if (deduplication.mode() == InputSource.Deduplication.Mode.COLUMNS && columns.containsKey(Columns.LINE_ID)) {
      // Lines that differ in their line id are never duplicates, whatever else they share.
      List<String> compared = new ArrayList<>(deduplication.columns());
      if (!compared.contains(columns.get(Columns.LINE_ID))) {
        compared.add(columns.get(Columns.LINE_ID));
      }
      deduplication = new InputSource.Deduplication(InputSource.Deduplication.Mode.COLUMNS, List.copyOf(compared));
    }
    if (!csv.header() && format.equals("csv")) {
      columns.forEach((logical, source) -> requirePosition(prefix + "columns." + logical, prefix, source));
      deduplication.columns().forEach(source -> requirePosition(prefix + "deduplicate", prefix, source));
    }
    return new InputSource(
        name, path.isEmpty() ? Optional.empty() : Optional.of(path), format, csv, patterns, customerIdFormat, deduplication,
        Map.copyOf(columns), valueLimits(c), badFilePolicy(c, prefix + "on_bad_file"));
  }

  private static InputSource.ValueLimits valueLimits(Config c) {
    java.math.BigDecimal maxAbsAmount;
    try {
      maxAbsAmount = new java.math.BigDecimal(c.getString("input.max_abs_amount").trim());
    } catch (NumberFormatException e) {
      throw new ConfigError("input.max_abs_amount must be a number, got '" + c.getString("input.max_abs_amount") + "'");
    }
    if (maxAbsAmount.signum() <= 0 || maxAbsAmount.compareTo(MAX_AMOUNT_LIMIT) > 0) {
      throw new ConfigError(
          "input.max_abs_amount must be above 0 and at most " + MAX_AMOUNT_LIMIT.toPlainString()
              + " (the exact decimal type of input amounts), got " + maxAbsAmount.toPlainString());
    }
    String minDate = c.getString("input.min_date").trim();
    try {
      return new InputSource.ValueLimits(maxAbsAmount, LocalDate.parse(minDate));
    } catch (DateTimeParseException e) {
      throw new ConfigError("input.min_date must be a date yyyy-MM-dd, got '" + minDate + "'");
    }
  }

  private static InputSource.BadFilePolicy badFilePolicy(Config c, String key) {
    String value = c.getString(key).trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "fail" -> InputSource.BadFilePolicy.FAIL;
      case "skip" -> InputSource.BadFilePolicy.SKIP;
      default -> throw new ConfigError(key + " must be fail or skip, got '" + value + "'");
    };
  }

  private static InputSource.CsvLayout csvLayout(Config c, String prefix) {
    String delimiter = c.getString(prefix + "csv_delimiter");
    if (delimiter.isEmpty()) {
      throw new ConfigError(prefix + "csv_delimiter must not be empty");
    }
    String quote = c.getString(prefix + "quote");
    String escape = c.getString(prefix + "escape");
    for (Map.Entry<String, String> character : Map.of("quote", quote, "escape", escape).entrySet()) {
      if (character.getValue().length() != 1) {
        throw new ConfigError(
            prefix + character.getKey() + " must be a single character, got '" + character.getValue() + "'");
      }
    }
    String encoding = c.getString(prefix + "encoding").trim();
    try {
      encoding = java.nio.charset.Charset.forName(encoding).name();
    } catch (IllegalArgumentException e) {
      throw new ConfigError(
          prefix + "encoding: unknown character encoding '" + encoding + "' (for example UTF-8, ISO-8859-1, windows-1252)");
    }
    return new InputSource.CsvLayout(c.getBoolean(prefix + "header"), delimiter, quote, escape, encoding, c.getBoolean(prefix + "multiline"));
  }

  /** One pattern or a list of them, tried in order. */
  private static List<String> timePatterns(Config c, String key) {
    List<String> patterns =
        c.getValue(key).valueType() == ConfigValueType.LIST ? c.getStringList(key) : List.of(c.getString(key));
    if (patterns.isEmpty()) {
      throw new ConfigError(key + " must give at least one pattern");
    }
    for (String pattern : patterns) {
      try {
        DateTimeFormatter.ofPattern(pattern);
      } catch (IllegalArgumentException e) {
        throw new ConfigError(key + ": invalid pattern '" + pattern + "': " + e.getMessage());
      }
    }
    return List.copyOf(patterns);
  }

  private static InputSource.CustomerIdFormat customerIdFormat(Config c, String key) {
    String value = c.getString(key);
    return java.util.Arrays.stream(InputSource.CustomerIdFormat.values())
        .filter(f -> f.configName().equals(value))
        .findFirst()
        .orElseThrow(() -> new ConfigError(key + " must be 'as-is' or 'integer', got '" + value + "'"));
  }

  /** "source-row", "off" or a list of source column names. */
  private static InputSource.Deduplication deduplication(Config c, String key) {
    if (c.getValue(key).valueType() == ConfigValueType.LIST) {
      List<String> listed = c.getStringList(key).stream().map(String::trim).distinct().toList();
      if (listed.isEmpty() || listed.contains("")) {
        throw new ConfigError(
            key + " must be \"source-row\", \"off\" or a list of source column names, got " + c.getStringList(key));
      }
      return new InputSource.Deduplication(InputSource.Deduplication.Mode.COLUMNS, listed);
    }
    String value = c.getString(key);
    return switch (value) {
      case "source-row" -> InputSource.Deduplication.SOURCE_ROW;
      case "off" -> InputSource.Deduplication.OFF;
      default -> throw new ConfigError(
          key + " must be \"source-row\", \"off\" or a list of source column names, got '" + value + "'");
    };
  }

  /** Without a header line, a CSV column is named by its 1-based position. */
  private static void requirePosition(String key, String prefix, String sourceColumn) {
    if (!POSITION.matcher(sourceColumn).matches()) {
      throw new ConfigError(
          key + ": " + prefix + "header = false, so columns are 1-based positions (such as 1 for the first), got '"
              + sourceColumn + "'");
    }
  }

  private static void requireColumns(InputSource input, List<String> logicalNames) {
    for (String logical : logicalNames) {
      if (!input.hasColumn(logical)) {
        throw new ConfigError(
            "input." + input.name() + ".columns." + logical + " must name a source column (it is required)");
      }
    }
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

  private static List<RfmSegmentRule> parseRfmRules(Config c) {
    List<RfmSegmentRule> rules = new ArrayList<>();
    List<? extends Config> entries = c.getConfigList("rfm.segments");
    for (int i = 0; i < entries.size(); i++) {
      Config entry = entries.get(i);
      String where = "rfm.segments[" + i + "]";
      if (!entry.hasPath("name") || entry.getString("name").isBlank()) {
        throw new ConfigError(where + ".name is required");
      }
      int[] recency = scoreRange(entry, "recency", where);
      int[] frequency = scoreRange(entry, "frequency", where);
      rules.add(new RfmSegmentRule(entry.getString("name"), recency[0], recency[1], frequency[0], frequency[1]));
    }
    for (int r = 1; r <= RFM_SCORES; r++) {
      for (int f = 1; f <= RFM_SCORES; f++) {
        final int rr = r;
        final int ff = f;
        List<String> matching = rules.stream().filter(rule -> rule.covers(rr, ff)).map(RfmSegmentRule::name).toList();
        if (matching.isEmpty()) {
          throw new ConfigError("rfm.segments leave the cell recency=" + r + ", frequency=" + f + " without a segment");
        }
        if (matching.size() > 1) {
          throw new ConfigError(
              "rfm.segments overlap: cell recency=" + r + ", frequency=" + f + " is in " + String.join(" and ", matching));
        }
      }
    }
    return List.copyOf(rules);
  }

  private static int[] scoreRange(Config entry, String key, String where) {
    if (!entry.hasPath(key)) {
      throw new ConfigError(where + "." + key + " is required: [min, max] scores");
    }
    List<Integer> range = entry.getIntList(key);
    if (range.size() != 2
        || range.get(0) < 1
        || range.get(1) > RFM_SCORES
        || range.get(0) > range.get(1)) {
      throw new ConfigError(where + "." + key + " must be [min, max] with 1 <= min <= max <= 5, got " + range);
    }
    return new int[] {range.get(0), range.get(1)};
  }

  private static JobConfig.Segmentation parseSegmentation(Config c) {
    int k = c.getInt("segmentation.k");
    if (k < 2) {
      throw new ConfigError("segmentation.k must be at least 2, got " + k);
    }
    int maxIterations = positiveInt(c, "segmentation.max_iterations");
    List<String> features = c.getStringList("segmentation.features");
    if (features.isEmpty()) {
      throw new ConfigError("segmentation.features must name at least one feature");
    }
    for (String feature : features) {
      if (!Columns.NUMERIC_FEATURES.contains(feature)) {
        throw new ConfigError(
            "segmentation.features: unknown feature '" + feature + "'. Known: " + String.join(", ", Columns.NUMERIC_FEATURES));
      }
    }
    if (Set.copyOf(features).size() != features.size()) {
      throw new ConfigError("segmentation.features lists a feature twice: " + features);
    }
    List<String> logFeatures = c.getStringList("segmentation.log_features");
    for (String feature : logFeatures) {
      if (!features.contains(feature)) {
        throw new ConfigError(
            "segmentation.log_features: '" + feature + "' is not in segmentation.features " + features);
      }
    }
    String algorithmName = c.getString("segmentation.algorithm");
    JobConfig.Algorithm algorithm =
        java.util.Arrays.stream(JobConfig.Algorithm.values())
            .filter(a -> a.configName().equals(algorithmName))
            .findFirst()
            .orElseThrow(
                () -> new ConfigError(
                    "segmentation.algorithm must be one of kmeans, bisecting-kmeans, gaussian-mixture, got '" + algorithmName + "'"));
    double winsorize = c.getDouble("segmentation.winsorize_percentile");
    if (winsorize < 0 || winsorize >= 0.5) {
      throw new ConfigError("segmentation.winsorize_percentile must be in [0, 0.5), got " + winsorize);
    }
    String scalingName = c.getString("segmentation.scaling");
    JobConfig.Scaling scaling =
        switch (scalingName) {
          case "standard" -> JobConfig.Scaling.STANDARD;
          case "robust" -> JobConfig.Scaling.ROBUST;
          default -> throw new ConfigError("segmentation.scaling must be 'standard' or 'robust', got '" + scalingName + "'");
        };
    double correlationWarning = c.getDouble("segmentation.correlation_warning");
    if (correlationWarning <= 0 || correlationWarning > 1) {
      throw new ConfigError("segmentation.correlation_warning must be in (0, 1], got " + correlationWarning);
    }
    Map<Integer, String> segmentNames = new java.util.TreeMap<>();
    for (Map.Entry<String, ConfigValue> entry : c.getObject("segmentation.segment_names").entrySet()) {
      int id;
      try {
        id = Integer.parseInt(entry.getKey());
      } catch (NumberFormatException e) {
        throw new ConfigError("segmentation.segment_names: '" + entry.getKey() + "' is not a segment id (1.." + k + ")");
      }
      if (id < 1 || id > k) {
        throw new ConfigError("segmentation.segment_names: segment " + id + " is outside 1.." + k + " (segmentation.k)");
      }
      segmentNames.put(id, String.valueOf(entry.getValue().unwrapped()));
    }
    return new JobConfig.Segmentation(
        k, c.getLong("segmentation.seed"), maxIterations, List.copyOf(features), List.copyOf(logFeatures),
        algorithm, winsorize, scaling, correlationWarning, Map.copyOf(segmentNames));
  }

  private static JobConfig.Tiers parseTiers(Config c) {
    String mode = c.getString("tiers.mode");
    JobConfig.TierMode tierMode;
    String key;
    switch (mode) {
      case "cumulative-share" -> {
        tierMode = JobConfig.TierMode.CUMULATIVE_SHARE;
        key = "tiers.cumulative_share_thresholds";
      }
      case "rank-percentile" -> {
        tierMode = JobConfig.TierMode.RANK_PERCENTILE;
        key = "tiers.rank_percentile_thresholds";
      }
      default -> throw new ConfigError(
          "tiers.mode must be 'cumulative-share' or 'rank-percentile', got '" + mode + "'");
    }
    for (String thresholdsKey : List.of("tiers.cumulative_share_thresholds", "tiers.rank_percentile_thresholds")) {
      List<Double> thresholds = c.getDoubleList(thresholdsKey);
      if (thresholds.size() != 3) {
        throw new ConfigError(thresholdsKey + " must hold 3 values (VIP, Major, Ordinary upper bounds), got " + thresholds);
      }
      double previous = 0;
      for (double t : thresholds) {
        if (t <= previous || t >= 1) {
          throw new ConfigError(thresholdsKey + " must be strictly increasing inside (0, 1), got " + thresholds);
        }
        previous = t;
      }
    }
    return new JobConfig.Tiers(tierMode, List.copyOf(c.getDoubleList(key)));
  }

  private static int positiveInt(Config c, String key) {
    int value = c.getInt(key);
    requireAtLeast(key, value, 1);
    return value;
  }

  private static int scoreInt(Config c, String key) {
    int value = c.getInt(key);
    if (value < 1 || value > RFM_SCORES) {
      throw new ConfigError(key + " must be a score from 1 to 5, got " + value);
    }
    return value;
  }

  private static double rate(Config c, String key) {
    double value = c.getDouble(key);
    if (value < 0 || value > 1) {
      throw new ConfigError(key + " must be in [0, 1], got " + value);
    }
    return value;
  }

  private static void requireAtLeast(String key, long value, long min) {
    if (value < min) {
      throw new ConfigError(key + " must be at least " + min + ", got " + value);
    }
  }

  private static void requireNonNegative(String key, double value) {
    if (value < 0) {
      throw new ConfigError(key + " must not be negative, got " + value);
    }
  }
}
