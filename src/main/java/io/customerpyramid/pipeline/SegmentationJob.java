package io.customerpyramid.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.to_date;

import io.customerpyramid.books.Books;
import io.customerpyramid.config.InputSource;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.features.CustomerFeatures;
import io.customerpyramid.features.LoyaltyStages;
import io.customerpyramid.features.QualityRating;
import io.customerpyramid.features.RfmScoring;
import io.customerpyramid.features.RfmSegments;
import io.customerpyramid.features.Snapshot;
import io.customerpyramid.ingest.CheckedInput;
import io.customerpyramid.ingest.ContactsIngest;
import io.customerpyramid.ingest.InputCounts;
import io.customerpyramid.ingest.InputError;
import io.customerpyramid.ingest.InputReader;
import io.customerpyramid.ingest.InvoicesIngest;
import io.customerpyramid.ingest.KnownCustomers;
import io.customerpyramid.ingest.OrdersIngest;
import io.customerpyramid.ingest.ReturnsIngest;
import io.customerpyramid.migrations.MigrationSummary;
import io.customerpyramid.migrations.Migrations;
import io.customerpyramid.migrations.FinishedSnapshots;
import io.customerpyramid.output.TableWriter;
import io.customerpyramid.schema.Tables;
import io.customerpyramid.pareto.ParetoCurve;
import io.customerpyramid.pareto.ParetoHeadline;
import io.customerpyramid.pareto.ParetoRanking;
import io.customerpyramid.report.ReportData;
import io.customerpyramid.report.SnapshotReport;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.segmentation.KMeansSegmentation;
import io.customerpyramid.segmentation.SegmentProfiles;
import io.customerpyramid.tiers.TierAssignment;
import io.customerpyramid.tiers.TierSummary;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The segmentation job end to end: ingest, features, RFM and labels, k-means, Pareto, tiers,
 * tables, manifest. Each step is a named stage; the stages' logic lives in their own packages.
 */
public final class SegmentationJob {

  private static final int STAGES = 11;
  private static final org.apache.logging.log4j.Logger LOG = org.apache.logging.log4j.LogManager.getLogger(SegmentationJob.class);
  private static final int FEATURE_STAGES = 3;

  private final SparkSession spark;
  private final JobConfig config;
  private final StageTracker stages;
  private final Optional<String> savedModel;
  private final String runId = UUID.randomUUID().toString();
  private final Instant startedAt = Instant.now();
  private final long startNanos = System.nanoTime();

  public SegmentationJob(SparkSession spark, JobConfig config) {
    this(spark, config, STAGES, Optional.empty());
  }

  /** @param savedModel a model saved by an earlier run ({@code _models/snapshot_date=S}): segments are scored with it, not refitted */
  public SegmentationJob(SparkSession spark, JobConfig config, Optional<String> savedModel) {
    this(spark, config, STAGES, savedModel);
  }

  private SegmentationJob(SparkSession spark, JobConfig config, int stageCount, Optional<String> savedModel) {
    this.spark = spark;
    this.config = config;
    this.stages = new StageTracker(spark, stageCount);
    this.savedModel = savedModel;
  }

  /** A job that only ingests and builds features (its three stages), for tools such as tune-k. */
  public static SegmentationJob featuresOnly(SparkSession spark, JobConfig config) {
    return new SegmentationJob(spark, config, FEATURE_STAGES, Optional.empty());
  }

  /**
   * Customers with their features and labels, as the run computes them before segmentation.
   *
   * @param customers one row per customer, cached and cut from the inputs' lineage
   */
  public record CustomerTable(Dataset<Row> customers, LocalDate snapshotDate, long count) {}

  /** Ingest and features only; the inputs are released, the returned customers stay cached until the cuts close. */
  public CustomerTable customerFeatures(LineageCuts cuts) {
    Ingested inputs = stages.run("ingest-orders", "Reading and checking orders", this::ingestOrders);
    Ingested all = stages.run("ingest-others", "Reading returns, contacts and invoices", () -> ingestSecondary(inputs));
    Labelled features = stages.run("features", "Customer features, RFM scores and labels", () -> features(all, cuts));
    unpersist(all);
    return new CustomerTable(features.customers(), all.snapshot().date(), features.count());
  }

  /**
   * Ingested inputs: each checked input with its counts; absent optional inputs are empty.
   *
   * @param cachedOrders the persisted orders that {@code orders} marks rows of later snapshots in (what to unpersist)
   */
  private record Ingested(
      CheckedInput orders,
      CheckedInput cachedOrders,
      Optional<CheckedInput> returns,
      Optional<CheckedInput> contacts,
      Optional<CheckedInput> invoices,
      List<InputCounts> counts,
      Snapshot snapshot) {}

