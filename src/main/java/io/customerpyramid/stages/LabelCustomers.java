package io.customerpyramid.stages;

import io.customerpyramid.clv.ClvFitting;
import io.customerpyramid.clv.ClvModel;
import io.customerpyramid.clv.ClvPredictions;
import io.customerpyramid.clv.PurchaseHistory;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.features.CustomerFeatures;
import io.customerpyramid.features.LoyaltyStages;
import io.customerpyramid.features.QualityRating;
import io.customerpyramid.features.RfmScoring;
import io.customerpyramid.features.RfmSegments;
import io.customerpyramid.ingest.CheckedInput;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Stage features: one row per customer with its features, future value (when clv.enabled), RFM scores
 * and segment, loyalty stage and quality.
 */
public final class LabelCustomers {

  private LabelCustomers() {}

  /** The customers of the accepted input rows, cut from the inputs' lineage and counted. */
  public static Features build(Inputs inputs, JobConfig config, LineageCuts cuts) {
    Dataset<Row> built =
        CustomerFeatures.build(
            inputs.orders().accepted(),
            inputs.returns().map(CheckedInput::accepted),
            inputs.contacts().map(CheckedInput::accepted),
            inputs.invoices().map(CheckedInput::accepted),
            inputs.snapshot(),
            config.costs());
    Optional<ClvModel> clv = Optional.empty();
    Optional<Dataset<Row>> history = Optional.empty();
    if (config.clv().enabled()) {
      // The loyalty stage may depend on P(alive), so the predictions come before the labels; the model
      // columns join the features in their own pass (one cut for both).
      history =
          Optional.of(cuts.cut(
              PurchaseHistory.summarise(inputs.orders().accepted(), inputs.snapshot().date(), config.clv().timeUnitDays())));
      clv = Optional.of(ClvFitting.fit(history.get(), config.clv()));
      built = ClvPredictions.withModelColumns(built, history.get(), clv.get(), config.clv());
    }
    Dataset<Row> features = cuts.cut(built);
    history.ifPresent(cuts::free);
    Dataset<Row> withClv = clv.isPresent() ? ClvPredictions.withPredictedClv(features) : features;
    OptionalDouble lapsedBelow =
        config.clv().lapsedRule() == JobConfig.LapsedRule.P_ALIVE
            ? OptionalDouble.of(config.clv().lapsedBelowPAlive())
            : OptionalDouble.empty();
    RfmScoring.Edges edges = RfmScoring.fit(withClv, config.rfm().quantileRelativeError());
    Dataset<Row> labelled = RfmScoring.withScores(withClv, edges);
    labelled = RfmSegments.withSegment(labelled, config.rfm().segments());
    labelled = LoyaltyStages.withStage(labelled, config.loyalty(), lapsedBelow);
    labelled = cuts.cut(QualityRating.withQuality(labelled, config.quality()));
    long count = labelled.count();
    // Only the labelled customers are used from here on.
    cuts.free(features);
    return new Features(inputs, labelled, edges, count, clv);
  }
}
