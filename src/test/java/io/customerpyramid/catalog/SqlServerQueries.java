package io.customerpyramid.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.customerpyramid.testing.SegmentLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sends a query over JDBC, reads docs/bi.md's example queries, and compares JDBC answers with expected rows. */
final class SqlServerQueries {

  private static final Pattern QUERY = Pattern.compile("<!-- query: ([a-z_0-9]+) -->\\s*```sql\\n(.*?)```", Pattern.DOTALL);
  static final double SHARE_TOLERANCE = 1e-6;

  private SqlServerQueries() {}

  /** An array as HiveServer2 sends it to a JDBC client: JSON text. */
  static String hiveArray(List<Object> values) {
    List<String> quoted = new ArrayList<>();
    for (Object value : values) {
      quoted.add("\"" + value + "\"");
    }
    return "[" + String.join(",", quoted) + "]";
  }

  static void assertRowsEqual(List<List<Object>> expected, List<List<Object>> actual) {
    assertEquals(expected.size(), actual.size(), "rows");
    for (int i = 0; i < expected.size(); i++) {
      List<Object> e = expected.get(i);
      List<Object> a = actual.get(i);
      assertEquals(e.size(), a.size(), "columns of row " + i);
      for (int j = 0; j < e.size(); j++) {
        Object ev = e.get(j);
        Object av = a.get(j);
        String where = "row " + i + ", column " + j + ": expected " + e + " but was " + a;
        if (ev instanceof Double d) {
          assertEquals(d, ((Number) av).doubleValue(), SHARE_TOLERANCE, where);
        } else if (ev instanceof Number n) {
          assertEquals(n.longValue(), ((Number) av).longValue(), where);
        } else {
          assertEquals(ev == null ? null : ev.toString(), av == null ? null : av.toString(), where);
        }
      }
    }
  }

  static List<List<Object>> query(Connection c, String sql) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** The example queries of docs/bi.md, by name: the test runs exactly what the documentation shows. */
  static Map<String, String> documentedQueries() throws IOException {
    Map<String, String> found = new LinkedHashMap<>();
    Matcher m = QUERY.matcher(Files.readString(SegmentLauncher.ROOT.resolve("docs/bi.md")));
    while (m.find()) {
      found.put(m.group(1), m.group(2).trim());
    }
    assertEquals(
        List.of("tier_distribution_over_time", "top_vips", "abandonment_candidates", "development_targets", "pareto_headline",
            "tier_migration", "loyalty_conversion"),
        new ArrayList<>(found.keySet()));
    return found;
  }
}