  public RunResult run() {
    try (LineageCuts cuts = new LineageCuts(spark, config.spark().checkpointDir() + "/" + runId)) {
      return run(cuts);
    }
  }

  private RunResult run(LineageCuts cuts) {
    Ingested inputs = stages.run("ingest-orders", "Reading and checking orders", this::ingestOrders);
    Ingested all = stages.run("ingest-others", "Reading returns, contacts and invoices", () -> ingestSecondary(inputs));
    Snapshot snapshot = all.snapshot();
    TableWriter writer = TableWriter.forJob(spark, config, snapshot.date());

    Labelled features = stages.run("features", "Customer features, RFM scores and labels", () -> features(all, cuts));
    Dataset<Row> labelled = features.customers();
    RfmScoring.Edges edges = features.edges();
    long customers = features.count();
    Books books =
        stages.run(
            "books",
            "Checking the books: input money against customer_features",
            () -> Books.of(List.of(Optional.of(all.orders()), all.returns(), all.contacts(), all.invoices()), labelled));
    books.requireBalanced();

    KMeansSegmentation.Result segmentation =
        stages.run(
            "kmeans",
            savedModel.map(path -> "Segments from the saved model " + path)
                .orElse(config.segmentation().algorithm().configName() + " segmentation (k=" + config.segmentation().k() + ")"),
            () -> segment(labelled));
    Dataset<Row> segmented = cuts.cut(labelled.join(segmentation.assignments(), new String[] {Columns.CUSTOMER_ID}, "inner"));

    ParetoRanking.Ranked ranked =
        stages.run("pareto", "Pareto ranking by " + config.pareto().measure(), () -> ParetoRanking.rank(segmented, config.pareto().measure()));
    ParetoHeadline headline = ParetoHeadline.of(ranked, config.pareto().measure());
    Dataset<Row> tiered =
        stages.run("tiers", "Tiers", () -> cuts.cut(TierAssignment.withTiers(ranked.customers(), config.tiers())));
    ranked.release();
    Dataset<Row> tierSummary = TierSummary.build(spark, tiered).cache();
    List<RunResult.TierLine> tierLines = tierLines(tierSummary);
    Optional<LocalDate> previousDate = FinishedSnapshots.before(spark, config.outputRoot(), snapshot.date());
    Optional<Movement> movement =
        stages.run(
            "migrations",
            previousDate.map(date -> "Movement between tiers and loyalty stages since " + date)
                .orElse("Movement between snapshots: no earlier snapshot in " + config.outputRoot()),
            () -> previousDate.map(date -> movement(writer, date, tiered)));

    Dataset<Row> profiles = SegmentProfiles.build(segmented, config.segmentation().segmentNames()).cache();
    Dataset<Row> curve = ParetoCurve.build(spark, tiered, ranked.customerCount(), config.pareto().curvePoints()).cache();
    stages.run(
        "write",
        "Writing tables to " + config.outputRoot(),
        () -> {
          writer.write(labelled.select(featureColumns()), Tables.CUSTOMER_FEATURES);
          writer.write(customerSegments(tiered), Tables.CUSTOMER_SEGMENTS);
          writer.writeSmall(profiles, Tables.SEGMENT_PROFILES);
          writer.writeSmall(tierSummary, Tables.TIER_SUMMARY);
          writer.writeSmall(curve, Tables.PARETO_CURVE);
          writer.writeSmall(RfmScoring.bins(spark, labelled, edges), Tables.RFM_BINS);
          writer.write(rejects(all), Tables.REJECTS);
          if (movement.isPresent()) {
            writer.writeSmall(movement.get().tiers(), Tables.TIER_MIGRATIONS);
            writer.writeSmall(movement.get().loyaltyStages(), Tables.LOYALTY_MIGRATIONS);
          } else {
            // No rows, but the tables exist in the catalog from the first snapshot on, and a rerun
            // after the earlier snapshots were deleted keeps no movement against them.
            Dataset<Row> none = tiered.limit(0);
            writer.write(Migrations.between(none, snapshot.date(), none, Migrations.TIER), Tables.TIER_MIGRATIONS);
            writer.write(Migrations.between(none, snapshot.date(), none, Migrations.LOYALTY_STAGE), Tables.LOYALTY_MIGRATIONS);
          }
          writer.writeModel(segmentation.model());
        });
    String reportPath =
        stages.run(
            "report",
            "HTML report",
            () -> writer.writeFile(
                spark,
                Tables.REPORTS,
                "report.html",
                SnapshotReport.renderBytes(
                    ReportData.collect(
                        snapshot.date(), headline, tierSummary, curve, profiles,
                        movement.map(Movement::tiers), movement.map(Movement::loyaltyStages)))));
    long abandonment = tierLines.stream().mapToLong(RunResult.TierLine::abandonmentCandidates).sum();
    int segments = (int) java.util.Arrays.stream(segmentation.clusterToSegment()).filter(s -> s > 0).count();
    RunResult result =
        new RunResult(runId, snapshot.date(), all.counts(), books.ledgers(), customers, headline, tierLines, segments,
            segmentation.trainingCost(), abandonment, config.outputRoot(), movement.map(Movement::summary),
            config.catalog().enabled() ? Optional.of(config.catalog().database()) : Optional.empty(), Optional.of(reportPath), "",
            stages.orderedSeconds(), elapsedSeconds());
    String manifestPath =
        stages.run("manifest", "Writing the run manifest",
            () -> writer.writeManifest(spark, RunManifest.render(result, startedAt, spark.version(), edges, config)));
    unpersist(all, labelled, segmented, tiered, tierSummary, profiles, curve);
    movement.ifPresent(Movement::unpersist);
    return result.withManifest(manifestPath, stages.orderedSeconds(), elapsedSeconds());
  }

