package io.customerpyramid.stages;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.features.CustomerFeatures;
import io.customerpyramid.features.LoyaltyStages;
import io.customerpyramid.features.QualityRating;
import io.customerpyramid.features.RfmScoring;
import io.customerpyramid.features.RfmSegments;
import io.customerpyramid.ingest.CheckedInput;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Stage features: one row per customer with its features, RFM scores and segment, loyalty stage and quality. */
public final class LabelCustomers {

  private LabelCustomers() {}

  /** The customers of the accepted input rows, cut from the inputs' lineage and counted. */
  public static Features build(Inputs inputs, JobConfig config, LineageCuts cuts) {
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
    // Only the labelled customers are used from here on.
    features.unpersist();
    return new Features(inputs, labelled, edges, count);
  }
}
