package dev.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The relay JVM the load generator starts gets scripts/relay's flags: the production set, the
 * relay's collector, then the user's own, which override them.
 */
class RelayJvmFlagsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theRelayRunsWithTheProductionSetAndItsCollector() throws Exception {
        List<String> flags = RelayProcess.jvmFlags(ROOT, 17, List.of());

        assertThat(flags).contains("-Dio.netty.leakDetection.level=disabled", "-XX:+UseZGC");
    }

    @Test
    void relayJvmOptionsComeLastSoTheyOverrideTheProjectsFlags() throws Exception {
        List<String> flags = RelayProcess.jvmFlags(ROOT, 17, List.of("-Dio.netty.leakDetection.level=simple"));

        assertThat(flags).endsWith("-Dio.netty.leakDetection.level=simple");
        assertThat(flags.lastIndexOf("-Dio.netty.leakDetection.level=simple"))
                .isGreaterThan(flags.indexOf("-Dio.netty.leakDetection.level=disabled"));
    }

    @Test
    void aCollectorOfTheUsersReplacesTheProjectsSoTheJvmStarts() throws Exception {
        List<String> flags = RelayProcess.jvmFlags(ROOT, 17, List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=5"));

        assertThat(flags).doesNotContain("-XX:+UseZGC").endsWith("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=5");
        String finalFlags = runJava(flags);
        assertThat(finalFlags).containsPattern("bool UseG1GC\\s+= true").containsPattern("bool UseZGC\\s+= false");
    }

    @Test
    void withoutAUserCollectorTheJvmRunsTheProjects() throws Exception {
        String finalFlags = runJava(RelayProcess.jvmFlags(ROOT, 17, List.of("-Xmx64m")));

        assertThat(finalFlags).containsPattern("bool UseZGC\\s+= true");
    }

    /** Starts this JDK's java with {@code flags}; returns its final flag values (fails if it refuses them). */
    private static String runJava(List<String> flags) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
