package io.customerpyramid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.ConfigError;
import io.customerpyramid.config.JobConfig;
import org.junit.jupiter.api.Test;

/** serve and serve-users from the command line; nothing here starts Spark. */
class ServeCommandTest {

  @Test
  void fromTheCommandLineItEndsWithTheConfigurationExitCodeBeforeSparkStarts() {
    assertEquals(ExitCodes.CONFIG_ERROR, SegmentCli.execute("serve", "--host", "0.0.0.0", "--port", "10077"));
  }

  @Test
  void serveUsersAddsChangesListsAndRemovesUsers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("users");
    String users = "--users-file=" + file;
    assertEquals(ExitCodes.SUCCESS, withStdin("first password\n", () -> SegmentCli.execute("serve-users", "add", "analyst", users, "--password-stdin")));
    assertTrue(java.nio.file.Files.readString(file).contains("\nanalyst:pbkdf2-sha256:600000:"), "OWASP's count by default");
    String fast = "--iterations=" + io.customerpyramid.serve.UsersFile.MIN_ITERATIONS;
    assertEquals(ExitCodes.SUCCESS, withStdin("second password\n", () -> SegmentCli.execute("serve-users", "add", "analyst", users, fast, "--password-stdin")));
    assertTrue(io.customerpyramid.serve.UsersFile.read(file).verify("analyst", "second password".toCharArray()));
    assertEquals(ExitCodes.CONFIG_ERROR, withStdin("short\n", () -> SegmentCli.execute("serve-users", "add", "bob", users, fast, "--password-stdin")));
    assertEquals(ExitCodes.CONFIG_ERROR, withStdin("", () -> SegmentCli.execute("serve-users", "add", "bob", users, fast, "--password-stdin")));
    assertEquals(java.util.List.of("analyst"), io.customerpyramid.serve.UsersFile.read(file).names());
    assertEquals(ExitCodes.SUCCESS, SegmentCli.execute("serve-users", "list", users));
    assertEquals(ExitCodes.CONFIG_ERROR, SegmentCli.execute("serve-users", "remove", "bob", users));
    assertEquals(ExitCodes.SUCCESS, SegmentCli.execute("serve-users", "remove", "analyst", users));
    assertEquals(java.util.List.of(), io.customerpyramid.serve.UsersFile.read(file).names());
  }

  private static int withStdin(String text, java.util.function.IntSupplier command) {
    java.io.InputStream before = System.in;
    System.setIn(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    try {
      return command.getAsInt();
    } finally {
      System.setIn(before);
    }
  }
}
