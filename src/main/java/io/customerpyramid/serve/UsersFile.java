package io.customerpyramid.serve;

import io.customerpyramid.config.ConfigError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The users of {@code serve} with {@code login = password}: one line per user,
 * {@code name:pbkdf2-sha256:iterations:salt:hash} (salt and hash in Base64), {@code #} for comments.
 * Only salted PBKDF2 hashes are stored, never a password. Immutable: {@link #with} and
 * {@link #without} return a new value that {@link #write} saves.
 */
public final class UsersFile {

  static final String SCHEME = "pbkdf2-sha256";
  /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256: about a quarter of a second per login on a current core. */
  public static final int ITERATIONS = 600_000;
  public static final int MIN_ITERATIONS = 10_000;
  static final int MIN_PASSWORD_LENGTH = 10;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path path;
  private final Map<String, Entry> entries;

  private UsersFile(Path path, Map<String, Entry> entries) {
    this.path = path;
    this.entries = entries;
  }

  /** The users in {@code path}; a missing file has none. A malformed line is a {@link ConfigError} naming it. */
  public static UsersFile read(Path path) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    if (!Files.exists(path)) {
      return new UsersFile(path, entries);
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigError("serve.users_file: cannot read " + path + " (" + e.getMessage() + ")", e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Entry entry = Entry.parse(line, path + ":" + (i + 1));
      if (entries.putIfAbsent(entry.name(), entry) != null) {
        throw new ConfigError("serve.users_file: " + path + ":" + (i + 1) + " lists user '" + entry.name() + "' a second time");
      }
    }
    return new UsersFile(path, entries);
  }

  public Path path() {
    return path;
  }

  public List<String> names() {
    return List.copyOf(entries.keySet());
  }

  /** True only for a listed user and that user's password; as slow for an unknown user as for a known one. */
  public boolean verify(String name, char[] password) {
    if (password == null || password.length == 0) {
      return false;
    }
    Entry entry = entries.get(name);
    if (entry == null) {
      int iterations = entries.values().stream().mapToInt(Entry::iterations).max().orElse(ITERATIONS);
      Entry.pbkdf2(password, new byte[SALT_BYTES], iterations, HASH_BITS);
      return false;
    }
    return entry.matches(password);
  }

  /** These users with {@code name} added, or given a new password (and a new salt), hashed {@link #ITERATIONS} times. */
  public UsersFile with(String name, char[] password) {
    return with(name, password, ITERATIONS);
  }

  /** As {@link #with(String, char[])}, with another PBKDF2 iteration count (at least {@link #MIN_ITERATIONS}). */
  public UsersFile with(String name, char[] password, int iterations) {
    requireName(name);
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new ConfigError("The password must have at least " + MIN_PASSWORD_LENGTH + " characters");
    }
    if (iterations < MIN_ITERATIONS) {
      throw new ConfigError("The PBKDF2 iteration count must be at least " + MIN_ITERATIONS + ", got " + iterations);
    }
    Map<String, Entry> changed = new LinkedHashMap<>(entries);
    changed.put(name, Entry.of(name, password, iterations));
    return new UsersFile(path, changed);
  }

  public UsersFile without(String name) {
    if (!entries.containsKey(name)) {
      throw new ConfigError("serve.users_file: " + path + " has no user '" + name + "'; it has " + names());
    }
    Map<String, Entry> changed = new LinkedHashMap<>(entries);
    changed.remove(name);
    return new UsersFile(path, changed);
  }

  /** Replaces the file in one step, readable by its owner only (where the file system has POSIX permissions). */
  public void write() {
    List<String> lines = new ArrayList<>();
    lines.add("# customer-pyramid serve users: name:" + SCHEME + ":iterations:salt:hash. Edit with jobs/segment serve-users.");
    entries.values().forEach(e -> lines.add(e.line()));
    Path absolute = path.toAbsolutePath();
    try {
      Files.createDirectories(absolute.getParent());
      Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
      try {
        ownerOnly(temporary);
        keepOwner(absolute, temporary);
        Files.write(temporary, lines, StandardCharsets.UTF_8);
        try {
          Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new ConfigError("serve.users_file: cannot write " + path + " (" + e.getMessage() + ")", e);
    }
  }

  static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ConfigError(
          "A user name is 1 to 64 letters, digits and . _ @ - (starting with a letter or digit), got '" + name + "'");
    }
  }

  /**
   * An administrator (root) who edits the service user's file leaves it the service user's: a file
   * readable by its owner only must stay readable by the server.
   */
  private static void keepOwner(Path existing, Path replacement) {
    try {
      if (Files.exists(existing)) {
        Files.setOwner(replacement, Files.getOwner(existing));
      }
    } catch (IOException | UnsupportedOperationException | SecurityException notPermitted) {
      // Only root may give a file away; anyone else writes a file they own, as before.
    }
  }

  private static void ownerOnly(Path file) throws IOException {
    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }

  /** One user's line. */
  private record Entry(String name, int iterations, byte[] salt, byte[] hash) {

    static Entry of(String name, char[] password, int iterations) {
      byte[] salt = new byte[SALT_BYTES];
      RANDOM.nextBytes(salt);
      return new Entry(name, iterations, salt, pbkdf2(password, salt, iterations, HASH_BITS));
    }

    static Entry parse(String line, String where) {
      String[] parts = line.split(":", -1);
      if (parts.length != 5 || !SCHEME.equals(parts[1])) {
        throw new ConfigError(
            "serve.users_file: " + where + " is not name:" + SCHEME + ":iterations:salt:hash (add users with jobs/segment serve-users add)");
      }
      requireName(parts[0]);
      try {
        int iterations = Integer.parseInt(parts[2]);
        if (iterations < 1) {
          throw new NumberFormatException("iterations " + iterations);
        }
        byte[] hash = Base64.getDecoder().decode(parts[4]);
        if (hash.length == 0) {
          throw new IllegalArgumentException("empty hash");
        }
        return new Entry(parts[0], iterations, Base64.getDecoder().decode(parts[3]), hash);
      } catch (IllegalArgumentException e) {
        throw new ConfigError("serve.users_file: " + where + " has a malformed iteration count, salt or hash (" + e.getMessage() + ")", e);
      }
    }

    boolean matches(char[] password) {
      return MessageDigest.isEqual(hash, pbkdf2(password, salt, iterations, hash.length * Byte.SIZE));
    }

    String line() {
      Base64.Encoder base64 = Base64.getEncoder();
      return String.join(":", name, SCHEME, Integer.toString(iterations), base64.encodeToString(salt), base64.encodeToString(hash));
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int bits) {
      PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
      try {
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
      } finally {
        spec.clearPassword();
      }
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Entry e && name.equals(e.name) && iterations == e.iterations && Arrays.equals(salt, e.salt) && Arrays.equals(hash, e.hash);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return name + " (" + SCHEME + ", " + iterations + " iterations)";
    }
  }
}
