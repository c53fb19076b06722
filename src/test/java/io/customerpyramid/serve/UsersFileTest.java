package io.customerpyramid.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.ConfigError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The users file of serve's password login: salted PBKDF2 hashes, written whole, read strictly. */
class UsersFileTest {

  /** The default (600,000) takes seconds per hash in the tests' C1-only JVMs; the scheme is the same. */
  private static final int FAST = UsersFile.MIN_ITERATIONS;

  @TempDir Path dir;

  @Test
  void aUserLogsInWithTheirPasswordOnlyAndTheFileHoldsNoPassword() throws Exception {
    Path path = dir.resolve("conf/serve-users");
    UsersFile.read(path).with("analyst", "correct horse".toCharArray(), FAST).with("bi.tool@example", "battery staple".toCharArray(), FAST).write();
    UsersFile users = UsersFile.read(path);
    assertEquals(List.of("analyst", "bi.tool@example"), users.names());
    assertTrue(users.verify("analyst", "correct horse".toCharArray()));
    assertFalse(users.verify("analyst", "correct horsE".toCharArray()));
    assertFalse(users.verify("analyst", "battery staple".toCharArray()), "another user's password");
    assertFalse(users.verify("nobody", "correct horse".toCharArray()), "an unknown user");
    assertFalse(users.verify("analyst", new char[0]));
    assertFalse(users.verify("analyst", null));
    String text = Files.readString(path);
    assertFalse(text.contains("correct horse") || text.contains("battery"), text);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
  }

  /** The stored hash is PBKDF2-HMAC-SHA256 of the password with the line's salt and count, recomputed here. */
  @Test
  void eachLineIsAStandardPbkdf2HashWithItsOwnSalt() throws Exception {
    Path path = dir.resolve("users");
    UsersFile.read(path).with("a", "same password".toCharArray(), FAST).with("b", "same password".toCharArray(), FAST).write();
    List<String> lines = Files.readAllLines(path).stream().filter(l -> !l.startsWith("#")).toList();
    assertEquals(2, lines.size());
    String[] a = lines.get(0).split(":");
    String[] b = lines.get(1).split(":");
    assertEquals(List.of("a", "pbkdf2-sha256", "10000"), List.of(a[0], a[1], a[2]));
    assertNotEquals(a[3], b[3], "salts differ");
    assertNotEquals(a[4], b[4], "so hashes of one password differ");
    byte[] salt = Base64.getDecoder().decode(a[3]);
    assertEquals(16, salt.length);
    PBEKeySpec spec = new PBEKeySpec("same password".toCharArray(), salt, FAST, 256);
    byte[] expected = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    assertEquals(Base64.getEncoder().encodeToString(expected), a[4]);
  }

  @Test
  void aLineWithFewerIterationsStillVerifiesAndANewPasswordReplacesTheOld() throws Exception {
    Path path = dir.resolve("users");
    byte[] salt = new byte[16];
    PBEKeySpec spec = new PBEKeySpec("old password".toCharArray(), salt, 1000, 256);
    byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    Files.writeString(path, "# hand-written\nlegacy:pbkdf2-sha256:1000:" + Base64.getEncoder().encodeToString(salt) + ":"
        + Base64.getEncoder().encodeToString(hash) + "\n");
    UsersFile users = UsersFile.read(path);
    assertTrue(users.verify("legacy", "old password".toCharArray()));
    users.with("legacy", "new password".toCharArray(), FAST).write();
    UsersFile changed = UsersFile.read(path);
    assertFalse(changed.verify("legacy", "old password".toCharArray()));
    assertEquals(List.of("legacy"), changed.names());
    changed.without("legacy").write();
    assertEquals(List.of(), UsersFile.read(path).names());
  }

  @Test
  void badNamesPasswordsAndLinesAreRefusedByName() throws Exception {
    UsersFile none = UsersFile.read(dir.resolve("missing"));
    assertEquals(List.of(), none.names());
    assertTrue(assertThrows(ConfigError.class, () -> none.with("a:b", "long enough pw".toCharArray())).getMessage().contains("'a:b'"));
    assertTrue(assertThrows(ConfigError.class, () -> none.with("a", "short".toCharArray())).getMessage().contains("at least 10 characters"));
    assertTrue(assertThrows(ConfigError.class, () -> none.with("a", "long enough pw".toCharArray(), 1000)).getMessage().contains("at least 10000"));
    assertTrue(assertThrows(ConfigError.class, () -> none.without("ghost")).getMessage().contains("no user 'ghost'"));
    Path path = dir.resolve("users");
    Files.writeString(path, "# users\n\nanalyst:plain:secret\n");
    ConfigError malformed = assertThrows(ConfigError.class, () -> UsersFile.read(path));
    assertTrue(malformed.getMessage().contains(path + ":3 is not name:pbkdf2-sha256"), malformed.getMessage());
    Files.writeString(path, "analyst:pbkdf2-sha256:1000:AAAA:AAAA\nanalyst:pbkdf2-sha256:1000:AAAA:AAAA\n");
    assertTrue(assertThrows(ConfigError.class, () -> UsersFile.read(path)).getMessage().contains(":2 lists user 'analyst' a second time"));
    Files.writeString(path, "analyst:pbkdf2-sha256:many:AAAA:AAAA\n");
    assertTrue(assertThrows(ConfigError.class, () -> UsersFile.read(path)).getMessage().contains(":1 has a malformed iteration count"));
  }
}
