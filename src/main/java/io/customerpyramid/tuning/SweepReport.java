package io.customerpyramid.tuning;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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

  private SweepReport() {}

  /** One line per k, the recommended k marked, then the rule. */
  public static String consoleTable(KSweep.Result result) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%4s %14s %10s %12s %9s %9s %9s  %s%n",
        "k", "WSSSE", "silhouette", "Calinski-H", "Davies-B", "smallest", "stability", ""));
    for (KSweep.KSummary s : result.byK()) {
      out.append(String.format(Locale.ROOT, "%4d %14.2f %10.4f %12.2f %9.4f %8.2f%% %9s  %s%n",
          s.k(), s.wssse(), s.silhouette(), s.calinskiHarabasz(), s.daviesBouldin(), 100 * s.smallestClusterShare(),
          s.stability().map(v -> String.format(Locale.ROOT, "%.3f", v)).orElse("n/a"),
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
    StringBuilder rows = new StringBuilder();
    for (KSweep.KSummary s : result.byK()) {
      rows.append(String.format(Locale.ROOT,
          "<tr%s><td>%d</td><td>%.2f</td><td>%.4f</td><td>%.2f</td><td>%.4f</td><td>%.2f%%</td><td>%s</td><td>%s</td></tr>%n",
          s.k() == result.recommendedK() ? " class=\"recommended\"" : "",
          s.k(), s.wssse(), s.silhouette(), s.calinskiHarabasz(), s.daviesBouldin(), 100 * s.smallestClusterShare(),
          s.stability().map(v -> String.format(Locale.ROOT, "%.3f", v)).orElse("n/a"), s.eligible() ? "yes" : "no"));
    }
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>k sweep " + escape(snapshotDate)
        + "</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}tr.recommended{background:#ffe9a8;font-weight:bold}</style>"
        + "</head><body>\n<h1>Choosing k — snapshot " + escape(snapshotDate) + "</h1>\n"
        + "<p><strong>Recommended k = " + result.recommendedK() + "</strong>" + (result.fallback() ? " (fallback)" : "") + "</p>\n"
        + "<p>Rule: " + escape(result.rule()) + ".</p>\n"
        + "<img alt=\"WSSSE and silhouette against k\" src=\"data:image/png;base64,"
        + Base64.getEncoder().encodeToString(png) + "\">\n"
        + "<table><tr><th>k</th><th>WSSSE</th><th>silhouette</th><th>Calinski–Harabasz</th><th>Davies–Bouldin</th>"
        + "<th>smallest cluster</th><th>stability</th><th>eligible</th></tr>\n" + rows + "</table>\n"
        + "<p>Means over seeds; smallest cluster is the worst seed's. WSSSE falls as k grows: look for the elbow."
        + " Silhouette (sampled) and Calinski–Harabasz: higher is better; Davies–Bouldin: lower is better.</p>\n"
        + "</body></html>\n";
  }

  public static byte[] htmlBytes(KSweep.Result result, String snapshotDate, byte[] png) {
    return html(result, snapshotDate, png).getBytes(StandardCharsets.UTF_8);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
