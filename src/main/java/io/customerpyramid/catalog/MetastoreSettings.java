package io.customerpyramid.catalog;

import io.customerpyramid.config.JobConfig;
import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;

/** The Spark settings that put the session's catalog in the configured Hive metastore. */
public final class MetastoreSettings {

  /** Directory of the embedded metastore under the output root. */
  public static final String METASTORE_DIR = "_metastore";
  /** Warehouse of managed tables (the job's own tables are external, at their output paths). */
  public static final String WAREHOUSE_DIR = "_warehouse";

  private MetastoreSettings() {}

  /** Adds the catalog settings to a session's configuration; nothing when the catalog is disabled. */
  public static void apply(SparkConf conf, JobConfig config) {
    JobConfig.Catalog catalog = config.catalog();
    if (!catalog.enabled()) {
      return;
    }
    requireHiveClasses();
    conf.set("spark.sql.catalogImplementation", "hive");
    switch (catalog.metastore()) {
      case EMBEDDED -> {
        File dir = embeddedDirectory(config.outputRoot());
        if (!dir.isDirectory() && !dir.mkdirs()) {
          throw new CatalogError("Cannot create the embedded metastore directory " + dir);
        }
        // Derby writes its log into the working directory unless told otherwise.
        System.setProperty("derby.stream.error.file", new File(dir, "derby.log").getPath());
        String database = new File(dir, "metastore_db").getPath();
        requireNotInUse(database);
        conf.set("spark.hadoop.javax.jdo.option.ConnectionURL", "jdbc:derby:;databaseName=" + database + ";create=true");
        if (!conf.contains("spark.sql.warehouse.dir")) {
          conf.set("spark.sql.warehouse.dir", new File(new File(config.outputRoot()).getAbsoluteFile(), WAREHOUSE_DIR).toURI().toString());
        }
      }
      case EXTERNAL -> conf.set("spark.hadoop.hive.metastore.uris", catalog.metastoreUri());
      case SESSION -> { }
    }
  }

  /** {@code <output.root>/_metastore} as a local directory. */
  public static File embeddedDirectory(String outputRoot) {
    return new File(new File(new Path(outputRoot).toUri().getPath()).getAbsoluteFile(), METASTORE_DIR);
  }

  private static void requireHiveClasses() {
    try {
      Class.forName("org.apache.spark.sql.hive.HiveSessionStateBuilder", false, MetastoreSettings.class.getClassLoader());
      Class.forName("org.apache.hadoop.hive.conf.HiveConf", false, MetastoreSettings.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new CatalogError(
          "catalog.enabled = true needs Spark's Hive support (spark-hive) on the class path, and this Spark has none:"
              + " use a Spark build with Hive, or set catalog.enabled = false to write Parquet directories only");
    }
  }

  /**
   * Embedded Derby admits one process at a time; a second one would fail deep inside Hive's client
   * with a message about XSDB6. Booting the database here first turns that into a plain answer.
   */
  private static void requireNotInUse(String database) {
    try (Connection ignored = DriverManager.getConnection("jdbc:derby:" + database + ";create=true")) {
      // Booted by this JVM now: Hive's client reuses the same engine.
    } catch (SQLException e) {
      if (isBootedElsewhere(e)) {
        throw new CatalogError(
            "The embedded metastore " + database + " is in use by another process (a running `jobs/segment serve`?):"
                + " stop that process first, or point catalog.metastore_uri at a shared metastore (thrift://...)");
      }
      throw new CatalogError("Cannot open the embedded metastore " + database + ": " + e.getMessage(), e);
    }
  }

  private static boolean isBootedElsewhere(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        for (SQLException next = sql; next != null; next = next.getNextException()) {
          if ("XSDB6".equals(next.getSQLState())) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
