package dev.relay.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterConfigTest {

    @Test
    void defaultsMatchSpec() {
        ClusterConfig c = RelayConfig.load(null, Map.of()).cluster();
        assertThat(c.enabled()).isFalse();
        assertThat(c.redisUrl()).isEqualTo("redis://127.0.0.1:6379/0");
        assertThat(c.redisPassword()).isEmpty();
        assertThat(c.controlUrl()).isEmpty();
        assertThat(c.heartbeatMs()).isEqualTo(5000);
        assertThat(c.heartbeatTtlMs()).as("three missed beats").isEqualTo(15_000);
        assertThat(c.commandTimeoutMs()).isEqualTo(300);
        assertThat(c.nodeId()).as("<hostname>-<telephony port>")
                .isEqualTo(ClusterConfig.derivedNodeId(ClusterConfig.localHostname(), 8443)).endsWith("-8443");
    }

    @Test
    void derivedNodeIdKeepsOnlyKeySafeCharacters() {
        assertThat(ClusterConfig.derivedNodeId("relay-7.example.com", 8443)).isEqualTo("relay-7.example.com-8443");
        assertThat(ClusterConfig.derivedNodeId("we:ird host", 9)).isEqualTo("we-ird-host-9");
        assertThat(ClusterConfig.derivedNodeId("", 1)).isEqualTo("relay-1");
        assertThat(ClusterConfig.derivedNodeId("h".repeat(100), 8443)).hasSize(64).endsWith("h-8443");
    }

    @Test
    void redisPasswordComesFromTheEnvironment() {
        RelayConfig c = RelayConfig.load(null, Map.of("RELAY_REDIS_PASSWORD", "pw"));
        assertThat(c.cluster().redisPassword()).isEqualTo("pw");
    }

    @Test
    void clusterModeNeedsAControlToken(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.conf");
        Files.writeString(file, "relay.cluster.enabled = true\n");
        assertThatThrownBy(() -> RelayConfig.load(file, Map.of()))
                .isInstanceOf(ConfigError.class)
                .satisfies(e -> assertThat(((ConfigError) e).key()).isEqualTo("relay.control.token"))
                .hasMessageContaining("RELAY_CONTROL_TOKEN");
        RelayConfig withToken = RelayConfig.load(file, Map.of("RELAY_CONTROL_TOKEN", "t"));
        assertThat(withToken.cluster().enabled()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "relay.cluster.redis-url = \"http://h:6379\"      | relay.cluster.redis-url",
        "relay.cluster.redis-url = \"redis://\"           | relay.cluster.redis-url",
        "relay.cluster.redis-url = \"redis://h:1/x\"      | relay.cluster.redis-url",
        "relay.cluster.redis-url = \"redis://h?t=1\"      | relay.cluster.redis-url",
        "relay.cluster.redis-url = \"\"                   | relay.cluster.redis-url",
        "relay.cluster.node-id = \"a:b\"                  | relay.cluster.node-id",
        "relay.cluster.node-id = \"has space\"            | relay.cluster.node-id",
        "relay.cluster.control-url = \"10.0.0.5:8081\"    | relay.cluster.control-url",
        "relay.cluster.control-url = \"ftp://h/\"         | relay.cluster.control-url",
        "relay.cluster.heartbeat = 10ms                   | relay.cluster.heartbeat",
        "relay.cluster.command-timeout = 1ms              | relay.cluster.command-timeout",
        "relay.cluster.enabled = maybe                    | relay.cluster.enabled",
    })
    void badValueNamesItsKey(String hocon, String key, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, hocon);
        assertThatThrownBy(() -> RelayConfig.load(file, Map.of()))
                .isInstanceOf(ConfigError.class)
                .satisfies(e -> assertThat(((ConfigError) e).key()).isEqualTo(key))
                .hasMessageStartingWith(key + ": ");
    }

    @Test
    void explicitValuesAreKept(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.conf");
        Files.writeString(file, """
                relay.cluster {
                  enabled = true
                  redis-url = "rediss://user@redis.internal:6380/2"
                  node-id = "relay-7"
                  control-url = "https://relay-7.internal:8081"
                  heartbeat = 2s
                  command-timeout = 150ms
                }
                """);
        ClusterConfig c = RelayConfig.load(file, Map.of("RELAY_CONTROL_TOKEN", "t")).cluster();
        assertThat(c).isEqualTo(new ClusterConfig(true, "rediss://user@redis.internal:6380/2", "", "relay-7",
                "https://relay-7.internal:8081", 2000, 150));
        assertThat(c.controlUrlFor(new InetSocketAddress("127.0.0.1", 1))).isEqualTo("https://relay-7.internal:8081");
    }

    @Test
    void controlUrlIsDerivedFromTheBoundListener() {
        ClusterConfig c = new ClusterConfig(true, "redis://h", "", "n", "", 5000, 300);
        assertThat(c.controlUrlFor(new InetSocketAddress("10.0.0.5", 8081))).isEqualTo("http://10.0.0.5:8081");
        assertThat(c.controlUrlFor(new InetSocketAddress("::1", 8081))).isEqualTo("http://[0:0:0:0:0:0:0:1]:8081");
        assertThat(c.controlUrlFor(new InetSocketAddress("0.0.0.0", 8081)))
                .as("a wildcard bind becomes the host name")
                .isEqualTo("http://" + ClusterConfig.localHostname() + ":8081");
    }
}
