package io.customerpyramid.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import io.customerpyramid.config.ConfigError;
import io.customerpyramid.config.JobConfig;
import io.customerpyramid.config.JobConfig.LoginMethod;
import io.customerpyramid.testing.KeyStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.sasl.AuthenticationException;
import org.apache.hive.service.auth.AuthenticationProviderFactory;
import org.apache.hive.service.auth.AuthenticationProviderFactory.AuthMethods;
import org.apache.hive.service.auth.PasswdAuthenticationProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve's login and transport settings, checked before Spark starts, and the logins they configure
 * run through HiveServer2's own provider factory (as a server does at each client's login).
 */
class ServeSecurityTest {

  private static final Map<String, String> NO_ENVIRONMENT = Map.of();

  @TempDir static Path dir;
  private static KeyStores keyStores;
  private static Path usersFile;

  @BeforeAll
  static void usersAndCertificate() throws Exception {
    usersFile = dir.resolve("serve-users");
    UsersFile.read(usersFile).with("analyst", "correct horse".toCharArray(), UsersFile.MIN_ITERATIONS).write();
    keyStores = KeyStores.generate(dir.resolve("tls"), "keystore secret");
  }

  @Test
  void anOpenNetworkAddressNeedsALoginOrTheOperatorsConsent() {
    JobConfig.Serve open = new JobConfig.Serve("0.0.0.0", 10000, JobConfig.ServeLogin.NONE, JobConfig.Tls.OFF);
    ConfigError refused = assertThrows(ConfigError.class, () -> ServeSecurity.of(open, false, NO_ENVIRONMENT));
    assertTrue(refused.getMessage().contains("serve.host: 0.0.0.0 is reachable from other hosts"), refused.getMessage());
    assertTrue(refused.getMessage().contains("serve.login = password") && refused.getMessage().contains("--allow-open-network"));
    assertEquals(Map.of("hive.server2.authentication", "NONE"), ServeSecurity.of(open, true, NO_ENVIRONMENT).hadoopSettings());
    assertEquals(List.of(), ServeSecurity.of(JobConfig.Serve.local(10000), false, NO_ENVIRONMENT).warnings());
    ServeSecurity.of(new JobConfig.Serve("127.0.0.1", 10000, JobConfig.ServeLogin.NONE, JobConfig.Tls.OFF), false, NO_ENVIRONMENT);

    ServeSecurity withPasswords = ServeSecurity.of(new JobConfig.Serve("0.0.0.0", 10000, password(usersFile), JobConfig.Tls.OFF), false, NO_ENVIRONMENT);
    assertEquals("CUSTOM", withPasswords.hadoopSettings().get("hive.server2.authentication"));
    assertEquals(1, withPasswords.warnings().size());
    assertTrue(withPasswords.warnings().get(0).startsWith("Passwords cross the network in clear text"), withPasswords.warnings().toString());
  }

  @Test
  void passwordLoginNeedsAUsersFileWithUsers() throws Exception {
    JobConfig.Serve missing = new JobConfig.Serve("localhost", 10000, password(dir.resolve("nowhere")), JobConfig.Tls.OFF);
    assertTrue(assertThrows(ConfigError.class, () -> ServeSecurity.of(missing, false, NO_ENVIRONMENT)).getMessage()
        .contains("does not exist; add the first user with jobs/segment serve-users add NAME"));
    Path empty = Files.writeString(dir.resolve("empty-users"), "# nobody yet\n");
    JobConfig.Serve none = new JobConfig.Serve("localhost", 10000, password(empty), JobConfig.Tls.OFF);
    assertTrue(assertThrows(ConfigError.class, () -> ServeSecurity.of(none, false, NO_ENVIRONMENT)).getMessage().contains("has no users"));
  }

