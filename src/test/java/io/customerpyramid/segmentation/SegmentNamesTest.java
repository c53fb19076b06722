package io.customerpyramid.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.customerpyramid.schema.Columns;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The naming rule of docs/data-science.md on hand-made profiles: no Spark. */
class SegmentNamesTest {

  private static final List<String> FEATURES =
      List.of(Columns.RECENCY_DAYS, Columns.FREQUENCY, Columns.NET_REVENUE, Columns.RETURN_RATE, Columns.DISCOUNT_RATE,
          Columns.CONTRIBUTION);

  /** z-scores in the order of FEATURES (null = constant feature). */
  private static SegmentNames.Profile profile(int id, double meanContribution, Double... z) {
    Map<String, Double> scores = new HashMap<>();
    for (int i = 0; i < z.length; i++) {
      scores.put(FEATURES.get(i), z[i]);
    }
    return new SegmentNames.Profile(id, meanContribution, scores);
  }

  @Test
  void aNameIsTheValueThenAtMostTwoNotableFeaturesByAbsoluteZScore() {
    Map<Integer, String> names =
        SegmentNames.names(
            List.of(
                profile(1, 900, -1.2, 2.5, 0.7, 0.1, -0.9, 1.8),
                profile(2, 40, 0.3, -0.2, 0.1, 0.2, 0.6, -0.1),
                profile(3, -15, 1.5, -0.4, -0.1, 3.0, 0.2, -1.0)),
            FEATURES, Map.of(), Set.of());
    // 1: frequency 2.5, then recency -1.2 (contribution is the value word, not a feature word).
    assertEquals("high value · frequent · recent", names.get(1));
    // 2: only discount_rate reaches |z| 0.5.
    assertEquals("mid value · discount-driven", names.get(2));
    // 3: negative mean contribution; return rate 3.0, recency 1.5.
    assertEquals("loss-making · high return rate · lapsed", names.get(3));
  }

  @Test
  void segmentsThatWouldShareANameTakeTheirNextFeatureUntilTheyDiffer() {
    // Same value and same two leading features; they differ on net revenue (third by |z|), then on return rate.
    Map<Integer, String> names =
        SegmentNames.names(
            List.of(
                profile(1, 100, 1.0, 2.0, 0.6, 0.1, 0.0, 0.0),
                profile(2, 100, 1.1, 2.1, -0.55, 0.1, 0.0, 0.0),
                profile(3, 100, 0.9, 1.9, 0.3, 0.2, 0.0, 0.0),
                profile(4, 100, 0.95, 1.95, 0.3, -0.2, 0.0, 0.0),
                profile(5, 100, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0)),
            FEATURES, Map.of(), Set.of());
    assertEquals("mid value · frequent · lapsed · high spend", names.get(1));
    assertEquals("mid value · frequent · lapsed · low spend", names.get(2));
    // 3 and 4 also share their third word (slightly high spend): each takes a fourth.
    assertEquals("mid value · frequent · lapsed · slightly high spend · slightly high return rate", names.get(3));
    assertEquals("mid value · frequent · lapsed · slightly high spend · slightly low return rate", names.get(4));
    // 5: contribution z 3.0, the rest 0 (not constant: zero z is a feature, just not a distinction worth a word).
    assertEquals("high value", names.get(5));
    assertEquals(5, new HashSet<>(names.values()).size());
  }

  @Test
  void equalAbsoluteZScoresFollowTheConfiguredFeatureOrder() {
    // recency and frequency both at |z| 0.8: recency comes first in FEATURES; a near-tie goes by size.
    Map<Integer, String> names =
        SegmentNames.names(
            List.of(profile(1, 10, 0.8, -0.8, 0.0, 0.0, 0.0, 0.0), profile(2, 10, 0.8, -0.8001, 0.0, 0.0, 0.0, 0.0)),
            FEATURES, Map.of(), Set.of());
    assertEquals("mid value · lapsed · occasional", names.get(1));
    assertEquals("mid value · occasional · lapsed", names.get(2));
  }

  @Test
  void identicalProfilesEndWithTheirSegmentId() {
    Map<Integer, String> names =
        SegmentNames.names(
            List.of(profile(1, 5, 1.0, null, 0.0, 0.0, 0.0, 0.0), profile(2, 5, 1.0, null, 0.0, 0.0, 0.0, 0.0)),
            FEATURES, Map.of(), Set.of());
    // frequency is constant (no z) and a z of 0 is no difference: neither is ever a word. With nothing
    // left to add, the ids tell them apart.
    assertEquals("mid value · lapsed · #1", names.get(1));
    assertEquals("mid value · lapsed · #2", names.get(2));
  }

  @Test
  void anOverrideIsKeptAndNoDerivedNameRepeatsIt() {
    Map<Integer, String> names =
        SegmentNames.names(
            List.of(profile(1, 500, 0.0, 1.0, 0.0, 0.0, 0.0, 2.0), profile(2, 50, 0.0, -1.0, 0.3, 0.0, 0.0, -0.2)),
            FEATURES, Map.of(1, "mid value · occasional"), Set.of());
    assertEquals("mid value · occasional", names.get(1));
    assertEquals("mid value · occasional · slightly high spend", names.get(2));
  }

  @Test
  void aSmallSegmentKeptAsOutliersIsNamedSo() {
    List<SegmentNames.Profile> profiles =
        List.of(profile(1, 500, 0.0, 1.0, 0.0, 0.0, 0.0, 2.0), profile(2, 50, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0),
            profile(3, -900, 0.0, 0.0, 0.0, 6.0, 0.0, -4.0), profile(4, 10, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0));
    assertEquals("outliers", SegmentNames.names(profiles, FEATURES, Map.of(), Set.of(3)).get(3));
    Map<Integer, String> two = SegmentNames.names(profiles, FEATURES, Map.of(), Set.of(3, 4));
    assertEquals("outliers · loss-making · high return rate", two.get(3));
    assertEquals("outliers · mid value · lapsed", two.get(4));
    assertEquals("high value · frequent", two.get(1));
  }

  @Test
  void theReportDescribesADistinctionInWordsAndNumbers() {
    SegmentNames.Distinction frequency =
        SegmentNames.distinctions(profile(1, 10, 0.2, 2.1, 0.0, 0.0, 0.0, 0.0), FEATURES).get(0);
    assertEquals("frequent: frequency 14.20 against 5.10 overall (z +2.10)", SegmentNames.describe(frequency, 14.2, 5.1));
  }
}
