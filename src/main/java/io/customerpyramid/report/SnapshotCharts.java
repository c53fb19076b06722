package io.customerpyramid.report;

import io.customerpyramid.report.ReportData.Segment;
import io.customerpyramid.report.ReportData.TierLine;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYPointerAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.general.DatasetUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The snapshot report's JFreeChart charts as PNG bytes: Pareto curve, tier pyramid, segments, migrations. */
final class SnapshotCharts {

  static final Color BLUE = new Color(0x1f77b4);
  static final Color ORANGE = new Color(0xff7f0e);
  private static final Color GRAY = new Color(0x7f7f7f);
  /** Top of the pyramid darkest; "(gone)" gray. */
  private static final Color[] GROUP_COLORS = {
    new Color(0x08306b), new Color(0x2171b5), new Color(0x6baed6), new Color(0xc6dbef), new Color(0xfdae6b), new Color(0x969696)
  };
  private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

  private SnapshotCharts() {}

  /** The Lorenz curve of the measure against the diagonal, the Pareto point marked when there is one. */
  static byte[] paretoChart(ReportData data, String measure) {
    var h = data.headline();
    XYSeries curve = new XYSeries("cumulative share of " + measure, false, true);
    for (ReportData.CurvePoint p : data.curve()) {
      curve.add(100 * p.customerShare(), 100 * p.cumulativeShare());
    }
    XYSeries equality = new XYSeries("equality", false, true);
    equality.add(0, 0);
    equality.add(100, 100);
    XYSeriesCollection series = new XYSeriesCollection();
    series.addSeries(curve);
    series.addSeries(equality);

    NumberAxis customers = new NumberAxis("share of customers, best first (%)");
    customers.setRange(0, 100);
    customers.setTickUnit(new NumberTickUnit(10));
    NumberAxis share = new NumberAxis("cumulative share of " + measure + " (%)");
    share.setRange(0, 102);
    share.setTickUnit(new NumberTickUnit(10));
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesPaint(0, BLUE);
    renderer.setSeriesStroke(0, new BasicStroke(2.5f));
    renderer.setSeriesPaint(1, GRAY);
    renderer.setSeriesStroke(1, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    XYPlot plot = new XYPlot(series, customers, share, renderer);

    if (h.positiveTotal() > 0) {
      String level = SnapshotReport.paretoLevel();
      double x = 100 * h.customerShareForEightyPercent();
      double y = 100 * SnapshotReport.PARETO_SHARE;
      plot.addDomainMarker(marker(x, null), Layer.BACKGROUND);
      ValueMarker levelMarker = marker(y, level + " of " + measure);
      // Below the line at the right: clear of the curve (above) and of the diagonal (left of 80%).
      levelMarker.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
      levelMarker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
      levelMarker.setLabelOffset(new RectangleInsets(2, 2, 2, 6));
      plot.addRangeMarker(levelMarker, Layer.BACKGROUND);
      XYPointerAnnotation point =
          new XYPointerAnnotation(
              ReportFormat.percent(h.customerShareForEightyPercent()) + " of customers → " + level, x, y, Math.PI / 4);
      point.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      point.setTextAnchor(TextAnchor.TOP_LEFT);
      point.setBaseRadius(8);
      point.setTipRadius(2);
      point.setArrowPaint(Color.BLACK);
      plot.addAnnotation(point);
    }
    styleXy(plot);
    return png(chart("Pareto curve: who produces the " + measure, plot), SnapshotReport.CHART_WIDTH, SnapshotReport.CHART_HEIGHT);
  }

  private static ValueMarker marker(double value, String label) {
    ValueMarker marker =
        new ValueMarker(value, new Color(0xd62728), new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {4f, 3f}, 0f));
    if (label != null) {
      marker.setLabel(label);
      marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      marker.setLabelBackgroundColor(new Color(255, 255, 255, 0));
    }
    return marker;
  }