  /** Tier and loyalty movement since the previous snapshot, both small and cached, and their summary. */
  private record Movement(Dataset<Row> tiers, Dataset<Row> loyaltyStages, MigrationSummary summary) {
    void unpersist() {
      tiers.unpersist();
      loyaltyStages.unpersist();
    }
  }

  private Movement movement(TableWriter writer, LocalDate previousDate, Dataset<Row> tiered) {
    Dataset<Row> previous = spark.read().parquet(writer.partitionPath(Tables.CUSTOMER_SEGMENTS, previousDate));
    Dataset<Row> tiers = Migrations.between(previous, previousDate, tiered, Migrations.TIER).cache();
    Dataset<Row> stages = Migrations.between(previous, previousDate, tiered, Migrations.LOYALTY_STAGE).cache();
    return new Movement(tiers, stages, MigrationSummary.of(previousDate, tiers.collectAsList()));
  }

  private double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private Ingested ingestOrders() {
    InputSource source = config.orders();
    // Cached with the future check applied, so that the counts and the rejects see one clock.
    CheckedInput checked =
        OrdersIngest.check(InputReader.read(spark, source), source, config.orderRules(), config.costs().grossMarginRate())
            .withFutureCheck(Columns.ORDER_TS)
            .persist();
    LocalDate snapshotDate = config.snapshotDate().orElseGet(() -> dayAfterLatestOrder(checked));
    Snapshot snapshot = new Snapshot(snapshotDate, config.lookbackDays());
    CheckedInput orders = checked.withAfterSnapshot(Columns.ORDER_TS, snapshot.startTimestamp());
    InputCounts counts = InputCounts.of(orders);
    if (counts.accepted() == 0) {
      InputError error = noOrderBefore(snapshot, counts, checked);
      checked.unpersist();
      throw error;
    }
    return new Ingested(orders, checked, Optional.empty(), Optional.empty(), Optional.empty(), List.of(counts), snapshot);
  }

  /** Why a snapshot has no orders: all rejected, or all on or after S (a snapshot date before the first order). */
  private static InputError noOrderBefore(Snapshot snapshot, InputCounts counts, CheckedInput orders) {
    if (counts.afterSnapshot() == 0) {
      return new InputError("input orders: none of the " + counts.read() + " rows was accepted " + counts.rejectedByReason());
    }
    Row first =
        orders.rows().filter(col(Columns.REJECT_REASON).isNull()).agg(min(to_date(col(Columns.ORDER_TS)))).first();
    return new InputError(
        "input orders: no valid order is dated before the snapshot date " + snapshot.date() + " (the first one is on "
            + first.getDate(0).toLocalDate() + ", " + counts.afterSnapshot() + " rows are on or after " + snapshot.date()
            + "); a snapshot date must be after the first order");
  }

