package io.customerpyramid.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-signed server certificate for localhost made with the JDK's keytool, as docs/bi.md tells an
 * operator to make one: the server's key store and the clients' trust store.
 */
public record KeyStores(Path keystore, Path truststore, String password) {

  private static final Duration KEYTOOL_TIMEOUT = Duration.ofMinutes(1);

  public static KeyStores generate(Path dir, String password) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path keystore = dir.resolve("serve-keystore.p12");
    Path certificate = dir.resolve("serve.crt");
    Path truststore = dir.resolve("serve-truststore.p12");
    keytool(dir, "-genkeypair", "-alias", "serve", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", password);
    keytool(dir, "-exportcert", "-rfc", "-alias", "serve", "-keystore", keystore.toString(), "-storepass", password, "-file", certificate.toString());
    keytool(dir, "-importcert", "-noprompt", "-alias", "serve", "-file", certificate.toString(),
        "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", password);
    return new KeyStores(keystore, truststore, password);
  }

  private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Path log = dir.resolve("keytool.log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertEquals(0, Processes.waitFor(p, KEYTOOL_TIMEOUT), () -> "keytool " + args[0] + " failed: " + read(log));
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