  /** Share of customers against share of contribution per tier, top of the pyramid first. */
  static byte[] tierChart(ReportData data) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (TierLine t : data.tiers()) {
      dataset.addValue(100 * t.customerShare(), "share of customers", t.tier());
      dataset.addValue(100 * t.contributionShare(), "share of contribution", t.tier());
    }
    CategoryPlot plot = barPlot(dataset, "tier (top of the pyramid first)", "share (%)", PlotOrientation.HORIZONTAL);
    return png(chart("Customer pyramid: share of customers against share of contribution", plot),
        SnapshotReport.CHART_WIDTH, SnapshotReport.CHART_HEIGHT);
  }

  /** Share of customers against share of contribution per segment. */
  static byte[] segmentChart(ReportData data) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (Segment s : data.segments()) {
      String label = s.segmentId() + " · " + s.name();
      dataset.addValue(s.customerShare() == null ? null : 100 * s.customerShare(), "share of customers", label);
      dataset.addValue(s.contributionShare() == null ? null : 100 * s.contributionShare(), "share of contribution", label);
    }
    CategoryPlot plot = barPlot(dataset, "segment", "share (%)", PlotOrientation.HORIZONTAL);
    plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.35f);
    return png(chart("Segments: share of customers against share of contribution", plot),
        SnapshotReport.CHART_WIDTH, SnapshotReport.CHART_HEIGHT);
  }

  /** Where each group went: one stacked bar per "from" group, one colour per "to" group, the last one gray. */
  static byte[] migrationChart(String title, List<String> from, List<String> to, long[][] customers, int width, int height) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (int i = 0; i < from.size(); i++) {
      for (int j = 0; j < to.size(); j++) {
        dataset.addValue(customers[i][j], "to " + to.get(j), from.get(i));
      }
    }
    CategoryPlot plot = new CategoryPlot(dataset, new CategoryAxis("from (previous snapshot)"), new NumberAxis("customers"),
        new StackedBarRenderer());
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setMaximumBarWidth(0.12);
    ChartTicks.apply((NumberAxis) plot.getRangeAxis(), DatasetUtils.findStackedRangeBounds(dataset), true);
    for (int i = 0; i < to.size(); i++) {
      boolean last = i == to.size() - 1;
      renderer.setSeriesPaint(i, last ? GROUP_COLORS[GROUP_COLORS.length - 1] : GROUP_COLORS[Math.min(i, GROUP_COLORS.length - 2)]);
    }
    styleCategory(plot);
    return png(chart(title, plot), width, height);
  }

  private static CategoryPlot barPlot(DefaultCategoryDataset dataset, String categoryLabel, String valueLabel,
      PlotOrientation orientation) {
    BarRenderer renderer = new BarRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setItemMargin(0.05);
    renderer.setSeriesPaint(0, BLUE);
    renderer.setSeriesPaint(1, ORANGE);
    DecimalFormat oneDecimal = new DecimalFormat("0.0'%'", DecimalFormatSymbols.getInstance(Locale.ROOT));
    renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", oneDecimal));
    renderer.setDefaultItemLabelsVisible(true);
    renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
    renderer.setDefaultNegativeItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE9, TextAnchor.CENTER_RIGHT));
    NumberAxis values = new NumberAxis(valueLabel);
    values.setUpperMargin(0.12);
    values.setLowerMargin(0.1);
    CategoryPlot plot = new CategoryPlot(dataset, new CategoryAxis(categoryLabel), values, renderer);
    plot.setOrientation(orientation);
    ChartTicks.apply(values, DatasetUtils.findRangeBounds(dataset), false);
    plot.addRangeMarker(new ValueMarker(0, Color.DARK_GRAY, new BasicStroke(1f)));
    styleCategory(plot);
    return plot;
  }

  private static void styleCategory(CategoryPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
    plot.getDomainAxis().setTickLabelFont(TICK_FONT);
    plot.getRangeAxis().setTickLabelFont(TICK_FONT);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setOutlineVisible(false);
    plot.getDomainAxis().setCategoryMargin(0.25);
  }

  private static void styleXy(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.getDomainAxis().setTickLabelFont(TICK_FONT);
    plot.getRangeAxis().setTickLabelFont(TICK_FONT);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setOutlineVisible(false);
  }

  private static JFreeChart chart(String title, Plot plot) {
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    // Room on the right for the last tick label of the value axis.
    chart.setPadding(new RectangleInsets(4, 4, 4, 16));
    return chart;
  }

  private static byte[] png(JFreeChart chart, int width, int height) {
    try (ByteArrayOutputStream png = new ByteArrayOutputStream()) {
      ChartUtils.writeChartAsPNG(png, chart, width, height);
      return png.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot render the chart '" + chart.getTitle().getText() + "': " + e.getMessage(), e);
    }
  }
}
