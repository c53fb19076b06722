package io.customerpyramid.cli;

import io.customerpyramid.generate.GeneratorOptions;
import io.customerpyramid.generate.SyntheticDataGenerator;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segment generate}: realistic synthetic inputs of any size, deterministic for a seed. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Write synthetic orders, returns, contacts and invoices.")
final class GenerateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--customers", required = true, paramLabel = "N", description = "Number of customers (about 10 orders each).")
  long customers;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (one subdirectory or file per input).")
  String out;

  @Option(names = "--format", defaultValue = "csv", paramLabel = "csv|parquet", description = "Output format (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--single-file", description = "Write each input as one CSV file (small samples only).")
  boolean singleFile;

  @Option(names = "--with-bad-rows", description = "Append a handful of deliberately bad rows to each input.")
  boolean withBadRows;

  @Option(names = "--granularity", defaultValue = "order", paramLabel = "order|line", description = "Orders as one row per order, or one row per product line like a retail export (InvoiceNo, StockCode, ..., dates M/d/yyyy H:mm) (default: ${DEFAULT-VALUE}).")
  String granularity;

  @Option(names = "--end-date", defaultValue = "2026-10-31", paramLabel = "yyyy-MM-dd", description = "Latest date in the data (default: ${DEFAULT-VALUE}).")
  LocalDate endDate;

  @Override
  public Integer call() {
    GeneratorOptions options = options();
    // The generator writes files only: no job configuration, no catalog, no metastore to boot.
    try (SparkSessions.JobSession session = SparkSessions.local("customer-pyramid-generate")) {
      SparkSession spark = session.spark();
      long start = System.nanoTime();
      Map<String, Long> counts = SyntheticDataGenerator.generate(spark, options);
      System.out.printf(
          "Generated %s (orders at %s level) in %s (%.1f s): %s%n",
          options.format(), options.granularity(), out, (System.nanoTime() - start) / 1e9, counts);
      return ExitCodes.SUCCESS;
    }
  }

  /** The validated options; a bad value is a usage error (exit code 2) before Spark starts. */
  private GeneratorOptions options() {
    try {
      return new GeneratorOptions(customers, seed, out, format, singleFile, withBadRows, endDate, granularity);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }
}
