package io.customerpyramid.serve;

import javax.security.sasl.AuthenticationException;
import org.apache.hive.service.auth.AuthenticationProviderFactory;
import org.apache.hive.service.auth.AuthenticationProviderFactory.AuthMethods;
import org.apache.hive.service.auth.PasswdAuthenticationProvider;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * HiveServer2's own LDAP pass-through (a simple bind as the user, configured by the
 * {@code hive.server2.authentication.ldap.*} System properties that {@link ServeSecurity} sets),
 * plugged in as the CUSTOM provider so that every refusal is logged like a {@link UsersFileLogin} one.
 */
public final class LdapLogin implements PasswdAuthenticationProvider {

  private static final Logger LOG = LogManager.getLogger(LdapLogin.class);

  @Override
  public void Authenticate(String user, String password) throws AuthenticationException {
    try {
      AuthenticationProviderFactory.getAuthenticationProvider(AuthMethods.LDAP).Authenticate(user, password);
    } catch (AuthenticationException e) {
      LOG.warn("Login refused for user '{}' by the LDAP server ({})", UsersFileLogin.printable(user), e.getMessage());
      throw new AuthenticationException("Wrong user name or password");
    }
    LOG.info("Login of user '{}' (LDAP)", user);
  }
}
