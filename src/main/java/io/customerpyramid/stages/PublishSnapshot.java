package io.customerpyramid.stages;

import io.customerpyramid.catalog.SnapshotCatalog;
import io.customerpyramid.output.CrashPoints;
import io.customerpyramid.output.PublishedRuns;
import io.customerpyramid.output.RunDirectories;
import io.customerpyramid.output.SideFiles;
import io.customerpyramid.schema.RunLocations;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Stage publish: the run, written whole under its own directories, becomes the snapshot's published
 * run. One atomic step decides it, the replacement of the snapshot's manifest; the catalog's views
 * then switch to the run in one metastore call, and the run it replaced is removed
 * (docs/reliability.md, publish protocol).
 */
public final class PublishSnapshot {

  private final Configuration hadoop;
  private final RunLocations run;
  private final Optional<SnapshotCatalog> catalog;

  public PublishSnapshot(Configuration hadoop, RunLocations run, Optional<SnapshotCatalog> catalog) {
    this.hadoop = hadoop;
    this.run = run;
    this.catalog = catalog;
  }

  /** @return where the manifest is */
  public String publish(String manifestJson) {
    LocalDate date = run.snapshotDate();
    Optional<String> pointer = catalog.map(c -> c.preparePublish(date, run.runId()));
    CrashPoints.reach("publish:before-manifest");
    String manifest =
        new SideFiles(hadoop).replaceAtomically(
            run.manifestPath(), ".manifest-" + run.runId() + ".tmp", manifestJson.getBytes(StandardCharsets.UTF_8));
    CrashPoints.reach("publish:after-manifest");
    catalog.ifPresent(c -> c.publish(date, run.runId(), pointer.orElseThrow()));
    CrashPoints.reach("publish:after-catalog");
    Map<LocalDate, String> published = PublishedRuns.read(hadoop, run.root());
    catalog.ifPresent(c -> c.sync(published));
    RunDirectories.removeUnpublished(hadoop, run.root(), published, Optional.of(date));
    return manifest;
  }
}
