package io.customerpyramid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.config.ConfigError;
import io.customerpyramid.config.JobConfig;
import org.junit.jupiter.api.Test;

/** serve refuses to listen open on the network; nothing here starts Spark. */
class ServeCommandTest {

  @Test
  void aNonLoopbackAddressIsRefusedUnlessTheOperatorAllowsIt() {
    ConfigError error =
        assertThrows(ConfigError.class, () -> ServeCommand.requireLoopbackOrConsent(new JobConfig.Serve("0.0.0.0", 10000), false));
    assertTrue(error.getMessage().contains("serve.host: 0.0.0.0 is reachable from other hosts"), error.getMessage());
    assertTrue(error.getMessage().contains("--allow-open-network"), error.getMessage());
    ServeCommand.requireLoopbackOrConsent(new JobConfig.Serve("0.0.0.0", 10000), true);
    ServeCommand.requireLoopbackOrConsent(new JobConfig.Serve("localhost", 10000), false);
    ServeCommand.requireLoopbackOrConsent(new JobConfig.Serve("127.0.0.1", 10000), false);
  }

  @Test
  void fromTheCommandLineItEndsWithTheConfigurationExitCodeBeforeSparkStarts() {
    assertEquals(ExitCodes.CONFIG_ERROR, SegmentCli.execute("serve", "--host", "0.0.0.0", "--port", "10077"));
  }
}
