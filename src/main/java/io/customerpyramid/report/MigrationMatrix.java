package io.customerpyramid.report;

import io.customerpyramid.migrations.Migrations;
import io.customerpyramid.report.ReportData.MigrationCell;
import io.customerpyramid.report.SnapshotPage.Change;
import io.customerpyramid.report.SnapshotPage.Migration;
import io.customerpyramid.report.SnapshotPage.MigrationCellView;
import io.customerpyramid.report.SnapshotPage.MigrationRow;
import io.customerpyramid.report.SnapshotPage.MigrationTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A migration table as the report shows it: every known group in order, cells shaded by their customers, totals. */
final class MigrationMatrix {

  /** Opacity of the blue of the cell with the most customers; the others are shaded in proportion. */
  private static final double MAX_CELL_OPACITY = 0.85;

  private MigrationMatrix() {}

  /**
   * The heading and, when there is a table, its matrix and stacked bar chart.
   *
   * @param groups the known groups in their order (tiers top first, loyalty stages)
   */
  static Migration of(String title, String id, Optional<ReportData.Migrations> migrations, List<String> groups,
      int chartWidth, int chartHeight) {
    if (migrations.isEmpty()) {
      return new Migration(title, null);
    }
    ReportData.Migrations m = migrations.get();
    List<String> from = labels(groups, Migrations.ENTERED, m.cells().stream().map(MigrationCell::from).toList());
    List<String> to = labels(groups, Migrations.LEFT, m.cells().stream().map(MigrationCell::to).toList());
    MigrationCell[][] cells = new MigrationCell[from.size()][to.size()];
    long[][] customers = new long[from.size()][to.size()];
    long maxCustomers = 0;
    for (MigrationCell c : m.cells()) {
      int i = from.indexOf(c.from());
      int j = to.indexOf(c.to());
      if (i >= 0 && j >= 0) {
        cells[i][j] = c;
        customers[i][j] = c.customers();
      }
      maxCustomers = Math.max(maxCustomers, c.customers());
    }

    List<MigrationRow> rows = new ArrayList<>();
    long[] columnTotals = new long[to.size()];
    for (int i = 0; i < from.size(); i++) {
      List<MigrationCellView> row = new ArrayList<>();
      long rowTotal = 0;
      for (int j = 0; j < to.size(); j++) {
        rowTotal += customers[i][j];
        columnTotals[j] += customers[i][j];
        row.add(cell(from.get(i), to.get(j), cells[i][j], maxCustomers));
      }
      rows.add(new MigrationRow(from.get(i), row, ReportFormat.count(rowTotal)));
    }
    List<String> totals = new ArrayList<>();
    long total = 0;
    for (long t : columnTotals) {
      totals.add(ReportFormat.count(t));
      total += t;
    }
    byte[] chart = SnapshotCharts.migrationChart(title + ": where each group went", from, to, customers, chartWidth, chartHeight);
    return new Migration(title, new MigrationTable(id, String.valueOf(m.previousSnapshotDate()),
        EmbeddedImage.png(title + ": where the customers of each group went", chart), to, rows, totals,
        ReportFormat.count(total)));
  }

  private static MigrationCellView cell(String from, String to, MigrationCell c, long maxCustomers) {
    long n = c == null ? 0 : c.customers();
    double intensity = maxCustomers > 0 ? (double) n / maxCustomers : 0;
    String shade = String.format(Locale.ROOT, "background:rgba(31,119,180,%.2f)", MAX_CELL_OPACITY * intensity)
        + (intensity > 0.5 ? ";color:#fff" : "");
    String rowShare = c == null || c.fromShare() == null ? null : ReportFormat.percent(c.fromShare());
    Change change = c == null ? null : new Change(ReportFormat.money(c.previousContribution()), ReportFormat.money(c.contribution()));
    return new MigrationCellView(from, to, from.equals(to), shade, ReportFormat.count(n), rowShare, change);
  }

  /** The known groups in their order, then any other label in the data, then the new / gone label. */
  private static List<String> labels(List<String> groups, String outside, List<String> present) {
    Set<String> labels = new LinkedHashSet<>(groups);
    present.stream().filter(l -> l != null && !l.equals(outside)).sorted().forEach(labels::add);
    labels.add(outside);
    return new ArrayList<>(labels);
  }
}
