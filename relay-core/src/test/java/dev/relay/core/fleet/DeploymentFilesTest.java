package dev.relay.core.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.config.RelayConfig;
import dev.relay.core.node.DrainConfig;
import dev.relay.core.testing.TestRelays;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment files (SPEC §8.4) agree with the relay they deploy: the systemd unit's stop
 * timeout outlasts the default drain, and the shipped HAProxy configuration is one HAProxy accepts
 * with the environment a pool gives it. (The fleet suite in relay-bench runs HAProxy with it.)
 */
@Timeout(60)
class DeploymentFilesTest {
    private static Path config(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("config").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("config/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    private static String unitValue(List<String> unit, String key) {
        return unit.stream().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError("relay.service has no " + key));
    }

    @Test
    void theSystemdUnitDrainsOnSigtermAndNeverKillsADrainingRelay() throws IOException {
        List<String> unit = Files.readAllLines(config("relay.service"), StandardCharsets.UTF_8);
        RelayConfig defaults = RelayConfig.from(TestRelays.config(""));
        DrainConfig drain = DrainConfig.from(defaults);
        Duration stop = Duration.parse("PT" + unitValue(unit, "TimeoutStopSec").replace("min", "M"));
        assertThat(stop.toMillis()).as("TimeoutStopSec above drain timeout + flush timeout")
                .isGreaterThan(drain.timeoutMs() + defaults.flushTimeoutMs());
        assertThat(unitValue(unit, "KillSignal")).isEqualTo("SIGTERM");
        assertThat(Long.parseLong(unitValue(unit, "LimitNOFILE"))).isGreaterThanOrEqualTo(65536);
        assertThat(unitValue(unit, "EnvironmentFile")).isNotBlank();
        assertThat(unitValue(unit, "Restart")).isEqualTo("on-failure");
        assertThat(unitValue(unit, "ExecStart")).contains("scripts/relay --config");
    }

    @Test
    void haproxyAcceptsTheShippedPoolConfiguration(@TempDir Path dir) throws Exception {
        Path cfg = config("haproxy.cfg");
        String text = Files.readString(cfg, StandardCharsets.UTF_8);
        assertThat(text).contains("mode tcp", "balance leastconn", "uri /readyz", "agent-check", "timeout tunnel");
        ProcessBuilder pb = new ProcessBuilder(haproxy(), "-c", "-f", cfg.toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.putAll(Map.of("RELAY_NODE1", "127.0.1.1", "RELAY_NODE2", "127.0.1.2", "RELAY_NODE3", "127.0.1.3",
                "RELAY_POOL_ADMIN_SOCKET", dir.resolve("admin.sock").toString(), "RELAY_POOL_MAXCONN", "1000"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** The haproxy binary ({@code .ci/run} installs Debian's package; it lives in /usr/sbin). */
    static String haproxy() {
        for (String dir : List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(dir, "haproxy"))) {
                return Path.of(dir, "haproxy").toString();
            }
        }
        return "haproxy";
    }
}
