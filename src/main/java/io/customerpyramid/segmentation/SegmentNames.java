package io.customerpyramid.segmentation;

import io.customerpyramid.schema.Columns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Names segments from what sets them apart, uniquely within a snapshot (docs/data-science.md,
 * "Segment names"). A name starts with the segment's value (from contribution), then the words of
 * its clustering features in order of the absolute z-score of their mean, at most {@value
 * #NOTABLE_WORDS} features at |z| of at least {@value #NOTABLE_Z}. Segments that would share a name
 * take their next feature each, in the same order, until no two share one; a feature below {@value
 * #NOTABLE_Z} reads "slightly …". Segments identical on every feature end with their id.
 */
public final class SegmentNames {

  static final double NOTABLE_Z = 0.5;
  static final int NOTABLE_WORDS = 2;
  static final String SEPARATOR = " · ";
  public static final String OUTLIERS = "outliers";

  /** Words for a feature's mean well above and well below the population's. */
  private record Words(String above, String below) {}

  private static final Map<String, Words> WORDS = wordsByFeature();

  private SegmentNames() {}

  /**
   * One segment as profiled: mean contribution and the z-score of each feature's mean (null for a
   * feature that is constant over the population).
   */
  public record Profile(int segmentId, double meanContribution, Map<String, Double> zScores) {}

  /** A feature that sets a segment apart: its z-score and the words the name uses for it. */
  public record Distinction(String feature, double zScore, String words) {}

  /**
   * The name of every segment.
   *
   * @param features the clustering features, in configuration order (ties in |z| follow it)
   * @param overrides names set in {@code segmentation.segment_names}: kept as they are, and no derived name repeats one
   * @param outliers segments kept under segmentation.min_segment_share: "outliers", followed by their
   *     derived name when there are several
   */
  public static Map<Integer, String> names(
      List<Profile> profiles, List<String> features, Map<Integer, String> overrides, java.util.Set<Integer> outliers) {
    if (outliers.size() == 1) {
      Map<Integer, String> fixed = new HashMap<>(overrides);
      fixed.putIfAbsent(outliers.iterator().next(), OUTLIERS);
      return names(profiles, features, fixed, java.util.Set.of());
    }
    Map<Integer, List<Distinction>> ordered = new TreeMap<>();
    Map<Integer, Integer> depth = new HashMap<>();
    for (Profile profile : profiles) {
      if (!overrides.containsKey(profile.segmentId())) {
        List<Distinction> distinctions = distinctions(profile, features);
        ordered.put(profile.segmentId(), distinctions);
        depth.put(
            profile.segmentId(),
            (int) Math.min(NOTABLE_WORDS, distinctions.stream().filter(d -> Math.abs(d.zScore()) >= NOTABLE_Z).count()));
      }
    }
    Map<Integer, Profile> byId = new HashMap<>();
    profiles.forEach(p -> byId.put(p.segmentId(), p));
    while (true) {
      Map<Integer, String> names = new TreeMap<>();
      for (Profile profile : profiles) {
        int id = profile.segmentId();
        names.put(
            id,
            overrides.containsKey(id)
                ? overrides.get(id)
                : (outliers.contains(id) ? OUTLIERS + SEPARATOR : "") + derived(byId.get(id), ordered.get(id), depth.get(id)));
      }
      Map<String, List<Integer>> holders = new LinkedHashMap<>();
      names.forEach((id, name) -> holders.computeIfAbsent(name, n -> new ArrayList<>()).add(id));
      boolean extended = false;
      boolean shared = false;
      for (List<Integer> ids : holders.values()) {
        if (ids.size() < 2) {
          continue;
        }
        shared = true;
        for (int id : ids) {
          if (depth.containsKey(id) && depth.get(id) < ordered.get(id).size()) {
            depth.put(id, depth.get(id) + 1);
            extended = true;
          }
        }
      }
      if (!shared) {
        return names;
      }
      if (!extended) {
        // Every feature is used and names still meet: the profiles are the same, the ids are not.
        Map<Integer, String> unique = new TreeMap<>();
        names.forEach((id, name) ->
            unique.put(id, holders.get(name).size() > 1 && !overrides.containsKey(id) ? name + SEPARATOR + "#" + id : name));
        return unique;
      }
    }
  }

  /**
   * The segment's clustering features other than contribution (which its value word states), by
   * absolute z-score, largest first; constant features and a z-score of 0 left out.
   */
  public static List<Distinction> distinctions(Profile profile, List<String> features) {
    List<Distinction> distinctions = new ArrayList<>();
    for (String feature : features) {
      Double z = profile.zScores().get(feature);
      // A z of exactly 0 is no difference at all: not a word.
      if (z != null && !Double.isNaN(z) && z != 0 && !feature.equals(Columns.CONTRIBUTION)) {
        distinctions.add(new Distinction(feature, z, words(feature, z)));
      }
    }
    // A stable sort: equal |z| keep the configuration's order.
    distinctions.sort(Comparator.comparingDouble((Distinction d) -> Math.abs(d.zScore())).reversed());
    return distinctions;
  }

  /** "loss-making" for a negative mean contribution, else high, mid or low value by its z-score. */
  static String value(Profile profile) {
    if (profile.meanContribution() < 0) {
      return "loss-making";
    }
    Double z = profile.zScores().get(Columns.CONTRIBUTION);
    if (z != null && z >= NOTABLE_Z) {
      return "high value";
    }
    if (z != null && z <= -NOTABLE_Z) {
      return "low value";
    }
    return "mid value";
  }

  private static String derived(Profile profile, List<Distinction> distinctions, int depth) {
    StringBuilder name = new StringBuilder(value(profile));
    for (Distinction d : distinctions.subList(0, depth)) {
      name.append(SEPARATOR).append(d.words());
    }
    return name.toString();
  }

  /** The words for a feature at z-score {@code z}: "slightly …" below {@value #NOTABLE_Z}. */
  static String words(String feature, double z) {
    Words words = WORDS.getOrDefault(feature, new Words("high " + feature, "low " + feature));
    String word = z >= 0 ? words.above() : words.below();
    return Math.abs(z) >= NOTABLE_Z ? word : "slightly " + word;
  }

  private static Map<String, Words> wordsByFeature() {
    Map<String, Words> words = new HashMap<>();
    words.put(Columns.RECENCY_DAYS, new Words("lapsed", "recent"));
    words.put(Columns.TENURE_DAYS, new Words("long-standing", "new"));
    words.put(Columns.FREQUENCY, new Words("frequent", "occasional"));
    words.put(Columns.REVENUE, new Words("high gross revenue", "low gross revenue"));
    words.put(Columns.RETURNS, new Words("high returns", "low returns"));
    words.put(Columns.NET_REVENUE, new Words("high spend", "low spend"));
    words.put(Columns.AVG_ORDER_VALUE, new Words("large orders", "small orders"));
    words.put(Columns.DISCOUNT_AMOUNT, new Words("high discounts", "low discounts"));
    words.put(Columns.DISCOUNT_RATE, new Words("discount-driven", "full-price"));
    words.put(Columns.RETURN_RATE, new Words("high return rate", "low return rate"));
    words.put(Columns.COST_OF_GOODS, new Words("high cost of goods", "low cost of goods"));
    words.put(Columns.SERVICE_COST, new Words("costly to serve", "cheap to serve"));
    words.put(Columns.CONTACT_COUNT, new Words("more contacts", "fewer contacts"));
    words.put(Columns.COMPLAINT_COUNT, new Words("more complaints", "fewer complaints"));
    words.put(Columns.INVOICE_COUNT, new Words("more invoices", "fewer invoices"));
    words.put(Columns.LATE_PAYMENT_RATE, new Words("often paying late", "paying on time"));
    words.put(Columns.AVG_DAYS_LATE, new Words("long payment delays", "short payment delays"));
    words.put(Columns.BAD_DEBT, new Words("high bad debt", "low bad debt"));
    words.put(Columns.CONTRIBUTION, new Words("high value", "low value"));
    return Map.copyOf(words);
  }

  /** "frequency 14.2 against 5.1 overall (z +2.10)": a distinction in words and numbers, for the report. */
  public static String describe(Distinction d, double segmentMean, double overallMean) {
    return String.format(
        Locale.ROOT, "%s: %s %s against %s overall (z %+.2f)", d.words(), d.feature(), number(segmentMean), number(overallMean),
        d.zScore());
  }

  private static String number(double value) {
    return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
  }
}
