package io.customerpyramid.pipeline;

import io.customerpyramid.books.Ledger;
import io.customerpyramid.ingest.InputCounts;
import io.customerpyramid.migrations.MigrationSummary;
import io.customerpyramid.schema.Tables;
import java.util.Locale;
import java.util.Map;

/** The short human summary printed at the end of a run. */
public final class RunSummary {

  private RunSummary() {}

  public static String render(RunResult r) {
    StringBuilder out = new StringBuilder();
    line(out, "customer-pyramid run %s: snapshot %s, %.1f s", r.runId(), r.snapshotDate(), r.totalSeconds());
    line(out, "");
    line(out, "Inputs            read    accepted    rejected  duplicates     after S");
    for (InputCounts c : r.inputs()) {
      if (!c.configured()) {
        line(out, "  %-10s  (%s: its features are zero or null)", c.input(), c.note());
        continue;
      }
      line(
          out,
          "  %-10s %9d  %10d  %10d  %10d  %10d%s",
          c.input(), c.read(), c.accepted(), c.rejectedExceptDuplicates(), c.duplicates(), c.afterSnapshot(),
          reasons(c.rejectedByReasonExceptDuplicates()));
    }
    line(out, "  (after S: valid rows dated on or after the snapshot date %s, data of later snapshots)", r.snapshotDate());
    line(out, "");
    line(out, "Money                  read        accepted        rejected         after S  in customer_features");
    for (Ledger l : r.books()) {
      line(
          out,
          "  %-10s %15s %15s %15s %15s %21s  %s",
          l.input(), money(l.read()), money(l.accepted()), money(l.rejected()), money(l.afterSnapshot()),
          money(l.inCustomerFeatures()), l.balanced() ? "balanced" : "NOT BALANCED");
    }
    line(out, "  (exact sums, rejected including duplicates, of %s)", booked(r));
    line(out, "");
    line(out, "Customers: %d in %d segments", r.customers(), r.segments());
    for (String note : r.segmentationNotes()) {
      line(out, "  %s", note);
    }
    line(out, "Pareto: %s", r.pareto().sentence());
    line(out, "");
    line(out, "Tier        customers  of customers  of contribution  of positive %s", r.pareto().measure());
    for (RunResult.TierLine t : r.tierRows()) {
      line(
          out,
          "  %-9s %9d  %11.1f%%  %14.1f%%  %10.1f%%",
          t.tier(),
          t.customers(),
          100 * t.customerShare(),
          100 * t.contributionShare(),
          100 * t.measureShare());
    }
    line(out, "Abandonment candidates (Small, loss-making, poor quality): %d", r.abandonmentCandidates());
    if (r.movement().isPresent()) {
      MigrationSummary m = r.movement().get();
      line(out, "Since %s: %d customers moved up a tier, %d down, %d stayed; %d new, %d gone",
          m.previousSnapshot(), m.up(), m.down(), m.stayed(), m.entered(), m.left());
    } else {
      line(out, "Movement between snapshots: none yet (no earlier snapshot; see jobs/segment backfill)");
    }
    r.clv().ifPresent(clv -> clv.lines().forEach(l -> line(out, "%s", l)));
    line(out, "");
    line(out, "Tables:   %s/{%s}/snapshot_date=%s/run_id=%s", r.outputRoot(), String.join(", ", Tables.written(r.clv().isPresent())), r.snapshotDate(), r.runId());
    r.catalogDatabase().ifPresent(db -> line(out, "Catalog:  database %s (query with SQL: jobs/segment serve)", db));
    r.reportPath().ifPresent(path -> line(out, "Report:   %s", path));
    line(out, "Manifest: %s (names the published run)", r.manifestPath());
    return out.toString();
  }

  private static String money(java.math.BigDecimal value) {
    return String.format(Locale.ROOT, "%,.2f", value);
  }

  private static String booked(RunResult r) {
    return String.join("; ", r.books().stream().map(l -> l.input() + ": " + l.amount()).toList());
  }

  private static String reasons(Map<String, Long> byReason) {
    if (byReason.isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder("   (");
    byReason.forEach((reason, count) -> s.append(s.length() > 4 ? ", " : "").append(reason).append(' ').append(count));
    return s.append(')').toString();
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