  @Test
  void tlsOpensTheKeyStoreBeforeTheServerStarts() {
    JobConfig.Tls tls = new JobConfig.Tls(keyStores.keystore().toString(), "SERVE_KEYSTORE_PASSWORD");
    JobConfig.Serve serve = new JobConfig.Serve("localhost", 10000, password(usersFile), tls);
    assertTrue(assertThrows(ConfigError.class, () -> ServeSecurity.of(serve, false, NO_ENVIRONMENT)).getMessage()
        .contains("the environment variable SERVE_KEYSTORE_PASSWORD (the password of " + keyStores.keystore() + ") is not set"));
    assertTrue(assertThrows(ConfigError.class, () -> ServeSecurity.of(serve, false, Map.of("SERVE_KEYSTORE_PASSWORD", "wrong"))).getMessage()
        .contains("serve.tls.keystore: cannot open " + keyStores.keystore()));
    JobConfig.Serve trustStoreOnly = new JobConfig.Serve("localhost", 10000, password(usersFile), new JobConfig.Tls(keyStores.truststore().toString(), "P"));
    assertTrue(assertThrows(ConfigError.class, () -> ServeSecurity.of(trustStoreOnly, false, Map.of("P", keyStores.password()))).getMessage()
        .contains("has no private key"));

    ServeSecurity security = ServeSecurity.of(serve, false, Map.of("SERVE_KEYSTORE_PASSWORD", keyStores.password()));
    assertEquals("true", security.hadoopSettings().get("hive.server2.use.SSL"));
    assertEquals(keyStores.keystore().toString(), security.hadoopSettings().get("hive.server2.keystore.path"));
    assertEquals(keyStores.password(), security.hadoopSettings().get("hive.server2.keystore.password"));
    assertEquals(";ssl=true", security.urlSuffix());
    assertTrue(security.systemProperties().keySet().stream().noneMatch(key -> key.contains("keystore")), "the password stays out of System properties");
  }

  /** HiveServer2 builds the CUSTOM provider from a fresh HiveConf at each login: it must find the users file there. */
  @Test
  void hiveServer2sCustomLoginChecksTheUsersFile() throws Exception {
    ServeSecurity security = ServeSecurity.of(new JobConfig.Serve("localhost", 10000, password(usersFile), JobConfig.Tls.OFF), false, NO_ENVIRONMENT);
    withSystemProperties(security.systemProperties(), () -> {
      PasswdAuthenticationProvider login = AuthenticationProviderFactory.getAuthenticationProvider(AuthMethods.CUSTOM);
      login.Authenticate("analyst", "correct horse");
      assertThrows(AuthenticationException.class, () -> login.Authenticate("analyst", "wrong horse"));
      assertThrows(AuthenticationException.class, () -> login.Authenticate("intruder", "correct horse"));
      assertThrows(AuthenticationException.class, () -> login.Authenticate("analyst", ""));
    });
  }

  /** LDAP pass-through (Hive's provider behind LdapLogin) against a real, in-memory directory: the server binds as the user. */
  @Test
  void hiveServer2sLdapLoginBindsAsTheUser() throws Exception {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("dc=example,dc=com");
    config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 0));
    InMemoryDirectoryServer directory = new InMemoryDirectoryServer(config);
    directory.add("dn: dc=example,dc=com", "objectClass: top", "objectClass: domain", "dc: example");
    directory.add("dn: ou=people,dc=example,dc=com", "objectClass: top", "objectClass: organizationalUnit", "ou: people");
    directory.add("dn: uid=ana,ou=people,dc=example,dc=com", "objectClass: top", "objectClass: person", "objectClass: inetOrgPerson",
        "uid: ana", "cn: Ana", "sn: Lyst", "userPassword: directory secret");
    directory.startListening();
    try {
      JobConfig.Ldap ldap = new JobConfig.Ldap("ldap://localhost:" + directory.getListenPort(), "ou=people,dc=example,dc=com", "", "");
      ServeSecurity security =
          ServeSecurity.of(new JobConfig.Serve("0.0.0.0", 10000, new JobConfig.ServeLogin(LoginMethod.LDAP, "", ldap), JobConfig.Tls.OFF), false, NO_ENVIRONMENT);
      assertEquals("CUSTOM", security.hadoopSettings().get("hive.server2.authentication"));
      withSystemProperties(security.systemProperties(), () -> {
        PasswdAuthenticationProvider login = AuthenticationProviderFactory.getAuthenticationProvider(AuthMethods.CUSTOM);
        login.Authenticate("ana", "directory secret");
        assertThrows(AuthenticationException.class, () -> login.Authenticate("ana", "guess"));
        assertThrows(AuthenticationException.class, () -> login.Authenticate("bob", "directory secret"));
      });
    } finally {
      directory.shutDown(true);
    }
  }

  private static JobConfig.ServeLogin password(Path file) {
    return new JobConfig.ServeLogin(LoginMethod.PASSWORD, file.toString(), JobConfig.Ldap.NONE);
  }

  private interface Check {
    void run() throws Exception;
  }

  /** System properties are the JVM's: set for the check, put back after it. */
  private static void withSystemProperties(Map<String, String> properties, Check check) throws Exception {
    Map<String, String> before = new HashMap<>();
    properties.keySet().forEach(key -> before.put(key, System.getProperty(key)));
    properties.forEach(System::setProperty);
    try {
      check.run();
    } finally {
      before.forEach((key, value) -> {
        if (value == null) {
          System.clearProperty(key);
        } else {
          System.setProperty(key, value);
        }
      });
    }
  }
}