  /**
   * The day after the latest valid order. An order dated after the run's own clock cannot be real
   * (a typo, a wrong time zone) and must not move the snapshot; it is rejected as FUTURE_TIMESTAMP.
   */
  private LocalDate dayAfterLatestOrder(CheckedInput orders) {
    Row latest =
        orders
            .rows()
            .filter(col(Columns.REJECT_REASON).isNull())
            .agg(date_add(max(to_date(col(Columns.ORDER_TS))), 1))
            .first();
    if (latest.isNullAt(0)) {
      throw new InputError("input orders: no valid order dated before now, so there is no snapshot date to default to");
    }
    return latest.getDate(0).toLocalDate();
  }

  private Ingested ingestSecondary(Ingested orders) {
    Snapshot snapshot = orders.snapshot();
    Dataset<Row> acceptedLines = orders.orders().accepted();
    Dataset<Row> customerIds = acceptedLines.select(Columns.CUSTOMER_ID).distinct().persist(StorageLevel.MEMORY_AND_DISK());
    List<InputCounts> counts = new ArrayList<>(orders.counts());

    // Time checks come before the look-ups: a later row of a later customer or order is not UNKNOWN_*.
    Optional<CheckedInput> returns = Optional.empty();
    if (isPresent(config.returns(), counts)) {
      CheckedInput checked =
          withTimeChecks(ReturnsIngest.check(InputReader.read(spark, config.returns()), config.returns()), Columns.RETURN_TS, snapshot);
      checked = ReturnsIngest.resolveCustomers(checked, acceptedLines);
      returns = Optional.of(KnownCustomers.check(checked, customerIds).persist());
    }
    Optional<CheckedInput> contacts = Optional.empty();
    if (isPresent(config.contacts(), counts)) {
      CheckedInput checked =
          withTimeChecks(
              ContactsIngest.check(InputReader.read(spark, config.contacts()), config.contacts(), config.costs()),
              Columns.CONTACT_TS,
              snapshot);
      contacts = Optional.of(KnownCustomers.check(checked, customerIds).persist());
    }
    Optional<CheckedInput> invoices = Optional.empty();
    if (isPresent(config.invoices(), counts)) {
      // Only invoices due before S count (a due date in the future is normal), so later ones are after S.
      CheckedInput checked =
          InvoicesIngest.check(InputReader.read(spark, config.invoices()), config.invoices())
              .withAfterSnapshot(Columns.DUE_DATE, snapshot.dateLiteral());
      invoices = Optional.of(KnownCustomers.check(checked, customerIds).persist());
    }
    returns.ifPresent(input -> counts.add(InputCounts.of(input)));
    contacts.ifPresent(input -> counts.add(InputCounts.of(input)));
    invoices.ifPresent(input -> counts.add(InputCounts.of(input)));
    List<String> inputOrder = List.of(OrdersIngest.NAME, ReturnsIngest.NAME, ContactsIngest.NAME, InvoicesIngest.NAME);
    counts.sort(java.util.Comparator.comparingInt(c -> inputOrder.indexOf(c.input())));
    customerIds.unpersist();
    return new Ingested(orders.orders(), orders.cachedOrders(), returns, contacts, invoices, List.copyOf(counts), snapshot);
  }

  /** FUTURE_TIMESTAMP for a row dated after now; else AFTER_SNAPSHOT for one at or after the snapshot start. */
  private static CheckedInput withTimeChecks(CheckedInput input, String timestampColumn, Snapshot snapshot) {
    return input.withFutureCheck(timestampColumn).withAfterSnapshot(timestampColumn, snapshot.startTimestamp());
  }

  /**
   * An optional input is read when configured and found; otherwise its features are zero or null
   * and the summary says why (a missing optional input is not a failure).
   */
  private boolean isPresent(InputSource source, List<InputCounts> counts) {
    if (!source.isConfigured()) {
      counts.add(InputCounts.notConfigured(source.name()));
      return false;
    }
    if (!InputReader.exists(spark, source)) {
      LOG.warn("input.{}.path: nothing found at '{}'; its features are zero or null", source.name(), source.path().get());
      counts.add(InputCounts.notFound(source.name(), source.path().get()));
      return false;
    }
    return true;
  }

  /** Customers with features and labels (cached), the RFM edges used, and the customer count. */
  private record Labelled(Dataset<Row> customers, RfmScoring.Edges edges, long count) {}

