package io.customerpyramid.serve;

import java.nio.file.Path;
import javax.security.sasl.AuthenticationException;
import org.apache.hive.service.auth.PasswdAuthenticationProvider;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * HiveServer2's CUSTOM password check ({@code hive.server2.custom.authentication.class}) over a
 * {@link UsersFile}. HiveServer2 makes one per login, so a user added while the server runs can log in
 * at once. Hive builds it from a fresh {@code HiveConf}, which sees System properties but not the
 * Spark session's settings: {@link ServeSecurity} puts the users file in {@link #USERS_FILE_PROPERTY}.
 */
public final class UsersFileLogin implements PasswdAuthenticationProvider {

  public static final String USERS_FILE_PROPERTY = "customerpyramid.serve.users_file";
  private static final Logger LOG = LogManager.getLogger(UsersFileLogin.class);

  @Override
  public void Authenticate(String user, String password) throws AuthenticationException {
    String file = System.getProperty(USERS_FILE_PROPERTY);
    if (file == null) {
      throw new AuthenticationException("The server has no users file (" + USERS_FILE_PROPERTY + " is not set)");
    }
    UsersFile users;
    try {
      users = UsersFile.read(Path.of(file));
    } catch (RuntimeException e) {
      LOG.error("Login refused: {}", e.getMessage());
      throw new AuthenticationException("The server cannot read its users file; see its log");
    }
    if (!users.verify(user, password == null ? null : password.toCharArray())) {
      LOG.warn("Login refused for user '{}'", printable(user));
      throw new AuthenticationException("Wrong user name or password");
    }
    LOG.info("Login of user '{}'", user);
  }

  /** A user name as a log line can hold it: whatever the client sent, without control characters. */
  static String printable(String user) {
    if (user == null) {
      return "";
    }
    String shown = user.replaceAll("\\p{Cntrl}", "?");
    return shown.length() > 64 ? shown.substring(0, 64) + "..." : shown;
  }
}
