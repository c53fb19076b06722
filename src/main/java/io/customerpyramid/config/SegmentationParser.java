package io.customerpyramid.config;

import static io.customerpyramid.config.ConfigChecks.RFM_SCORES;
import static io.customerpyramid.config.ConfigChecks.positiveInt;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.customerpyramid.config.JobConfig.RfmSegmentRule;
import io.customerpyramid.schema.Columns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses the {@code rfm.segments}, {@code segmentation.*} and {@code tiers.*} sections. */
final class SegmentationParser {

  private SegmentationParser() {}

  static List<RfmSegmentRule> parseRfmRules(Config c) {
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

  static int[] scoreRange(Config entry, String key, String where) {
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

  /** More segments than a marketer can give a strategy each; tune-k sweeps within it too. */
  static final int MAX_K = 50;

  static JobConfig.Segmentation parseSegmentation(Config c) {
    Object rawK = c.getValue("segmentation.k").unwrapped();
    List<Integer> autoRange = c.getIntList("segmentation.auto_k_range");
    if (autoRange.size() != 2 || autoRange.get(0) < 2 || autoRange.get(1) > MAX_K || autoRange.get(0) >= autoRange.get(1)) {
      throw new ConfigError("segmentation.auto_k_range must be [min, max] with 2 <= min < max <= " + MAX_K + ", got " + autoRange);
    }
    int autoSeeds = positiveInt(c, "segmentation.auto_k_seeds");
    boolean autoK = "auto".equals(String.valueOf(rawK).trim());
    if (!autoK && !String.valueOf(rawK).trim().matches("[0-9]+")) {
      throw new ConfigError("segmentation.k must be a whole number from 2 to " + MAX_K + " or \"auto\", got " + rawK);
    }
    // With "auto", k is the top of the range until the run chooses it (segment ids stay within it).
    int k = autoK ? autoRange.get(1) : c.getInt("segmentation.k");
    if (k < 2 || k > MAX_K) {
      throw new ConfigError("segmentation.k must be a whole number from 2 to " + MAX_K + " or \"auto\", got " + k);
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
      String name = String.valueOf(entry.getValue().unwrapped());
      if (segmentNames.containsValue(name)) {
        throw new ConfigError("segmentation.segment_names: '" + name + "' names two segments; every segment's name must be unique");
      }
      segmentNames.put(id, name);
    }
    double minSegmentShare = c.getDouble("segmentation.min_segment_share");
    if (minSegmentShare < 0 || minSegmentShare >= 0.5) {
      throw new ConfigError("segmentation.min_segment_share must be in [0, 0.5), got " + minSegmentShare);
    }
    double matchMaxDistance = c.getDouble("segmentation.match_max_distance");
    if (!(matchMaxDistance > 0)) {
      throw new ConfigError("segmentation.match_max_distance must be above 0, got " + matchMaxDistance);
    }
    String smallName = c.getString("segmentation.small_segments");
    JobConfig.SmallSegments small =
        java.util.Arrays.stream(JobConfig.SmallSegments.values())
            .filter(s -> s.configName().equals(smallName))
            .findFirst()
            .orElseThrow(() -> new ConfigError("segmentation.small_segments must be 'merge' or 'outliers', got '" + smallName + "'"));
    return new JobConfig.Segmentation(
        k, c.getLong("segmentation.seed"), maxIterations, List.copyOf(features), List.copyOf(logFeatures),
        algorithm, winsorize, scaling, correlationWarning, Map.copyOf(segmentNames), minSegmentShare, small,
        c.getBoolean("segmentation.drop_redundant_features"), matchMaxDistance,
        autoK ? java.util.Optional.of(new JobConfig.AutoK(autoRange.get(0), autoRange.get(1), autoSeeds)) : java.util.Optional.empty());
  }

  static JobConfig.Tiers parseTiers(Config c) {
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
}
