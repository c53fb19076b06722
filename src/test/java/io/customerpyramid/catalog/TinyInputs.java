package io.customerpyramid.catalog;

import io.customerpyramid.testing.SegmentLauncher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The bundled samples cut down to their first 40 customers, all four inputs: a run over them does
 * every stage in seconds. (The samples have no quoted fields, so splitting on commas is exact.)
 */
final class TinyInputs {

  static final List<String> NAMES = List.of("orders", "returns", "contacts", "invoices");
  private static final int CUSTOMERS = 40;

  private TinyInputs() {}

  static void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Set<String> customers = new HashSet<>();
    for (int i = 1; i <= CUSTOMERS; i++) {
      customers.add(String.format(java.util.Locale.ROOT, "C%07d", i));
    }
    Set<String> orders = new HashSet<>();
    for (String name : NAMES) {
      List<String> lines = Files.readAllLines(SegmentLauncher.ROOT.resolve("data-samples").resolve(name + ".csv"), StandardCharsets.UTF_8);
      List<String> header = List.of(lines.get(0).split(",", -1));
      int customer = header.indexOf("customer_id");
      int order = header.indexOf("order_id");
      List<String> kept = new ArrayList<>(List.of(lines.get(0)));
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.split(",", -1);
        boolean ours = fields.length > customer && customers.contains(fields[customer]);
        // A return may name only its order.
        boolean ourOrder = order >= 0 && fields.length > order && orders.contains(fields[order]);
        if (ours || name.equals("returns") && ourOrder) {
          kept.add(line);
          if (name.equals("orders")) {
            orders.add(fields[order]);
          }
        }
      }
      Files.write(dir.resolve(name + ".csv"), kept, StandardCharsets.UTF_8);
    }
  }
}