  private Labelled features(Ingested inputs, LineageCuts cuts) {
    Dataset<Row> features =
        cuts.cut(CustomerFeatures.build(
            inputs.orders().accepted(),
            inputs.returns().map(CheckedInput::accepted),
            inputs.contacts().map(CheckedInput::accepted),
            inputs.invoices().map(CheckedInput::accepted),
            inputs.snapshot(),
            config.costs()));
    RfmScoring.Edges edges = RfmScoring.fit(features, config.rfm().quantileRelativeError());
    Dataset<Row> labelled = RfmScoring.withScores(features, edges);
    labelled = RfmSegments.withSegment(labelled, config.rfm().segments());
    labelled = LoyaltyStages.withStage(labelled, config.loyalty());
    labelled = cuts.cut(QualityRating.withQuality(labelled, config.quality()));
    long count = labelled.count();
    features.unpersist();
    return new Labelled(labelled, edges, count);
  }

  private KMeansSegmentation.Result segment(Dataset<Row> labelled) {
    // An iterative algorithm wants about one partition per core, not one per shuffle partition.
    int partitions = spark.sparkContext().defaultParallelism();
    if (savedModel.isPresent()) {
      return KMeansSegmentation.score(PipelineModel.load(savedModel.get()), labelled, partitions);
    }
    return KMeansSegmentation.fit(labelled, config.segmentation(), partitions);
  }

  private static org.apache.spark.sql.Column[] featureColumns() {
    List<String> names = new ArrayList<>();
    names.add(Columns.CUSTOMER_ID);
    names.add(Columns.FIRST_ORDER_DATE);
    names.add(Columns.LAST_ORDER_DATE);
    names.addAll(Columns.NUMERIC_FEATURES);
    return names.stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new);
  }

  /** The table BI teams query: one row per customer with every label and its key figures. */
  static Dataset<Row> customerSegments(Dataset<Row> tiered) {
    return tiered.select(
        col(Columns.CUSTOMER_ID),
        col(Columns.TIER),
        col(Columns.TIER_RANK),
        col(Columns.TIER_STRATEGY),
        col(Columns.ABANDONMENT_CANDIDATE),
        col(Columns.SEGMENT_ID),
        col(Columns.RFM_SEGMENT),
        col(Columns.RFM_CODE),
        col(Columns.R_SCORE),
        col(Columns.F_SCORE),
        col(Columns.M_SCORE),
        col(Columns.LOYALTY_STAGE),
        col(Columns.QUALITY),
        col(Columns.QUALITY_REASONS),
        col(Columns.PARETO_MEASURE),
        col(Columns.PARETO_RANK),
        org.apache.spark.sql.functions.round(col(Columns.CUMULATIVE_SHARE), 8).as(Columns.CUMULATIVE_SHARE),
        org.apache.spark.sql.functions.round(col(Columns.CUSTOMER_PERCENTILE), 8).as(Columns.CUSTOMER_PERCENTILE),
        col(Columns.RECENCY_DAYS),
        col(Columns.TENURE_DAYS),
        col(Columns.FREQUENCY),
        col(Columns.REVENUE),
        col(Columns.NET_REVENUE),
        col(Columns.COST_OF_GOODS),
        col(Columns.SERVICE_COST),
        col(Columns.BAD_DEBT),
        col(Columns.CONTRIBUTION),
        col(Columns.FIRST_ORDER_DATE),
        col(Columns.LAST_ORDER_DATE));
  }

  private static Dataset<Row> rejects(Ingested inputs) {
    Dataset<Row> rejects = inputs.orders().rejects();
    for (Optional<CheckedInput> input : List.of(inputs.returns(), inputs.contacts(), inputs.invoices())) {
      if (input.isPresent()) {
        rejects = rejects.unionByName(input.get().rejects());
      }
    }
    return rejects;
  }

  private static List<RunResult.TierLine> tierLines(Dataset<Row> tierSummary) {
    List<RunResult.TierLine> lines = new ArrayList<>();
    for (Row row : tierSummary.collectAsList()) {
      lines.add(
          new RunResult.TierLine(
              row.getAs(Columns.TIER),
              row.<Long>getAs(Columns.CUSTOMERS),
              row.<Double>getAs(Columns.CUSTOMER_SHARE),
              row.<Double>getAs(Columns.CONTRIBUTION_SHARE),
              row.<Double>getAs(TierSummary.MEASURE_SHARE),
              row.<Long>getAs(TierSummary.ABANDONMENT_CANDIDATES)));
    }
    return lines;
  }

  private static void unpersist(Ingested inputs, Dataset<?>... frames) {
    inputs.cachedOrders().unpersist();
    inputs.returns().ifPresent(CheckedInput::unpersist);
    inputs.contacts().ifPresent(CheckedInput::unpersist);
    inputs.invoices().ifPresent(CheckedInput::unpersist);
    for (Dataset<?> frame : frames) {
      frame.unpersist();
    }
  }
}
