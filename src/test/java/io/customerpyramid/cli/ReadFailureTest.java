package io.customerpyramid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file that breaks in the middle of the read: the run ends as bad input (exit 4), naming the file. */
class ReadFailureTest {

  @TempDir Path dir;

  @Test
  void aGzipTruncatedAfterItsFirstBlocksIsNamedAndIsAnInputError() throws Exception {
    StringBuilder text = new StringBuilder("order_id,customer_id,order_ts,amount,discount,cost_of_goods\n");
    for (int i = 0; i < 20_000; i++) {
      text.append(String.format("o%07d,c%05d,2024-%02d-%02d 10:%02d:%02d,%d.%02d,,%n", i, i % 997, 1 + i % 12, 1 + i % 28, i % 60, (i * 7) % 60, i % 500, i % 100));
    }
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      gz.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] whole = zipped.toByteArray();
    Path orders = Files.createDirectories(dir.resolve("orders"));
    // The start decompresses well past what the file check reads; the end is gone.
    Path truncated = Files.write(orders.resolve("orders.csv.gz"), Arrays.copyOf(whole, whole.length * 3 / 4));

    CliRun.Outcome outcome = CliRun.execute("run", "--set", "input.orders.path=" + orders, "--set", "input.returns.path=", "--set", "input.contacts.path=",
          "--set", "input.invoices.path=", "--set", "output.root=" + dir.resolve("output"), "--set", "catalog.enabled=false");
    int exit = outcome.exit();
    String message = outcome.err();
    assertEquals(ExitCodes.INPUT_ERROR, exit, message);
    assertTrue(message.contains("Input error: reading the input failed: input orders: file:" + truncated + ": cannot be read to its end"), message);
    assertTrue(!message.contains("Run failed"), message);
    assertTrue(Files.notExists(dir.resolve("output/customer_segments")), "nothing published");
  }
}
