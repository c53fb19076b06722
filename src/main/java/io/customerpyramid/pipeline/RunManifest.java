package io.customerpyramid.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.features.RfmScoring;
import io.customerpyramid.books.Ledger;
import io.customerpyramid.ingest.InputCounts;
import io.customerpyramid.schema.RunLocations;
import io.customerpyramid.schema.Tables;
import java.io.IOException;
import java.util.List;
import java.time.Instant;

/**
 * The run manifest: what ran, on what, with which result, and where its tables are, as JSON
 * (documented in docs/tables.md). Publishing a run is replacing its snapshot's manifest with it.
 */
public final class RunManifest {

  private RunManifest() {}

  /** The manifest JSON of a finished run. */
  public static String render(RunResult result, Instant startedAt, String sparkVersion, RfmScoring.Edges edges, JobConfig config) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("run_id", result.runId());
    root.put("status", "succeeded");
    root.put("started_at", startedAt.toString());
    root.put("finished_at", Instant.now().toString());
    root.put("snapshot_date", result.snapshotDate().toString());
    ObjectNode versions = root.putObject("versions");
    versions.put("customer_pyramid", Versions.jobVersion());
    versions.put("spark", sparkVersion);
    versions.put("scala", scala.util.Properties.versionNumberString());
    versions.put("java", System.getProperty("java.version"));
    ObjectNode inputs = root.putObject("inputs");
    for (InputCounts c : result.inputs()) {
      ObjectNode node = inputs.putObject(c.input());
      node.put("configured", c.configured());
      if (!c.note().isEmpty()) {
        node.put("note", c.note());
      }
      node.put("read", c.read());
      node.put("accepted", c.accepted());
      node.put("rejected", c.rejected());
      node.put("after_snapshot", c.afterSnapshot());
      ObjectNode reasons = node.putObject("rejected_by_reason");
      c.rejectedByReason().forEach(reasons::put);
    }
    ObjectNode books = root.putObject("books");
    for (Ledger l : result.books()) {
      ObjectNode node = books.putObject(l.input());
      node.put("amount", l.amount());
      node.put("read", l.read());
      node.put("accepted", l.accepted());
      node.put("rejected", l.rejected());
      node.put("after_snapshot", l.afterSnapshot());
      node.put("in_customer_features", l.inCustomerFeatures());
      node.put("balanced", l.balanced());
    }
    root.put("customers", result.customers());
    root.set("pareto", mapper.valueToTree(result.pareto()));
    root.set("tiers", mapper.valueToTree(result.tierRows()));
    root.put("segments", result.segments());
    result.segmentationNotes().forEach(root.putArray("segmentation_notes")::add);
    root.put("kmeans_training_cost", result.kmeansTrainingCost());
    root.put("abandonment_candidates", result.abandonmentCandidates());
    ObjectNode bins = root.putObject("rfm_edges");
    bins.set("recency_days", mapper.valueToTree(edges.recency()));
    bins.set("frequency", mapper.valueToTree(edges.frequency()));
    bins.set("net_revenue", mapper.valueToTree(edges.monetary()));
    root.set("seconds_by_stage", mapper.valueToTree(result.secondsByStage()));
    ObjectNode tables = root.putObject("tables");
    RunLocations locations = new RunLocations(config.outputRoot(), result.snapshotDate(), result.runId());
    List<String> written = Tables.written(result.clv().isPresent());
    written.forEach(t -> tables.put(t, locations.runPath(t)));
    root.put("model", locations.modelPath());
    result.catalogDatabase().ifPresent(database -> {
      ObjectNode catalog = root.putObject("catalog");
      catalog.put("database", database);
      ObjectNode versionsByTable = catalog.putObject("schema_versions");
      written.forEach(t -> versionsByTable.put(t, Tables.schemaVersion(t)));
    });
    result.movement().ifPresent(m -> {
      ObjectNode movement = root.putObject("movement");
      movement.put("previous_snapshot_date", m.previousSnapshot().toString());
      movement.put("up", m.up());
      movement.put("down", m.down());
      movement.put("stayed", m.stayed());
      movement.put("entered", m.entered());
      movement.put("left", m.left());
    });
    result.clv().ifPresent(clv -> {
      ObjectNode node = root.putObject("clv");
      node.put("time_unit", clv.model().timeUnit());
      node.put("horizon", clv.horizon());
      for (var fit : List.of(clv.model().bgNbd(), clv.model().gammaGamma())) {
        ObjectNode model = node.putObject(fit.model());
        fit.parameters().forEach(p -> model.put(p.name(), p.value()));
        model.put("log_likelihood", fit.logLikelihood());
        model.put("distinct_rows", fit.distinctRows());
      }
      node.put("bin_days", clv.model().binDays());
      node.put("frequency_value_correlation", clv.model().frequencyValueCorrelation());
      node.put("fit_seconds", clv.model().seconds());
      node.set("forward_tiers", mapper.valueToTree(clv.forwardCustomers()));
      node.put("development_targets", clv.targets());
      node.set("development_targets_by_tier", mapper.valueToTree(clv.targetsByTier()));
      node.put("lapsed_rule", clv.lapsedRule());
      node.put("abandonment_rule", clv.abandonmentRule());
    });
    result.reportPath().ifPresent(path -> root.put("report", path));
    try {
      JsonNode resolved = mapper.readTree(config.renderedConfig());
      root.set("config", resolved);
      return mapper.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot render the run manifest: " + e.getMessage(), e);
    }
  }
}
