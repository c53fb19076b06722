package io.customerpyramid.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-only rule on plans as Spark analyzes them: every statement of the attack list is refused
 * with a message naming it, and what BI tools send is allowed. (SqlServerIT sends the same list to a
 * real server over JDBC.)
 */
class ReadOnlyCheckTest {

  @TempDir static Path dir;
  private static SparkSession spark;

  @BeforeAll
  static void aTable() {
    spark = SparkTestSession.get();
    spark.sql("CREATE DATABASE IF NOT EXISTS read_only_test");
    spark.range(3).toDF("id").write().mode("overwrite").saveAsTable("read_only_test.t");
  }

  private static Optional<String> check(String sql) {
    try {
      LogicalPlan analyzed = spark.sessionState().analyzer().execute(spark.sessionState().sqlParser().parsePlan(sql));
      return ReadOnlyCheck.violation(analyzed);
    } catch (org.apache.spark.sql.catalyst.parser.ParseException e) {
      throw new AssertionError("cannot parse " + sql, e);
    }
  }

  @Test
  void everyStatementThatWritesOrReachesTheHostIsRefusedAndNamed() {
    Path file = dir.resolve("users.csv");
    try {
      java.nio.file.Files.writeString(file, "name,uid\nroot,0\n");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    Map<String, String> refused =
        Map.ofEntries(
            Map.entry("INSERT INTO read_only_test.t SELECT 4", "INSERT is not allowed"),
            Map.entry("INSERT OVERWRITE DIRECTORY '" + dir.resolve("out") + "' USING parquet SELECT 1", "INSERT OVERWRITE DIRECTORY is not allowed"),
            Map.entry("CREATE TABLE read_only_test.copy AS SELECT * FROM read_only_test.t", "CREATE TABLE is not allowed"),
            Map.entry("DROP TABLE read_only_test.t", "DROP TABLE is not allowed"),
            Map.entry("ALTER TABLE read_only_test.t SET TBLPROPERTIES ('team' = 'bi')", "ALTER TABLE is not allowed"),
            Map.entry("LOAD DATA LOCAL INPATH '" + file + "' INTO TABLE read_only_test.t", "LOAD DATA is not allowed"),
            Map.entry("ADD JAR " + dir.resolve("evil.jar"), "ADD JAR is not allowed"),
            Map.entry("ADD FILE " + file, "ADD FILE is not allowed"),
            Map.entry("ADD ARCHIVE " + dir.resolve("a.zip"), "ADD ARCHIVE is not allowed"),
            Map.entry("CREATE TEMPORARY FUNCTION run AS 'com.example.Run'", "CREATE FUNCTION is not allowed"),
            Map.entry("CREATE FUNCTION read_only_test.run AS 'com.example.Run'", "CREATE FUNCTION is not allowed"),
            Map.entry("SELECT * FROM csv.`" + file + "`", "reading files directly is not allowed"),
            Map.entry("SELECT java_method('java.lang.System', 'exit', 3)", "java_method and reflect are not allowed"),
            Map.entry("SELECT id FROM read_only_test.t WHERE id IN (SELECT reflect('java.lang.System', 'exit', 3))", "java_method and reflect"),
            Map.entry("SELECT TRANSFORM(id) USING 'cat /etc/passwd' FROM read_only_test.t", "TRANSFORM ... USING"),
            Map.entry("SET spark.sql.runSQLOnFiles = true", "SET spark.sql.runSQLOnFiles is not allowed"),
            Map.entry("RESET", "RESET is not allowed"),
            Map.entry("CACHE TABLE read_only_test.t", "CACHE TABLE is not allowed"),
            Map.entry("ANALYZE TABLE read_only_test.t COMPUTE STATISTICS", "ANALYZE"));
    refused.forEach((sql, reason) -> {
      Optional<String> violation = check(sql);
      assertTrue(violation.isPresent(), "not refused: " + sql);
      assertTrue(violation.get().contains(reason), sql + " -> " + violation.get());
    });
  }

  @Test
  void queriesShowDescribeExplainUseAndSafeSettingsAreAllowed() {
    for (String sql :
        new String[] {
          "SELECT count(*) FROM read_only_test.t",
          "WITH x AS (SELECT id FROM read_only_test.t) SELECT max(id) FROM x WHERE id IN (SELECT 1)",
          "SHOW TABLES IN read_only_test",
          "SHOW DATABASES",
          "DESCRIBE TABLE read_only_test.t",
          "DESCRIBE TABLE EXTENDED read_only_test.t",
          "SHOW TBLPROPERTIES read_only_test.t",
          "EXPLAIN SELECT * FROM read_only_test.t",
          "USE read_only_test",
          "SET",
          "SET spark.sql.session.timeZone",
          "SET spark.sql.session.timeZone = Europe/Paris"
        }) {
      assertEquals(Optional.empty(), check(sql), sql);
    }
  }
}
