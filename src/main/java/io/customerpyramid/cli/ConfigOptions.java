package io.customerpyramid.cli;

import io.customerpyramid.config.ConfigLoader;
import io.customerpyramid.config.JobConfig;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --config} and {@code --set}, shared by every command that loads the job configuration. */
final class ConfigOptions {

  @Option(names = "--config", paramLabel = "FILE", description = "HOCON file with the keys to change (defaults: conf/segmentation.conf).")
  File configFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one config key; repeatable.")
  List<String> overrides = new ArrayList<>();

  /** The validated configuration; {@code extra} overrides come after the command line's own. */
  JobConfig load(String... extra) {
    List<String> all = new ArrayList<>(overrides);
    all.addAll(List.of(extra));
    return ConfigLoader.load(Optional.ofNullable(configFile), all);
  }
}
