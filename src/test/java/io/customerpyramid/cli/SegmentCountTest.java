package io.customerpyramid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** More segments than customers is refused before anything is published, as a configuration error. */
class SegmentCountTest {

  @TempDir Path dir;

  @Test
  void aKAboveTheCustomerCountStopsTheRunBeforeWriting() {
    String orders = Fixtures.csv(dir, "orders.csv", "order_id,customer_id,order_ts,amount,discount,cost_of_goods",
        "o1,c1,2024-01-10 10:00:00,10,,", "o2,c2,2024-01-11 10:00:00,20,,", "o3,c3,2024-01-12 10:00:00,30,,");
    Path output = dir.resolve("output");
    CliRun.Outcome outcome = CliRun.execute("run", "--set", "input.orders.path=" + orders, "--set", "input.returns.path=", "--set", "input.contacts.path=",
          "--set", "input.invoices.path=", "--set", "output.root=" + output, "--set", "catalog.enabled=false", "--set", "segmentation.k=5");
    int exit = outcome.exit();
    String message = outcome.err();
    assertEquals(ExitCodes.CONFIG_ERROR, exit, message);
    assertTrue(message.contains("Configuration error: segmentation.k = 5 is more than the 3 customers of this snapshot"), message);
    assertTrue(Files.notExists(output.resolve("customer_segments")) && Files.notExists(output.resolve("_manifests")), "nothing published");
  }
}
