package io.customerpyramid.report;

import io.customerpyramid.features.LoyaltyStages;
import io.customerpyramid.report.ReportData.FeatureStats;
import io.customerpyramid.report.ReportData.MigrationCell;
import io.customerpyramid.report.ReportData.Migrations;
import io.customerpyramid.report.ReportData.Segment;
import io.customerpyramid.report.ReportData.TierLine;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.tiers.Tier;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.jfree.data.Range;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.general.DatasetUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * One snapshot as a self-contained HTML page: the Pareto headline, the Pareto / Lorenz curve with the
 * 80/20 point, the tier pyramid, the segment profiles and the tier and loyalty migrations, each chart
 * a JFreeChart PNG embedded as a data URI, so the page needs nothing but itself.
 */
public final class SnapshotReport {

  public static final int CHART_WIDTH = 900;
  public static final int CHART_HEIGHT = 500;
  /** The loyalty migration chart is smaller: four stages matter less than the tiers. */
  public static final int SMALL_CHART_WIDTH = 700;
  public static final int SMALL_CHART_HEIGHT = 380;
  /** Shown instead of the migrations when there is no earlier snapshot. */
  public static final String NO_MIGRATIONS =
      "There is no earlier snapshot to compare with: migrations start with the next snapshot.";
  /** The share of the measure the Pareto point is read at. */
  public static final double PARETO_SHARE = 0.8;

  /** Features shown per segment: value, activity and cost, the ones people ask about first. */
  static final List<String> KEY_FEATURES =
      List.of(
          Columns.RECENCY_DAYS,
          Columns.FREQUENCY,
          Columns.REVENUE,
          Columns.AVG_ORDER_VALUE,
          Columns.RETURN_RATE,
          Columns.DISCOUNT_RATE,
          Columns.SERVICE_COST,
          Columns.CONTRIBUTION);

  private static final Color BLUE = new Color(0x1f77b4);
  private static final Color ORANGE = new Color(0xff7f0e);
  private static final Color GRAY = new Color(0x7f7f7f);
  /** Top of the pyramid darkest; "(gone)" gray. */
  private static final Color[] GROUP_COLORS = {
    new Color(0x08306b), new Color(0x2171b5), new Color(0x6baed6), new Color(0xc6dbef), new Color(0xfdae6b), new Color(0x969696)
  };
  private static final List<String> TIER_LABELS = List.of(
      Tier.VIP.label(), Tier.MAJOR.label(), Tier.ORDINARY.label(), Tier.SMALL.label());
  private static final List<String> LOYALTY_LABELS =
      List.of(LoyaltyStages.NEW, LoyaltyStages.REGULAR, LoyaltyStages.LOYAL, LoyaltyStages.LAPSED);
  private static final double Z_FULL_SHADE = 2.0;
  private static final int TICKS = 12;
  private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

  private static final String STYLE =
      "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:2em auto;max-width:1240px;color:#222;padding:0 1em}"
          + "h1{margin-bottom:.2em}h2{margin-top:2em;border-bottom:2px solid #1f77b4;padding-bottom:.2em}"
          + ".headline{font-size:1.25em;background:#eef5fb;border-left:6px solid #1f77b4;padding:.6em 1em}"
          + ".figures{color:#555}img{max-width:100%;height:auto;display:block;margin:1em 0}"
          + "table{border-collapse:collapse;font-size:.8em;margin:1em 0}.scroll{overflow-x:auto}"
          + "td,th{border:1px solid #ccc;padding:3px 6px;text-align:right;vertical-align:top}"
          + "th{background:#f3f3f3}td.text,th.text{text-align:left}td.strategy{text-align:left}td.name{text-align:left;min-width:7em}"
          + "td.cell small{display:block;font-size:.8em;white-space:nowrap}td.stay{outline:2px solid #333;outline-offset:-2px}"
          + ".note{color:#555;font-style:italic}";

  private SnapshotReport() {}

  /** The page as UTF-8 bytes, for {@code TableWriter.writeFile}. */
  public static byte[] renderBytes(ReportData data) {
    return render(data).getBytes(StandardCharsets.UTF_8);
  }

