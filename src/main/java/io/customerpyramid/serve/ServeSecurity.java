package io.customerpyramid.serve;

import io.customerpyramid.config.ConfigError;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.config.JobConfig.LoginMethod;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code serve} is reached and who may log in, checked before Spark starts and turned into
 * HiveServer2's own settings.
 *
 * @param hadoopSettings HiveServer2 settings for the session's Hadoop configuration ({@code spark.hadoop.} prefix)
 * @param systemProperties settings that HiveServer2 reads from a fresh {@code HiveConf} at each login
 *     (the CUSTOM and LDAP providers), which sees only System properties
 * @param warnings what the operator should know before handing the address out
 * @param description one line for the console: login and transport
 */
public record ServeSecurity(
    Map<String, String> hadoopSettings, Map<String, String> systemProperties, List<String> warnings, String description) {

  static final String AUTHENTICATION = "hive.server2.authentication";
  private static final String CUSTOM_CLASS = "hive.server2.custom.authentication.class";

  /**
   * Checks {@code serve}'s settings against the files and variables they name.
   *
   * @param allowOpenNetwork the operator's consent to listen on a non-loopback address without login
   * @param environment the process environment (the key store's password comes from it)
   */
  public static ServeSecurity of(JobConfig.Serve serve, boolean allowOpenNetwork, Map<String, String> environment) {
    Map<String, String> hadoop = new LinkedHashMap<>();
    Map<String, String> system = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    boolean loopback = isLoopback(serve.host());
    JobConfig.ServeLogin login = serve.login();
    String loginText;
    switch (login.method()) {
      case NONE -> {
        if (!loopback && !allowOpenNetwork) {
          throw new ConfigError(
              "serve.host: " + serve.host() + " is reachable from other hosts, and serve.login = none lets anyone who reaches port "
                  + serve.port() + " query every table. Set serve.login = password (users from jobs/segment serve-users add) or ldap,"
                  + " keep serve.host = localhost (and reach it through an SSH tunnel), or pass --allow-open-network to listen there anyway.");
        }
        hadoop.put(AUTHENTICATION, "NONE");
        loginText = "no login (any user name)" + (loopback ? "" : ", opened to the network with --allow-open-network");
      }
      case PASSWORD -> {
        Path usersFile = Path.of(login.usersFile()).toAbsolutePath();
        if (!Files.isRegularFile(usersFile)) {
          throw new ConfigError(
              "serve.users_file: " + usersFile + " does not exist; add the first user with jobs/segment serve-users add NAME");
        }
        UsersFile users = UsersFile.read(usersFile);
        if (users.names().isEmpty()) {
          throw new ConfigError("serve.users_file: " + usersFile + " has no users; add one with jobs/segment serve-users add NAME");
        }
        hadoop.put(AUTHENTICATION, "CUSTOM");
        system.put(AUTHENTICATION, "CUSTOM");
        system.put(CUSTOM_CLASS, UsersFileLogin.class.getName());
        system.put(UsersFileLogin.USERS_FILE_PROPERTY, usersFile.toString());
        loginText = "password login, " + users.names().size() + " user(s) in " + usersFile;
      }
      case LDAP -> {
        JobConfig.Ldap ldap = login.ldap();
        hadoop.put(AUTHENTICATION, "CUSTOM");
        system.put(AUTHENTICATION, "CUSTOM");
        system.put(CUSTOM_CLASS, LdapLogin.class.getName());
        system.put("hive.server2.authentication.ldap.url", ldap.url());
        putIfSet(system, "hive.server2.authentication.ldap.baseDN", ldap.baseDn());
        putIfSet(system, "hive.server2.authentication.ldap.Domain", ldap.domain());
        putIfSet(system, "hive.server2.authentication.ldap.userDNPattern", ldap.userDnPattern());
        loginText = "LDAP login at " + ldap.url();
      }
      default -> throw new IllegalStateException("login method " + login.method());
    }
    String transport;
    if (serve.tls().enabled()) {
      JobConfig.Tls tls = serve.tls();
      Path keystore = Path.of(tls.keystore()).toAbsolutePath();
      String password = environment.get(tls.passwordEnv());
      if (password == null || password.isEmpty()) {
        throw new ConfigError(
            "serve.tls.keystore_password_env: the environment variable " + tls.passwordEnv() + " (the password of " + keystore + ") is not set");
      }
      requireKeystoreOpens(keystore, password);
      hadoop.put("hive.server2.use.SSL", "true");
      hadoop.put("hive.server2.keystore.path", keystore.toString());
      hadoop.put("hive.server2.keystore.password", password);
      transport = "TLS (" + keystore + ")";
    } else {
      transport = "plain TCP";
      if (!loopback && login.method() != LoginMethod.NONE) {
        warnings.add(
            "Passwords cross the network in clear text: serve.tls.keystore is not set (docs/bi.md shows how to make a key store).");
      }
    }
    return new ServeSecurity(Map.copyOf(hadoop), Map.copyOf(system), List.copyOf(warnings), loginText + "; " + transport);
  }

  /** {@code ;ssl=true} when clients must speak TLS, for the printed JDBC URL. */
  public String urlSuffix() {
    return "true".equals(hadoopSettings.get("hive.server2.use.SSL")) ? ";ssl=true" : "";
  }

  private static void putIfSet(Map<String, String> settings, String key, String value) {
    if (!value.isEmpty()) {
      settings.put(key, value);
    }
  }

  static boolean isLoopback(String host) {
    try {
      return Arrays.stream(InetAddress.getAllByName(host)).allMatch(InetAddress::isLoopbackAddress);
    } catch (UnknownHostException e) {
      throw new ConfigError("serve.host: unknown host '" + host + "'");
    }
  }

  /** HiveServer2 would only fail at its first client with an obscure error: open the key store now. */
  private static void requireKeystoreOpens(Path keystore, String password) {
    if (!Files.isRegularFile(keystore)) {
      throw new ConfigError("serve.tls.keystore: " + keystore + " does not exist");
    }
    try {
      KeyStore store = KeyStore.getInstance(keystore.toFile(), password.toCharArray());
      boolean hasKey = false;
      for (String alias : java.util.Collections.list(store.aliases())) {
        hasKey |= store.isKeyEntry(alias);
      }
      if (!hasKey) {
        throw new ConfigError("serve.tls.keystore: " + keystore + " has no private key (it is a trust store?)");
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigError(
          "serve.tls.keystore: cannot open " + keystore + " with the password in the environment (" + e.getMessage() + ")", e);
    }
  }
}
