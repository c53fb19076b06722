package io.customerpyramid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.ConfigLoader;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's library example, run as written on data-samples. */
class CustomerPyramidTest {

  @TempDir Path output;

  @Test
  void readmeExampleRunsFeaturesSegmentsAndTiers() {
    SparkSession spark = SparkTestSession.get();
    // --- README example (keep in sync) ---
    JobConfig config = ConfigLoader.load(Optional.empty(), List.of("segmentation.k=5", "output.root=" + output));
    Dataset<Row> customers = CustomerPyramid.customerFeatures(spark, config);
    Dataset<Row> segmented = CustomerPyramid.withSegments(customers, config);
    Dataset<Row> pyramid = CustomerPyramid.withTiers(segmented, config);
    pyramid.groupBy("tier", "segment_id").count().orderBy("tier", "segment_id").show();
    // --- end of README example ---

    assertEquals(3000, pyramid.count(), "one row per customer of data-samples");
    List<Row> tiers = pyramid.select("tier").distinct().collectAsList();
    assertEquals(Set.of("VIP", "Major", "Ordinary", "Small"), Set.copyOf(tiers.stream().map(r -> r.getString(0)).toList()));
    List<Row> segments = pyramid.select("segment_id").distinct().orderBy("segment_id").collectAsList();
    assertEquals(List.of(1, 2, 3, 4, 5), segments.stream().map(r -> r.getInt(0)).toList());
    assertTrue(pyramid.filter("tier = 'VIP' AND cumulative_share_before >= 0.5").isEmpty(), "VIP stops at 50%");
  }
}
