package io.customerpyramid.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.testing.Fixtures;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Config files written for a test, and the ConfigError a configuration raises. */
final class ConfigFixtures {

  private ConfigFixtures() {}

  static ConfigError configError(String... overrides) {
    return assertThrows(ConfigError.class, () -> Fixtures.config(overrides));
  }

  static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "expected the message to contain <" + part + "> but was: " + message);
    }
  }

  static File file(Path dir, String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return file.toFile();
  }
}
