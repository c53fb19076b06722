package io.customerpyramid.cli;

import io.customerpyramid.config.JobConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;

/**
 * {@code segment jit-hint} (hidden, asked by jobs/segment before it starts a run's JVM): the JIT
 * compilers that suit the configured inputs. Prints {@code c1} for {@linkplain InputSizes#small()
 * small} inputs (below 64 MiB as CSV), {@code tiered} otherwise, and when the configuration cannot be read or
 * the bytes may say little of the rows (an input not listed, without files here, or compressed).
 *
 * <p>Measured on the 2-core machine of docs/performance.md: C2, the optimising compiler, spends
 * about 25 s of CPU in a run of the samples, one of the two cores for most of the run, and the
 * samples run about 8 s faster with C1 alone. At 100 k customers (93 MB of CSV) the two are even;
 * at 1 M customers C1 alone takes 313 s instead of 172 s.
 */
@Command(name = "jit-hint", hidden = true, description = "For jobs/segment: c1 or tiered, the JIT compilers that suit the configured inputs.")
final class JitHintCommand implements Callable<Integer> {

  @Mixin ConfigOptions configOptions = new ConfigOptions();

  /** The command's other options and arguments (a run's --model, a backfill's dates): not needed here. */
  @Unmatched List<String> otherArguments = new ArrayList<>();

  @Override
  public Integer call() {
    String hint;
    try {
      JobConfig config = configOptions.load();
      hint = hint(InputSizes.of(config, new Configuration()));
    } catch (RuntimeException e) {
      hint = "tiered";
    }
    System.out.println(hint);
    return ExitCodes.SUCCESS;
  }

  static String hint(InputSizes sizes) {
    return sizes.small() ? "c1" : "tiered";
  }
}