  /** The whole page: headline, Pareto curve, tier pyramid, segments, migrations. */
  public static String render(ReportData data) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    String date = data.snapshotDate().toString();
    StringBuilder page = new StringBuilder();
    page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Customer pyramid — snapshot ").append(escape(date)).append("</title>\n")
        .append("<style>").append(STYLE).append("</style></head><body>\n")
        .append("<h1>Customer pyramid — snapshot ").append(escape(date)).append("</h1>\n");
    headline(page, data);
    paretoSection(page, data);
    tierSection(page, data);
    segmentSection(page, data);
    migrationSection(page, data);
    page.append("</body></html>\n");
    return page.toString();
  }

  // ---------------------------------------------------------------- 1. headline

  private static void headline(StringBuilder page, ReportData data) {
    var h = data.headline();
    String measure = measureName(h.measure());
    page.append("<p class=\"headline\">");
    if (h.positiveTotal() > 0) {
      page.append("<strong id=\"pareto-point\">").append(percent(h.customerShareForEightyPercent())).append("</strong>")
          .append(" of customers make ").append(paretoLevel()).append(" of ").append(escape(measure)).append('.');
    } else {
      page.append("No customer has a positive ").append(escape(measure)).append(": there is no Pareto point.");
    }
    page.append("</p>\n<p class=\"figures\">Snapshot <strong>").append(escape(data.snapshotDate().toString()))
        .append("</strong> · <strong>").append(count(h.customers())).append("</strong> customers")
        .append(" · top 20% of customers produce ").append(percent(h.topFifthShare())).append(" of ").append(escape(measure))
        .append(" · half of it comes from ").append(percent(h.customerShareForHalf())).append(" of customers")
        .append(" · Gini ").append(format("%.3f", h.gini()))
        .append(" · ").append(count(h.nonPositiveCustomers())).append(" customers with no positive ").append(escape(measure))
        .append("</p>\n");
  }

  // ---------------------------------------------------------------- 2. Pareto / Lorenz curve

  private static void paretoSection(StringBuilder page, ReportData data) {
    String measure = measureName(data.headline().measure());
    page.append("<h2>Pareto curve</h2>\n")
        .append(image("Cumulative share of " + measure + " against share of customers, best first", paretoChart(data)))
        .append("<p class=\"note\">Customers ranked by ").append(escape(measure))
        .append(", best first; the curve is the share of the positive ").append(escape(measure))
        .append(" they produce together. The diagonal is where every customer produces the same.</p>\n");
  }

  static byte[] paretoChart(ReportData data) {
    var h = data.headline();
    String measure = measureName(h.measure());
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
      double x = 100 * h.customerShareForEightyPercent();
      double y = 100 * PARETO_SHARE;
      plot.addDomainMarker(marker(x, null), Layer.BACKGROUND);
      ValueMarker level = marker(y, paretoLevel() + " of " + measure);
      // Below the line at the right: clear of the curve (above) and of the diagonal (left of 80%).
      level.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
      level.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
      level.setLabelOffset(new RectangleInsets(2, 2, 2, 6));
      plot.addRangeMarker(level, Layer.BACKGROUND);
      XYPointerAnnotation point =
          new XYPointerAnnotation(
              percent(h.customerShareForEightyPercent()) + " of customers → " + paretoLevel(), x, y, Math.PI / 4);
      point.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      point.setTextAnchor(TextAnchor.TOP_LEFT);
      point.setBaseRadius(8);
      point.setTipRadius(2);
      point.setArrowPaint(Color.BLACK);
      plot.addAnnotation(point);
    }
    styleXy(plot);
    return png(chart("Pareto curve: who produces the " + measure, plot), CHART_WIDTH, CHART_HEIGHT);
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

  // ---------------------------------------------------------------- 3. tier pyramid

  private static void tierSection(StringBuilder page, ReportData data) {
    String measure = measureName(data.headline().measure());
    page.append("<h2>Customer pyramid</h2>\n")
        .append(image("Share of customers and of contribution per tier", tierChart(data)))
        .append("<div class=\"scroll\"><table><tr><th class=\"text\">tier</th><th>customers</th><th>% customers</th><th>revenue</th>")
        .append("<th>% revenue</th><th>contribution</th><th>% contribution</th><th>% of positive ").append(escape(measure))
        .append("</th><th>avg revenue</th><th>avg contribution</th><th>avg orders</th><th>avg recency (days)</th>")
        .append("<th>abandonment<br>candidates</th></tr>\n");
    for (TierLine t : data.tiers()) {
      page.append("<tr><td class=\"text\"><strong>").append(escape(t.tier())).append("</strong></td>")
          .append(td(count(t.customers()))).append(td(percent(t.customerShare())))
          .append(td(money(t.revenue()))).append(td(percent(t.revenueShare())))
          .append(td(money(t.contribution()))).append(td(percent(t.contributionShare())))
          .append(td(percent(t.measureShare())))
          .append(td(money(t.avgRevenue()))).append(td(money(t.avgContribution())))
          .append(td(decimal(t.avgFrequency(), "%.2f"))).append(td(decimal(t.avgRecencyDays(), "%.1f")))
          .append(td(count(t.abandonmentCandidates()))).append("</tr>\n");
    }
    page.append("</table></div>\n<table><tr><th class=\"text\">tier</th><th class=\"text\">strategy</th></tr>\n");
    for (TierLine t : data.tiers()) {
      page.append("<tr><td class=\"text\"><strong>").append(escape(t.tier())).append("</strong></td><td class=\"strategy\">")
          .append(escape(strategy(t))).append("</td></tr>\n");
    }
    page.append("</table>\n");
  }

  /** The table's strategy, or the Tier enum's when the table has none. */
  private static String strategy(TierLine t) {
    if (t.strategy() != null && !t.strategy().isBlank()) {
      return t.strategy();
    }
    for (Tier tier : Tier.values()) {
      if (tier.label().equals(t.tier())) {
        return tier.strategy();
      }
    }
    return "";
  }

  static byte[] tierChart(ReportData data) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (TierLine t : data.tiers()) {
      dataset.addValue(100 * t.customerShare(), "share of customers", t.tier());
      dataset.addValue(100 * t.contributionShare(), "share of contribution", t.tier());
    }
    CategoryPlot plot = barPlot(dataset, "tier (top of the pyramid first)", "share (%)", PlotOrientation.HORIZONTAL);
    return png(chart("Customer pyramid: share of customers against share of contribution", plot), CHART_WIDTH, CHART_HEIGHT);
  }

  // ---------------------------------------------------------------- 4. segments

  private static void segmentSection(StringBuilder page, ReportData data) {
    page.append("<h2>Segments</h2>\n");
    if (data.segments().isEmpty()) {
      page.append("<p class=\"note\">No segment profiles in this snapshot.</p>\n");
      return;
    }
    page.append(image("Share of customers and of contribution per segment", segmentChart(data)))
        .append("<div class=\"scroll\"><table><tr><th colspan=\"7\" class=\"text\">the segment</th><th colspan=\"")
        .append(KEY_FEATURES.size()).append("\" class=\"text\">mean per customer</th></tr>\n<tr><th>segment</th><th class=\"text\">name</th><th>customers</th><th>% customers</th>")
        .append("<th>% revenue</th><th>total contribution</th><th>% contribution</th>");
    for (String feature : KEY_FEATURES) {
      page.append("<th>").append(escape(feature.replace('_', ' '))).append("</th>");
    }
    page.append("</tr>\n");
    for (Segment s : data.segments()) {
      page.append("<tr><td>").append(s.segmentId()).append("</td><td class=\"name\">").append(escape(s.name())).append("</td>")
          .append(td(count(s.customers()))).append(td(percent(s.customerShare()))).append(td(percent(s.revenueShare())))
          .append(td(money(s.contribution()))).append(td(percent(s.contributionShare())));
      for (String feature : KEY_FEATURES) {
        FeatureStats stats = s.features().get(feature);
        String mean = stats == null ? "–" : decimal(stats.mean(), "%,.2f");
        String z = stats == null || stats.zScore() == null ? "" : format("z = %.2f", stats.zScore());
        page.append("<td title=\"").append(escape(z)).append("\" style=\"").append(zShade(stats)).append("\">")
            .append(mean).append("</td>");
      }
      page.append("</tr>\n");
    }
    page.append("</table></div>\n<p class=\"note\">Means in original units, shaded by the z-score of the segment mean against all"
        + " customers: blue above the average, orange below (full colour at |z| ≥ 2).</p>\n");
  }

  private static String zShade(FeatureStats stats) {
    if (stats == null || stats.zScore() == null) {
      return "";
    }
    double z = stats.zScore();
    double alpha = Math.min(Math.abs(z) / Z_FULL_SHADE, 1.0) * 0.6;
    Color c = z >= 0 ? BLUE : ORANGE;
    return format("background:rgba(%d,%d,%d,%.2f)", c.getRed(), c.getGreen(), c.getBlue(), alpha);
  }

  static byte[] segmentChart(ReportData data) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (Segment s : data.segments()) {
      String label = s.segmentId() + " · " + s.name();
      dataset.addValue(s.customerShare() == null ? null : 100 * s.customerShare(), "share of customers", label);
      dataset.addValue(s.contributionShare() == null ? null : 100 * s.contributionShare(), "share of contribution", label);
    }
    CategoryPlot plot = barPlot(dataset, "segment", "share (%)", PlotOrientation.HORIZONTAL);
    plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.35f);
    return png(chart("Segments: share of customers against share of contribution", plot), CHART_WIDTH, CHART_HEIGHT);
  }

  // ---------------------------------------------------------------- 5. migrations

  private static void migrationSection(StringBuilder page, ReportData data) {
    page.append("<h2>Migrations since the previous snapshot</h2>\n");
    if (data.tierMigrations().isEmpty() && data.loyaltyMigrations().isEmpty()) {
      page.append("<p class=\"note\" id=\"no-migrations\">").append(escape(NO_MIGRATIONS)).append("</p>\n");
      return;
    }
    migration(page, "Tier migration", "tier", data.tierMigrations(), TIER_LABELS, CHART_WIDTH, CHART_HEIGHT);
    migration(page, "Loyalty stage migration", "loyalty", data.loyaltyMigrations(), LOYALTY_LABELS,
        SMALL_CHART_WIDTH, SMALL_CHART_HEIGHT);
  }

  private static void migration(StringBuilder page, String title, String id, Optional<Migrations> migrations,
      List<String> groups, int width, int height) {
    page.append("<h3>").append(escape(title)).append("</h3>\n");
    if (migrations.isEmpty()) {
      page.append("<p class=\"note\">").append(escape(NO_MIGRATIONS)).append("</p>\n");
      return;
    }
    Migrations m = migrations.get();
    List<String> from = labels(groups, io.customerpyramid.migrations.Migrations.ENTERED, m.cells().stream().map(MigrationCell::from).toList());
    List<String> to = labels(groups, io.customerpyramid.migrations.Migrations.LEFT, m.cells().stream().map(MigrationCell::to).toList());
    Map<String, MigrationCell> cells = new HashMap<>();
    long maxCustomers = 0;
    for (MigrationCell c : m.cells()) {
      cells.put(c.from() + "\u0000" + c.to(), c);
      maxCustomers = Math.max(maxCustomers, c.customers());
    }
    page.append("<p>From the snapshot of ").append(escape(String.valueOf(m.previousSnapshotDate())))
        .append(" (rows) to this one (columns): customers, their share of the row, and their contribution then → now."
            + " Framed cells stayed put.</p>\n")
        .append(image(title + ": where the customers of each group went",
            migrationChart(title + ": where each group went", from, to, cells, width, height)))
        .append("<table class=\"migration\" id=\"").append(escape(id)).append("-migration\"><tr><th class=\"text\">from \\ to</th>");
    for (String t : to) {
      page.append("<th>").append(escape(t)).append("</th>");
    }
    page.append("<th>total</th></tr>\n");
    long[] columnTotals = new long[to.size()];
    for (String f : from) {
      page.append("<tr><th class=\"text\">").append(escape(f)).append("</th>");
      long rowTotal = 0;
      for (int j = 0; j < to.size(); j++) {
        MigrationCell c = cells.get(f + "\u0000" + to.get(j));
        long n = c == null ? 0 : c.customers();
        rowTotal += n;
        columnTotals[j] += n;
        page.append(migrationCell(f, to.get(j), c, maxCustomers));
      }
      page.append("<td><strong>").append(count(rowTotal)).append("</strong></td></tr>\n");
    }
    page.append("<tr><th class=\"text\">total</th>");
    long total = 0;
    for (long t : columnTotals) {
      page.append("<td><strong>").append(count(t)).append("</strong></td>");
      total += t;
    }
    page.append("<td><strong>").append(count(total)).append("</strong></td></tr>\n</table>\n");
  }

  private static String migrationCell(String from, String to, MigrationCell c, long maxCustomers) {
    long n = c == null ? 0 : c.customers();
    double intensity = maxCustomers > 0 ? (double) n / maxCustomers : 0;
    StringBuilder cell = new StringBuilder("<td class=\"cell");
    if (from.equals(to)) {
      cell.append(" stay");
    }
    cell.append("\" data-from=\"").append(escape(from)).append("\" data-to=\"").append(escape(to)).append("\" style=\"")
        .append(format("background:rgba(31,119,180,%.2f)", 0.85 * intensity))
        .append(intensity > 0.5 ? ";color:#fff" : "").append("\">").append(count(n));
    if (c != null) {
      if (c.fromShare() != null) {
        cell.append("<small>").append(percent(c.fromShare())).append(" of row</small>");
      }
      cell.append("<small>").append(money(c.previousContribution())).append(" → ").append(money(c.contribution()))
          .append("</small>");
    }
    return cell.append("</td>").toString();
  }

  /** The known groups in their order, then any other label in the data, then the new / gone label. */
  private static List<String> labels(List<String> groups, String outside, List<String> present) {
    Set<String> labels = new LinkedHashSet<>(groups);
    present.stream().filter(l -> l != null && !l.equals(outside)).sorted().forEach(labels::add);
    labels.add(outside);
    return new ArrayList<>(labels);
  }

  static byte[] migrationChart(String title, List<String> from, List<String> to, Map<String, MigrationCell> cells,
      int width, int height) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (String f : from) {
      for (String t : to) {
        MigrationCell c = cells.get(f + "\u0000" + t);
        dataset.addValue(c == null ? 0 : c.customers(), "to " + t, f);
      }
    }
    CategoryPlot plot = new CategoryPlot(dataset, new CategoryAxis("from (previous snapshot)"), new NumberAxis("customers"),
        new StackedBarRenderer());
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setMaximumBarWidth(0.12);
    niceTicks((NumberAxis) plot.getRangeAxis(), DatasetUtils.findStackedRangeBounds(dataset), true);
    for (int i = 0; i < to.size(); i++) {
      boolean last = i == to.size() - 1;
      renderer.setSeriesPaint(i, last ? GROUP_COLORS[GROUP_COLORS.length - 1] : GROUP_COLORS[Math.min(i, GROUP_COLORS.length - 2)]);
    }
    styleCategory(plot);
    return png(chart(title, plot), width, height);
  }

  // ---------------------------------------------------------------- charts

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
    niceTicks(values, DatasetUtils.findRangeBounds(dataset), false);
    plot.addRangeMarker(new ValueMarker(0, Color.DARK_GRAY, new BasicStroke(1f)));
    styleCategory(plot);
    return plot;
  }

  /** About a dozen ticks of 1, 2 or 5 times a power of ten over the data's range (and 0); whole numbers for counts. */
  private static void niceTicks(NumberAxis axis, Range data, boolean counts) {
    if (data == null) {
      return;
    }
    double span = Math.max(data.getUpperBound(), 0) - Math.min(data.getLowerBound(), 0);
    double raw = span > 0 ? span / TICKS : 1;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = magnitude * (raw <= magnitude ? 1 : raw <= 2 * magnitude ? 2 : raw <= 5 * magnitude ? 5 : 10);
    axis.setTickUnit(new NumberTickUnit(counts ? Math.max(1, Math.round(step)) : step));
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

  private static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot) {
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

  private static String image(String alt, byte[] png) {
    return "<img alt=\"" + escape(alt) + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\">\n";
  }

  // ---------------------------------------------------------------- text

  /** Escapes text for HTML content and attribute values. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** "80%": the level the Pareto point is read at. */
  private static String paretoLevel() {
    return format("%.0f%%", 100 * PARETO_SHARE);
  }

  private static String measureName(String measure) {
    return measure.replace('_', ' ');
  }

  private static String td(String content) {
    return "<td>" + content + "</td>";
  }

  private static String format(String pattern, Object... values) {
    return String.format(Locale.ROOT, pattern, values);
  }

  /** A share as a percentage with one decimal: 0.123 → "12.3%". */
  static String percent(Double share) {
    return share == null ? "–" : format("%.1f%%", 100 * share);
  }

  private static String money(Double value) {
    return value == null ? "–" : format("%,.2f", value);
  }

  private static String count(long value) {
    return format("%,d", value);
  }

  private static String decimal(Double value, String pattern) {
    return value == null ? "–" : format(pattern, value);
  }
}
