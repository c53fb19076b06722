package io.customerpyramid.cli;

import io.customerpyramid.config.ConfigError;
import io.customerpyramid.serve.UsersFile;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code segment serve-users}: the users who may log in to {@code serve} with
 * {@code serve.login = password}. Starts no Spark.
 */
@Command(
    name = "serve-users",
    mixinStandardHelpOptions = true,
    description = "Add, remove or list the users of serve (serve.login = password); only salted hashes are stored.",
    subcommands = {ServeUsersCommand.Add.class, ServeUsersCommand.Remove.class, ServeUsersCommand.ListUsers.class})
final class ServeUsersCommand {

  /** The users file: --users-file, else serve.users_file of the configuration. */
  static final class FileOptions {
    @Mixin ConfigOptions configOptions = new ConfigOptions();

    @Option(names = "--users-file", paramLabel = "FILE", description = "Users file (default: serve.users_file, conf/serve-users).")
    Path usersFile;

    Path path() {
      return usersFile != null ? usersFile : Path.of(configOptions.load().serve().login().usersFile());
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user, or give an existing user a new password.")
  static final class Add implements Callable<Integer> {
    @Mixin FileOptions file = new FileOptions();

    @Parameters(paramLabel = "NAME", description = "User name (letters, digits, . _ @ -).")
    String name;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input (for scripts), instead of asking twice on the terminal.")
    boolean passwordStdin;

    @Option(
        names = "--iterations",
        paramLabel = "N",
        description = "PBKDF2-HMAC-SHA256 iterations (default: ${DEFAULT-VALUE}, OWASP's figure; each login costs this many).")
    int iterations = UsersFile.ITERATIONS;

    @Override
    public Integer call() throws IOException {
      UsersFile users = UsersFile.read(file.path());
      char[] password = passwordStdin ? firstLineOfStdin() : askTwice(name);
      try {
        boolean existed = users.names().contains(name);
        users.with(name, password, iterations).write();
        System.out.println((existed ? "Changed the password of " : "Added ") + name + " in " + users.path()
            + "; a running serve takes it at the next login.");
      } finally {
        Arrays.fill(password, '\0');
      }
      return ExitCodes.SUCCESS;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a user; their next login is refused.")
  static final class Remove implements Callable<Integer> {
    @Mixin FileOptions file = new FileOptions();

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      UsersFile users = UsersFile.read(file.path());
      users.without(name).write();
      System.out.println("Removed " + name + " from " + users.path() + ".");
      return ExitCodes.SUCCESS;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the user names.")
  static final class ListUsers implements Callable<Integer> {
    @Mixin FileOptions file = new FileOptions();

    @Override
    public Integer call() {
      UsersFile users = UsersFile.read(file.path());
      users.names().forEach(System.out::println);
      System.out.flush();
      System.err.println(users.names().size() + " user(s) in " + users.path());
      return ExitCodes.SUCCESS;
    }
  }

  private static char[] firstLineOfStdin() throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line = in.readLine();
    if (line == null || line.isEmpty()) {
      throw new ConfigError("--password-stdin: standard input has no password on its first line");
    }
    return line.toCharArray();
  }

  private static char[] askTwice(String name) {
    Console console = System.console();
    if (console == null) {
      throw new ConfigError("No terminal to ask for the password: pass --password-stdin and write the password to standard input");
    }
    char[] first = console.readPassword("Password for %s: ", name);
    char[] second = console.readPassword("Again: ");
    if (first == null || second == null || !Arrays.equals(first, second)) {
      throw new ConfigError("The two passwords differ; nothing was changed");
    }
    Arrays.fill(second, '\0');
    return first;
  }
}
