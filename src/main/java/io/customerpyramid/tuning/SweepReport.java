package io.customerpyramid.tuning;

import io.customerpyramid.segmentation.KSweep;
import io.customerpyramid.report.EmbeddedImage;
import io.customerpyramid.report.HtmlTemplate;
import io.customerpyramid.report.ReportFormat;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The sweep as people read it: a console table, the elbow and silhouette chart (PNG) and an HTML page embedding it. */
public final class SweepReport {

  private static final int WIDTH = 900;
  private static final int HEIGHT = 500;
  private static final HtmlTemplate PAGE = HtmlTemplate.named("k-sweep");

  private SweepReport() {}

  /** One line per k, the recommended k marked, then the rule. */
  public static String consoleTable(KSweep.Result result) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%4s %14s %10s %12s %9s %9s %9s %9s  %s%n",
        "k", "WSSSE", "silhouette", "Calinski-H", "Davies-B", "smallest", "stability", "matched", ""));
    for (KSweep.KSummary s : result.byK()) {
      out.append(String.format(Locale.ROOT, "%4d %14.2f %10.4f %12.2f %9.4f %9s %9s %9s  %s%n",
          s.k(), s.wssse(), s.silhouette(), s.calinskiHarabasz(), s.daviesBouldin(),
          ReportFormat.percent(s.smallestClusterShare(), 2), stability(s), previousMatch(s),
          (s.k() == result.recommendedK() ? "<- recommended" : "") + (s.eligible() ? "" : " (not eligible)")));
    }
    out.append("Recommended k = ").append(result.recommendedK()).append(System.lineSeparator());
    out.append("Rule: ").append(result.rule()).append(System.lineSeparator());
    return out.toString();
  }

  /** Elbow (mean WSSSE, left axis) and mean silhouette (right axis) against k, the recommended k marked. */
  public static byte[] chartPng(KSweep.Result result) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    XYSeries wssse = new XYSeries("WSSSE (elbow)");
    XYSeries silhouette = new XYSeries("silhouette");
    for (KSweep.KSummary s : result.byK()) {
      wssse.add(s.k(), s.wssse());
      if (!Double.isNaN(s.silhouette())) {
        silhouette.add(s.k(), s.silhouette());
      }
    }
    NumberAxis kAxis = new NumberAxis("k (number of clusters)");
    kAxis.setTickUnit(new NumberTickUnit(1));
    kAxis.setAutoRangeIncludesZero(false);
    NumberAxis wssseAxis = new NumberAxis("WSSSE (scaled features)");
    wssseAxis.setAutoRangeIncludesZero(false);
    NumberAxis silhouetteAxis = new NumberAxis("mean silhouette");
    silhouetteAxis.setAutoRangeIncludesZero(false);

    XYPlot plot = new XYPlot(new XYSeriesCollection(wssse), kAxis, wssseAxis, renderer(new Color(0x1f77b4)));
    plot.setOrientation(PlotOrientation.VERTICAL);
    plot.setRangeAxis(1, silhouetteAxis);
    plot.setDataset(1, new XYSeriesCollection(silhouette));
    plot.setRenderer(1, renderer(new Color(0xd62728)));
    plot.mapDatasetToRangeAxis(1, 1);
    ValueMarker marker = new ValueMarker(result.recommendedK(), Color.GRAY, new BasicStroke(1.5f));
    marker.setLabel("recommended k = " + result.recommendedK());
    plot.addDomainMarker(marker);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);

    JFreeChart chart = new JFreeChart("Choosing k: elbow (WSSSE) and silhouette", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    try (ByteArrayOutputStream png = new ByteArrayOutputStream()) {
      ChartUtils.writeChartAsPNG(png, chart, WIDTH, HEIGHT);
      return png.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot render the k sweep chart: " + e.getMessage(), e);
    }
  }

  private static XYLineAndShapeRenderer renderer(Color color) {
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    renderer.setSeriesPaint(0, color);
    renderer.setSeriesStroke(0, new BasicStroke(2f));
    return renderer;
  }

  /** A self-contained page: the chart embedded as base64 PNG, the table of every k and the rule. */
  public static String html(KSweep.Result result, String snapshotDate, byte[] png) {
    return PAGE.render(page(result, snapshotDate, png));
  }

  /** The page as UTF-8 bytes, for writing beside the k_sweep table. */
  public static byte[] htmlBytes(KSweep.Result result, String snapshotDate, byte[] png) {
    return PAGE.renderBytes(page(result, snapshotDate, png));
  }

  private static Page page(KSweep.Result result, String snapshotDate, byte[] png) {
    List<Row> rows = result.byK().stream()
        .map(s -> new Row(
            s.k(),
            s.k() == result.recommendedK(),
            ReportFormat.decimal(s.wssse(), 2),
            ReportFormat.decimal(s.silhouette(), 4),
            ReportFormat.decimal(s.calinskiHarabasz(), 2),
            ReportFormat.decimal(s.daviesBouldin(), 4),
            ReportFormat.percent(s.smallestClusterShare(), 2),
            stability(s),
            previousMatch(s),
            s.eligible() ? "yes" : "no"))
        .toList();
    return new Page(snapshotDate, result.recommendedK(), result.fallback(), result.rule(),
        EmbeddedImage.png("WSSSE and silhouette against k", png), rows);
  }

  /** Share of the k's segments that match the previous snapshot's; n/a without one. */
  private static String previousMatch(KSweep.KSummary s) {
    return s.previousMatch().map(v -> ReportFormat.percent(v, 0)).orElse("n/a");
  }

  private static String stability(KSweep.KSummary s) {
    return s.stability().map(v -> ReportFormat.decimal(v, 3)).orElse("n/a");
  }

  /** What the template {@code k-sweep.mustache} shows; the template escapes the text. */
  private record Page(
      String snapshotDate, int recommendedK, boolean fallback, String rule, EmbeddedImage chart, List<Row> rows) {}

  /** One k, its figures formatted. */
  private record Row(
      int k,
      boolean recommended,
      String wssse,
      String silhouette,
      String calinskiHarabasz,
      String daviesBouldin,
      String smallestCluster,
      String stability,
      String previousMatch,
      String eligible) {}
}
