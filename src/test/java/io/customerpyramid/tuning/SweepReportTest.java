package io.customerpyramid.tuning;

import io.customerpyramid.segmentation.KSweep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.testing.Fixtures;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The k sweep page from its template: figures, the recommended row, and text escaped by the engine. */
class SweepReportTest {

  private static final String AWKWARD = "2026-11-01 <b>&\"k's\"</b>";
  private static final byte[] NOT_A_PNG = {1, 2, 3};

  private static KSweep.Result result() {
    JobConfig.Tuning tuning = Fixtures.config().tuning();
    List<KSweep.Trial> trials = List.of(
        new KSweep.Trial(3, 1, 1234.5678, 0.61234, 88.125, 0.51234, 0.25, 3, 2 / 3.0),
        new KSweep.Trial(4, 1, 900.0, 0.7, 120.0, 0.4, 0.125, 4, Double.NaN));
    List<KSweep.KSummary> summaries = List.of(
        KSweep.summarise(3, List.of(trials.get(0)), Optional.of(0.95), tuning),
        KSweep.summarise(4, List.of(trials.get(1)), Optional.empty(), tuning));
    return KSweep.recommend(trials, summaries, tuning);
  }

  @Test
  void pageHoldsEveryKWithTheRecommendedOneMarked() {
    String html = SweepReport.html(result(), "2026-11-01", NOT_A_PNG);
    assertTrue(html.contains("<title>k sweep 2026-11-01</title>"), html);
    assertTrue(html.contains("<p><strong>Recommended k = 4</strong></p>"), html);
    assertTrue(html.contains("<tr><td>3</td><td>1234.57</td><td>0.6123</td><td>88.13</td><td>0.5123</td><td>25.00%</td>"
        + "<td>0.950</td><td>67%</td><td>yes</td></tr>"), html);
    assertTrue(html.contains("<tr class=\"recommended\"><td>4</td><td>900.00</td><td>0.7000</td><td>120.00</td><td>0.4000</td>"
        + "<td>12.50%</td><td>n/a</td><td>n/a</td><td>yes</td></tr>"), html);
    assertTrue(html.contains("src=\"data:image/png;base64,AQID\""), "the chart as a data URI, not escaped");
  }

  @Test
  void consoleTableLinesUpOneLinePerK() {
    String[] lines = SweepReport.consoleTable(result()).split(System.lineSeparator());
    assertEquals("   3        1234.57     0.6123        88.13    0.5123    25.00%     0.950       67%  ", lines[1]);
    assertEquals("   4         900.00     0.7000       120.00    0.4000    12.50%       n/a       n/a  <- recommended", lines[2]);
    assertEquals("Recommended k = 4", lines[3]);
  }

  @Test
  void textIsEscapedQuotesIncluded() {
    String html = SweepReport.html(result(), AWKWARD, NOT_A_PNG);
    assertFalse(html.contains(AWKWARD));
    assertFalse(html.contains("<b>"));
    String escaped = "2026-11-01 &lt;b&gt;&amp;&quot;k&#39;s&quot;&lt;/b&gt;";
    assertTrue(html.contains("<title>k sweep " + escaped + "</title>"), html);
    assertTrue(html.contains("<h1>Choosing k — snapshot " + escaped + "</h1>"), html);
    assertTrue(html.contains("(stability &gt;"), "the rule's comparison escaped");
    assertEquals(2, html.split("&lt;b&gt;", -1).length - 1, "the date appears escaped in the title and the heading");
  }
}
