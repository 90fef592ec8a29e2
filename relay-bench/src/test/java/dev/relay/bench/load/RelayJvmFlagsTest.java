package dev.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The relay JVM the load generator starts gets scripts/relay's flags: the production set and the relay's own. */
class RelayJvmFlagsTest {
    @Test
    void theRelayRunsWithTheProductionSetAndItsPauseGoal() throws Exception {
        List<String> flags = RelayProcess.jvmFlags(Path.of("..").toAbsolutePath().normalize(), 17);
        assertThat(flags).contains("-Dio.netty.leakDetection.level=disabled", "-XX:MaxGCPauseMillis=5");
    }

    @Test
    void relayJvmOptionsComeLastSoTheyOverrideTheProjectsFlags() throws Exception {
        List<String> project = RelayProcess.jvmFlags(Path.of("..").toAbsolutePath().normalize(), 17);
        List<String> user = List.of("-XX:MaxGCPauseMillis=200");

        List<String> options = RelayProcess.jvmOptions(List.of("-Drun=1"), project, user);

        assertThat(options).startsWith("-Drun=1").endsWith("-XX:MaxGCPauseMillis=200");
        assertThat(options.lastIndexOf("-XX:MaxGCPauseMillis=200"))
                .isGreaterThan(options.lastIndexOf("-XX:MaxGCPauseMillis=5"));
    }
}
