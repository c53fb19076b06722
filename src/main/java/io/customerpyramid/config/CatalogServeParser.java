package io.customerpyramid.config;

import static io.customerpyramid.config.ConfigChecks.requireAtLeast;

import com.typesafe.config.Config;
import java.util.Locale;

/** Parses the {@code catalog.*} and {@code serve.*} sections: where tables are registered and how they are served. */
final class CatalogServeParser {

  private static final int MAX_PORT = 65535;
  private static final java.util.regex.Pattern DATABASE_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private CatalogServeParser() {}

  static JobConfig.Serve parseServe(Config c) {
    String host = c.getString("serve.host").trim();
    if (host.isEmpty()) {
      throw new ConfigError("serve.host is required (localhost, or an address of this machine)");
    }
    int port = c.getInt("serve.port");
    requireAtLeast("serve.port", port, 1);
    if (port > MAX_PORT) {
      throw new ConfigError("serve.port must be at most " + MAX_PORT + ", got " + port);
    }
    String method = c.getString("serve.login").trim().toLowerCase(Locale.ROOT);
    String usersFile = c.getString("serve.users_file").trim();
    JobConfig.ServeLogin login =
        switch (method) {
          case "none" -> new JobConfig.ServeLogin(JobConfig.LoginMethod.NONE, usersFile, JobConfig.Ldap.NONE);
          case "password" -> {
            if (usersFile.isEmpty()) {
              throw new ConfigError("serve.users_file is required when serve.login = password");
            }
            yield new JobConfig.ServeLogin(JobConfig.LoginMethod.PASSWORD, usersFile, JobConfig.Ldap.NONE);
          }
          case "ldap" -> {
            JobConfig.Ldap ldap =
                new JobConfig.Ldap(
                    c.getString("serve.ldap.url").trim(), c.getString("serve.ldap.base_dn").trim(),
                    c.getString("serve.ldap.domain").trim(), c.getString("serve.ldap.user_dn_pattern").trim());
            if (!ldap.url().startsWith("ldap://") && !ldap.url().startsWith("ldaps://")) {
              throw new ConfigError("serve.ldap.url must be an ldap:// or ldaps:// URL when serve.login = ldap, got '" + ldap.url() + "'");
            }
            if (ldap.baseDn().isEmpty() && ldap.domain().isEmpty() && ldap.userDnPattern().isEmpty()) {
              throw new ConfigError(
                  "serve.login = ldap needs serve.ldap.base_dn, serve.ldap.user_dn_pattern or serve.ldap.domain to build the user's DN");
            }
            if (!ldap.userDnPattern().isEmpty() && !ldap.userDnPattern().contains("%s")) {
              throw new ConfigError("serve.ldap.user_dn_pattern must contain %s (the user name), got '" + ldap.userDnPattern() + "'");
            }
            yield new JobConfig.ServeLogin(JobConfig.LoginMethod.LDAP, usersFile, ldap);
          }
          default -> throw new ConfigError("serve.login must be one of none, password, ldap; got '" + method + "'");
        };
    String keystore = c.getString("serve.tls.keystore").trim();
    String passwordEnv = c.getString("serve.tls.keystore_password_env").trim();
    if (!keystore.isEmpty() && passwordEnv.isEmpty()) {
      throw new ConfigError("serve.tls.keystore_password_env is required with serve.tls.keystore (the variable that holds its password)");
    }
    return new JobConfig.Serve(host, port, login, keystore.isEmpty() ? JobConfig.Tls.OFF : new JobConfig.Tls(keystore, passwordEnv));
  }

  static JobConfig.Catalog parseCatalog(Config c, String outputRoot) {
    boolean enabled = c.getBoolean("catalog.enabled");
    String database = c.getString("catalog.database").trim();
    if (!DATABASE_NAME.matcher(database).matches()) {
      throw new ConfigError(
          "catalog.database must be a plain SQL name (letters, digits, underscores, not starting with a digit), got '" + database + "'");
    }
    String uri = c.getString("catalog.metastore_uri").trim();
    if (uri.isEmpty()) {
      java.net.URI root = new org.apache.hadoop.fs.Path(outputRoot).toUri();
      if (enabled && root.getScheme() != null && !root.getScheme().equals("file")) {
        throw new ConfigError(
            "catalog.metastore_uri: the embedded metastore lives in <output.root>/_metastore and needs a local output.root, but it is "
                + outputRoot + "; set catalog.metastore_uri to thrift://host:9083 or \"session\", or catalog.enabled = false");
      }
      return new JobConfig.Catalog(enabled, database, JobConfig.Metastore.EMBEDDED, "");
    }
    if (uri.equals("session")) {
      return new JobConfig.Catalog(enabled, database, JobConfig.Metastore.SESSION, "");
    }
    for (String part : uri.split(",")) {
      if (!part.trim().startsWith("thrift://")) {
        throw new ConfigError(
            "catalog.metastore_uri must be \"\" (embedded), \"session\" or thrift://host:port URIs separated by commas, got '" + uri + "'");
      }
    }
    return new JobConfig.Catalog(enabled, database, JobConfig.Metastore.EXTERNAL, uri);
  }
}
