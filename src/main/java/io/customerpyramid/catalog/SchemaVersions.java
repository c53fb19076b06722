package io.customerpyramid.catalog;

import io.customerpyramid.schema.Tables;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import scala.Option;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.analysis.NoSuchDatabaseException;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The schema version each table and view carries in the catalog, and the checks made against it. */
final class SchemaVersions {

  /** Table property holding the schema version of {@link Tables#SCHEMA_VERSIONS}. */
  static final String PROPERTY = "customer_pyramid.schema_version";

  private SchemaVersions() {}

  /**
   * The table or view as the catalog holds it (its properties, columns and type), from one metastore
   * call; empty when it, or its database, is not there.
   */
  static Optional<CatalogTable> lookUp(SparkSession spark, String database, String table) {
    try {
      return Optional.of(spark.sessionState().catalog().getTableMetadata(new TableIdentifier(table, Option.apply(database))));
    } catch (NoSuchTableException | NoSuchDatabaseException e) {
      return Optional.empty();
    }
  }

  /** The version a looked-up table or view carries; 0 when it has none. */
  static int version(CatalogTable registered) {
    try {
      return Integer.parseInt(registered.properties().get(PROPERTY).getOrElse(() -> "0").trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static CatalogError newerVersion(String name, int registered, int version) {
    return new CatalogError(
        name + " has schema version " + registered + ", written by a newer customer-pyramid; this one writes version "
            + version + ": upgrade the job, or register into another catalog.database");
  }

  /** Same schema version, different columns: the version was not raised when the schema changed. */
  static void requireSameColumns(String name, StructType registered, StructType written) {
    if (!sameColumns(registered, written)) {
      throw new CatalogError(
          name + " is registered with columns " + describe(registered) + " but this run wrote " + describe(written)
              + " under the same schema version; a schema change must raise its version in Tables.SCHEMA_VERSIONS");
    }
  }

  /** The columns as a CREATE TABLE lists them, with their comments. */
  static String columnList(StructType schema) {
    List<String> columns = new ArrayList<>();
    for (StructField field : schema.fields()) {
      columns.add("`" + field.name() + "` " + field.dataType().sql() + comment(field));
    }
    return String.join(", ", columns);
  }

  static String comment(StructField field) {
    return field.getComment().isDefined() ? " COMMENT " + quote(field.getComment().get()) : "";
  }

  static String quote(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static boolean sameColumns(StructType a, StructType b) {
    if (a.fields().length != b.fields().length) {
      return false;
    }
    for (StructField field : a.fields()) {
      Optional<StructField> other = Arrays.stream(b.fields()).filter(f -> f.name().equalsIgnoreCase(field.name())).findFirst();
      if (other.isEmpty() || !other.get().dataType().sameType(field.dataType())) {
        return false;
      }
    }
    return true;
  }

  private static String describe(StructType schema) {
    List<String> columns = new ArrayList<>();
    for (StructField field : schema.fields()) {
      columns.add(field.name() + " " + field.dataType().simpleString());
    }
    return "(" + String.join(", ", columns) + ")";
  }
}
