package io.customerpyramid.serve;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.catalyst.expressions.CallMethodViaReflection;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.ScriptTransformation;
import org.apache.spark.sql.execution.command.SetCommand;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import scala.Option;
import scala.Tuple2;

/**
 * What {@code serve} lets a client run, decided on the analyzed plan (never on SQL text): queries,
 * SHOW, DESCRIBE, EXPLAIN, USE and SET of a few session settings. Everything else a client could
 * use to change the warehouse or reach the host is refused: any other command (DDL, DML, INSERT
 * ... DIRECTORY, LOAD DATA, ADD JAR/FILE/ARCHIVE, functions, CACHE, ANALYZE, RESET), a query that
 * reads files directly ({@code csv.`path`}), calls Java by reflection ({@code java_method},
 * {@code reflect}) or runs an OS command ({@code TRANSFORM ... USING}).
 */
public final class ReadOnlyCheck {

  /** Session settings a BI client may change: how results look, never what the server may reach. */
  public static final Set<String> SETTABLE =
      Set.of("spark.sql.session.timeZone", "spark.sql.ansi.enabled", "spark.sql.shuffle.partitions", "spark.sql.legacy.timeParserPolicy");

  /** Commands that only read the catalog or explain a plan, by class name prefix or name. */
  private static final List<String> READ_ONLY_COMMAND_PREFIXES = List.of("Show", "Describe");

  /** Logical plans that change data or the catalog, by the kind their class name starts with. */
  private static final List<String> WRITING_PLAN_PREFIXES =
      List.of("Create", "Replace", "Drop", "Alter", "Insert", "Append", "Overwrite", "Delete", "Update", "Merge",
          "Truncate", "Load", "Cache", "Uncache", "Refresh", "Analyze", "Comment", "Rename", "Repair", "Add", "Reset",
          "Clear", "WriteDelta", "WriteTo");

  private static final Set<String> READ_ONLY_COMMANDS =
      Set.of("ExplainCommand", "SetCatalogAndNamespace", "SetNamespaceCommand", "SetCatalogCommand");

  private ReadOnlyCheck() {}

  /** Why the plan may not run on the read-only server, or empty when it may. */
  public static Optional<String> violation(LogicalPlan plan) {
    if (plan instanceof SetCommand set) {
      return settingViolation(set);
    }
    if (plan instanceof Command) {
      String commandName = plan.getClass().getSimpleName();
      boolean readOnly =
          READ_ONLY_COMMANDS.contains(commandName) || READ_ONLY_COMMAND_PREFIXES.stream().anyMatch(commandName::startsWith);
      return readOnly ? Optional.empty() : Optional.of(statement(commandName) + " is not allowed");
    }
    return firstInTree(plan);
  }

  private static Optional<String> firstInTree(LogicalPlan plan) {
    String name = plan.getClass().getSimpleName();
    // Some writing plans are not Commands (v1 CreateTable, v2 ReplaceData ...): refused by kind.
    if (plan instanceof Command || WRITING_PLAN_PREFIXES.stream().anyMatch(name::startsWith)) {
      return Optional.of(statement(plan.getClass().getSimpleName()) + " is not allowed");
    }
    if (plan instanceof ScriptTransformation) {
      return Optional.of("TRANSFORM ... USING (an OS command) is not allowed");
    }
    if (plan instanceof LogicalRelation relation && relation.catalogTable().isEmpty()) {
      return Optional.of("reading files directly is not allowed: query the catalog's tables");
    }
    for (Expression expression : scala.collection.JavaConverters.seqAsJavaList(plan.expressions())) {
      if (expression.find(e -> e instanceof CallMethodViaReflection).isDefined()) {
        return Optional.of("java_method and reflect are not allowed");
      }
    }
    for (LogicalPlan child : scala.collection.JavaConverters.seqAsJavaList(plan.children())) {
      Optional<String> found = firstInTree(child);
      if (found.isPresent()) {
        return found;
      }
    }
    // Subqueries in expressions (WHERE x IN (SELECT ...)) are plans of their own.
    for (LogicalPlan subquery : scala.collection.JavaConverters.seqAsJavaList(plan.subqueries())) {
      Optional<String> found = firstInTree(subquery);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** SET alone and SET key (reading) are fine; SET key=value only for {@link #SETTABLE}. */
  private static Optional<String> settingViolation(SetCommand set) {
    Option<Tuple2<String, Option<String>>> pair = set.kv();
    if (pair.isEmpty() || pair.get()._2().isEmpty()) {
      return Optional.empty();
    }
    String key = pair.get()._1();
    return SETTABLE.contains(key)
        ? Optional.empty()
        : Optional.of("SET " + key + " is not allowed (settable: " + String.join(", ", new java.util.TreeSet<>(SETTABLE)) + ")");
  }

  /** The SQL a command class stands for, as a user typed it. */
  static String statement(String commandClass) {
    String name = commandClass.replaceAll("(Command|Exec)$", "");
    if (name.startsWith("InsertInto") && name.endsWith("Dir")) {
      return "INSERT OVERWRITE DIRECTORY";
    }
    if (name.startsWith("Insert") || name.equals("AppendData") || name.startsWith("Overwrite")) {
      return "INSERT";
    }
    if (name.startsWith("AddJar")) {
      return "ADD JAR";
    }
    if (name.startsWith("AddFile")) {
      return "ADD FILE";
    }
    if (name.startsWith("AddArchive")) {
      return "ADD ARCHIVE";
    }
    if (name.startsWith("LoadData")) {
      return "LOAD DATA";
    }
    if (name.startsWith("CreateFunction") || name.startsWith("CreateTempFunction") || name.startsWith("DropFunction")) {
      return (name.startsWith("Drop") ? "DROP" : "CREATE") + " FUNCTION";
    }
    // DropTable -> DROP TABLE, CreateDataSourceTableAsSelect -> CREATE TABLE, CacheTable -> CACHE TABLE ...
    String verb = name.replaceAll("^([A-Z][a-z]+).*", "$1").toUpperCase(java.util.Locale.ROOT);
    for (String object : List.of("Table", "View", "Namespace", "Database", "Function", "Partition", "Column")) {
      if (name.contains(object)) {
        return verb + " " + (object.equals("Namespace") ? "DATABASE" : object.toUpperCase(java.util.Locale.ROOT));
      }
    }
    return verb;
  }
}
