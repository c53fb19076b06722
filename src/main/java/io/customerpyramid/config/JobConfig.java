package io.customerpyramid.config;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole validated job configuration, immutable; built only by {@link ConfigLoader}.
 *
 * @param renderedConfig the resolved configuration as JSON, for the run manifest
 */
public record JobConfig(
    String timeZone,
    InputSource orders,
    OrderRules orderRules,
    InputSource returns,
    InputSource contacts,
    InputSource invoices,
    Optional<LocalDate> snapshotDate,
    int lookbackDays,
    Costs costs,
    Rfm rfm,
    Loyalty loyalty,
    Quality quality,
    Segmentation segmentation,
    Tuning tuning,
    Pareto pareto,
    Tiers tiers,
    Clv clv,
    String outputRoot,
    SparkSettings spark,
    Catalog catalog,
    Serve serve,
    String renderedConfig)
    implements Serializable {

  /**
   * The same configuration as of another snapshot date (what a backfill runs for each of its
   * dates); the rendered configuration in the run manifest says that date too. Rebuilt by the
   * loader from the rendered configuration rather than copied field by field, so a new field is
   * never dropped.
   */
  public JobConfig withSnapshotDate(LocalDate date) {
    return ConfigLoader.withSnapshotDate(this, date);
  }

  /**
   * The same configuration without the future view (and without the rules that need it): for tools that
   * need only the customers' features, such as the k sweep.
   */
  public JobConfig withoutClv() {
    return ConfigLoader.withoutClv(this);
  }

  /** Order granularity and cancellations. */
  public record OrderRules(boolean lineGranularity, String cancellationPrefix) implements Serializable {}

  /** Cost defaults. */
  public record Costs(
      double grossMarginRate,
      Map<String, Double> contactTypeCosts,
      double defaultContactCost,
      List<String> complaintTypes)
      implements Serializable {}

  /** One named cell range of the recency x frequency grid. */
  public record RfmSegmentRule(String name, int recencyMin, int recencyMax, int frequencyMin, int frequencyMax)
      implements Serializable {
    public boolean covers(int recency, int frequency) {
      return recency >= recencyMin && recency <= recencyMax && frequency >= frequencyMin && frequency <= frequencyMax;
    }
  }

  /** RFM scoring. */
  public record Rfm(double quantileRelativeError, List<RfmSegmentRule> segments) implements Serializable {}

  /** Loyalty stage thresholds (seed 003). */
  public record Loyalty(int lapsedAfterDays, int newMaxTenureDays, int loyalMinOrders, int loyalMinTenureDays)
      implements Serializable {}

  /** Customer quality thresholds (seed 000). */
  public record Quality(
      double highServiceCostRatio,
      double highReturnRate,
      double priceSensitiveDiscountRate,
      double latePayerRate,
      int frequentComplainerComplaints,
      int strongSpendMinMonetaryScore,
      double timelyPayerMaxLateRate,
      int poorMinReasons,
      int highMinReasons)
      implements Serializable {}

  /** Clustering algorithms behind {@code segmentation.algorithm}. */
  public enum Algorithm {
    KMEANS("kmeans"),
    BISECTING_KMEANS("bisecting-kmeans"),
    GAUSSIAN_MIXTURE("gaussian-mixture");

    private final String configName;

    Algorithm(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }
  }

  /** Feature scaling before clustering. */
  public enum Scaling {
    STANDARD,
    ROBUST
  }

  /** Segmentation settings: features, their transforms, the algorithm and its parameters. */
  public record Segmentation(
      int k,
      long seed,
      int maxIterations,
      List<String> features,
      List<String> logFeatures,
      Algorithm algorithm,
      double winsorizePercentile,
      Scaling scaling,
      double correlationWarning,
      Map<Integer, String> segmentNames,
      double minSegmentShare,
      SmallSegments smallSegments,
      boolean dropRedundantFeatures,
      double matchMaxDistance,
      java.util.Optional<AutoK> autoK)
      implements Serializable {

    /** The same settings with another k and seed (what a k sweep varies, and what "auto" resolves to): k is then fixed. */
    public Segmentation withKAndSeed(int newK, long newSeed) {
      return new Segmentation(
          newK, newSeed, maxIterations, features, logFeatures, algorithm, winsorizePercentile, scaling, correlationWarning,
          segmentNames, minSegmentShare, smallSegments, dropRedundantFeatures, matchMaxDistance, java.util.Optional.empty());
    }

    /** The same settings clustering only {@code kept} (a subset of the features, in their order). */
    public Segmentation withFeatures(List<String> kept) {
      return new Segmentation(
          k, seed, maxIterations, List.copyOf(kept), logFeatures.stream().filter(kept::contains).toList(), algorithm,
          winsorizePercentile, scaling, correlationWarning, segmentNames, minSegmentShare, smallSegments, dropRedundantFeatures,
          matchMaxDistance, autoK);
    }
  }

  /** segmentation.k = "auto": the run sweeps k over [min, max] with this many seeds and takes tune-k's recommendation. */
  public record AutoK(int min, int max, int seeds) implements Serializable {}

  /** What becomes of a segment under segmentation.min_segment_share of customers. */
  public enum SmallSegments {
    /** Its customers join the larger segment whose centre is nearest to its centre. */
    MERGE("merge"),
    /** It is published as it is, named "outliers", with a warning. */
    OUTLIERS("outliers");

    private final String configName;

    SmallSegments(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }
  }

  /** How tune-k samples and which k it may recommend. */
  public record Tuning(int silhouetteSampleSize, int stabilitySampleSize, double minStability, double minClusterShare)
      implements Serializable {}

  /** Pareto measure and curve resolution. */
  public record Pareto(String measure, int curvePoints) implements Serializable {}

  /** How tiers are cut. */
  public enum TierMode {
    CUMULATIVE_SHARE,
    RANK_PERCENTILE
  }

  /** Tier thresholds: upper bounds of VIP, Major and Ordinary. */
  public record Tiers(TierMode mode, List<Double> thresholds) implements Serializable {}

  /**
   * Future value (issue 16): BG/NBD and Gamma-Gamma fitted per snapshot, predicted CLV, forward tiers
   * and the development target list.
   *
   * @param timeUnitDays days per time unit of x's durations t_x and T (1 for day, 7 for week)
   * @param horizon the horizon of expected purchases and predicted CLV, in time units
   * @param discountRate annual discount rate of predicted CLV
   * @param aliveThreshold P(alive) at or above which a customer is likely alive (target list)
   * @param lapsedRule how the loyalty stage lapsed is decided
   * @param lapsedBelowPAlive with {@link LapsedRule#P_ALIVE}: lapsed below this P(alive)
   * @param abandonRequiresLowClv abandonment candidates also need predicted CLV at most {@code abandonMaxPredictedClv}
   * @param maxDistinctTriples the most distinct (x, t_x, T) rows fitted on the driver before durations are binned
   * @param maxIterations bound of each optimiser run
   */
  public record Clv(
      boolean enabled,
      String timeUnit,
      int timeUnitDays,
      int horizon,
      double discountRate,
      double aliveThreshold,
      LapsedRule lapsedRule,
      double lapsedBelowPAlive,
      boolean abandonRequiresLowClv,
      java.math.BigDecimal abandonMaxPredictedClv,
      int maxDistinctTriples,
      int maxIterations)
      implements Serializable {}

  /** Which rule makes a customer lapsed: a fixed day count, or P(alive) from the BG/NBD model. */
  public enum LapsedRule {
    DAYS("days"),
    P_ALIVE("p_alive");

    private final String configName;

    LapsedRule(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }
  }

  /** Spark session settings the job applies. */
  public record SparkSettings(String defaultMaster, String checkpointDir, int shufflePartitions) implements Serializable {}

  /**
   * Where the output tables are registered.
   *
   * @param metastore where the Hive metastore is
   * @param metastoreUri the thrift:// URIs of an external metastore; empty otherwise
   */
  public record Catalog(boolean enabled, String database, Metastore metastore, String metastoreUri) implements Serializable {}

  /** The kinds of Hive metastore the catalog can use. */
  public enum Metastore {
    /** Derby in {@code <output.root>/_metastore}, started inside the job's JVM. */
    EMBEDDED,
    /** A Hive metastore service at thrift:// URIs. */
    EXTERNAL,
    /** Whatever the Spark session is configured with (hive-site.xml, the platform's catalog). */
    SESSION
  }

  /**
   * The Thrift JDBC/ODBC server of {@code jobs/segment serve}.
   *
   * @param tls the key store of the server's TLS certificate, or {@link Tls#OFF} for plain TCP
   */
  public record Serve(String host, int port, ServeLogin login, Tls tls) implements Serializable {

    /** Loopback, no login, no TLS: what a single analyst on this machine needs. */
    public static Serve local(int port) {
      return new Serve("localhost", port, ServeLogin.NONE, Tls.OFF);
    }
  }

  /** How clients of {@code serve} prove who they are. */
  public enum LoginMethod {
    /** Any user name, no password: only for a server on the loopback address. */
    NONE,
    /** Names and salted password hashes in {@link ServeLogin#usersFile()} (jobs/segment serve-users). */
    PASSWORD,
    /** A simple bind to an LDAP or Active Directory server as the user. */
    LDAP
  }

  /**
   * @param usersFile the users file of {@link LoginMethod#PASSWORD} (also where serve-users writes)
   * @param ldap the directory of {@link LoginMethod#LDAP}
   */
  public record ServeLogin(LoginMethod method, String usersFile, Ldap ldap) implements Serializable {
    public static final ServeLogin NONE = new ServeLogin(LoginMethod.NONE, "conf/serve-users", Ldap.NONE);
  }

  /**
   * HiveServer2's LDAP pass-through: the server binds as {@code uid=<user>,<baseDn>} (or the user DN
   * pattern with %s, or user@domain) with the password the client sent.
   */
  public record Ldap(String url, String baseDn, String domain, String userDnPattern) implements Serializable {
    public static final Ldap NONE = new Ldap("", "", "", "");
  }

  /**
   * @param keystore the server's key store (PKCS12 or JKS) with its private key and certificate; "" = no TLS
   * @param passwordEnv the environment variable that holds the key store's password
   */
  public record Tls(String keystore, String passwordEnv) implements Serializable {
    public static final Tls OFF = new Tls("", "");

    public boolean enabled() {
      return !keystore.isEmpty();
    }
  }
}
