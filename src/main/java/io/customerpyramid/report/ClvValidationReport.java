package io.customerpyramid.report;

import io.customerpyramid.clv.ClvSummary;
import io.customerpyramid.clv.HoldoutValidation;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** validate-clv's result as people read it: a console table, a bar chart per frequency bucket and an HTML page. */
public final class ClvValidationReport {

  static final int WIDTH = 900;
  static final int HEIGHT = 450;
  private static final HtmlTemplate PAGE = HtmlTemplate.named("clv-validation");
  static final String ALT = "Mean purchases per customer in the holdout, actual and predicted";

  private ClvValidationReport() {}

  /** One line per bucket and the total. */
  public static String consoleTable(HoldoutValidation.Comparison result) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%-8s %10s %12s %12s %10s %10s%n",
        "x", "customers", "actual", "predicted", "actual/c", "pred./c"));
    for (HoldoutValidation.Bucket b : result.buckets()) {
      out.append(String.format(Locale.ROOT, "%-8s %10d %12d %12.1f %10.3f %10.3f%n",
          b.bucket(), b.customers(), b.actual(), b.predicted(), b.actualMean(), b.predictedMean()));
    }
    out.append(summarySentence(result)).append(System.lineSeparator());
    return out.toString();
  }

  /** "Predicted 1,234.5 purchase days in the 90-day holdout, 1,200 happened (+2.9 %)." */
  public static String summarySentence(HoldoutValidation.Comparison result) {
    HoldoutValidation.Bucket total = result.total();
    double error = total.actual() == 0 ? Double.NaN : (total.predicted() - total.actual()) / total.actual();
    return String.format(Locale.ROOT,
        "Fitted on the history before %s; predicted %,.1f purchase days in the %d-day holdout for its %,d customers,"
            + " %,d happened (%s).",
        result.calibrationEnd(), total.predicted(), result.holdoutDays(), total.customers(), total.actual(),
        Double.isNaN(error) ? "no purchase happened" : String.format(Locale.ROOT, "%+.1f %%", 100 * error));
  }

  /** Mean purchases per customer in the holdout, actual against predicted, per calibration frequency x. */
  public static byte[] chartPng(HoldoutValidation.Comparison result) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (HoldoutValidation.Bucket b : result.buckets()) {
      if (!HoldoutValidation.ALL.equals(b.bucket())) {
        dataset.addValue(b.actualMean(), "actual", b.bucket());
        dataset.addValue(b.predictedMean(), "predicted (BG/NBD)", b.bucket());
      }
    }
    CategoryPlot plot =
        new CategoryPlot(
            dataset,
            new CategoryAxis("repeat purchases x in the calibration period (before " + result.calibrationEnd() + ")"),
            new NumberAxis("mean purchase days per customer in the " + result.holdoutDays() + "-day holdout"),
            new BarRenderer());
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setSeriesPaint(0, SnapshotCharts.BLUE);
    renderer.setSeriesPaint(1, SnapshotCharts.ORANGE);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlineStroke(new BasicStroke(0.5f));
    JFreeChart chart =
        new JFreeChart("Holdout check: predicted against actual purchases", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    try (ByteArrayOutputStream png = new ByteArrayOutputStream()) {
      ChartUtils.writeChartAsPNG(png, chart, WIDTH, HEIGHT);
      return png.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot draw the validation chart: " + e.getMessage(), e);
    }
  }

  /** The page: the sentence, the chart, the table and the model fitted on the calibration period. */
  public static byte[] htmlBytes(HoldoutValidation.Result result, String snapshotDate, byte[] png) {
    return PAGE.renderBytes(new Page(
        snapshotDate, summarySentence(result.comparison()), EmbeddedImage.png(ALT, png), rows(result.comparison()),
        ClvSummary.parameters(result.model().bgNbd())));
  }

  static List<Row> rows(HoldoutValidation.Comparison result) {
    List<Row> rows = new ArrayList<>();
    for (HoldoutValidation.Bucket b : result.buckets()) {
      rows.add(new Row(b.bucket(), ReportFormat.count(b.customers()), ReportFormat.count(b.actual()),
          ReportFormat.decimal(b.predicted(), 1), ReportFormat.decimal(b.actualMean(), 3),
          ReportFormat.decimal(b.predictedMean(), 3)));
    }
    return rows;
  }

  record Page(String snapshotDate, String sentence, EmbeddedImage chart, List<Row> rows, String parameters) {}

  /** One bucket, formatted. */
  record Row(String bucket, String customers, String actual, String predicted, String actualMean, String predictedMean) {}
}
