package dev.relay.core.cluster;

import static dev.relay.core.cluster.ClusterRig.call;
import static dev.relay.core.cluster.ClusterRig.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.cluster.ClusterRig.Node;
import dev.relay.core.config.ClusterConfig;
import dev.relay.core.net.Json;
import dev.relay.core.testing.RedisServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine on each transport the relay's loops may run: Lettuce must open channels of the
 * loops' own transport (epoll, io_uring, NIO) to share them, and falls back to a thread of its own
 * where it cannot, still working.
 */
@Timeout(120)
class ClusterTransportTest {
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio", "io_uring"})
    void sharesTheRelaysLoopsOnEachTransport(String transport, @TempDir Path dir) throws Exception {
        JsonNode probe = probe(transport, dir);
        assumeFalse(probe.has("skip"), () -> probe.path("skip").asText());
        assertThat(probe.path("shared").asBoolean()).as(probe.toString()).isTrue();
        assertThat(probe.path("up").asBoolean()).as(probe.toString()).isTrue();
        assertThat(probe.path("claim").asText()).isEqualTo("CLAIMED");
        assertThat(probe.path("owner").asText()).isEqualTo("ALIVE");
    }

    @Test
    void loopsLettuceCannotUseGetItsOwnThreadAndStillWork() throws Exception {
        EventLoopGroup local = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        try (ClusterRig rig = new ClusterRig(redis)) {
            // The rig's epoll engine first: Lettuce now uses epoll in this JVM, whatever ran before.
            Node epoll = rig.start("node-epoll", 1000, 2000);
            assertThat(epoll.cluster.sharesLoops()).isTrue();
            EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            try {
                for (EventLoopGroup loops : List.of(local, nio)) {
                    RedisCluster c = (RedisCluster) Clusters.create(
                            new ClusterConfig(true, redis.url(), "", "node-other", "", 1000, 2000),
                            new NodeIdentity("node-other", "http://127.0.0.1:9", "t"), loops,
                            () -> new NodeStatus(NodeState.READY, 0, 1), e -> { });
                    try {
                        get(c.start());
                        assertThat(c.sharesLoops()).isFalse();
                        assertThat(c.up()).isTrue();
                        assertThat(get(c.claim(call("own-thread")))).isEqualTo(Claim.claimed(null));
                        assertThat(get(epoll.cluster.owner("own-thread")).node()).isEqualTo("node-other");
                        get(c.unregister("own-thread"));
                    } finally {
                        c.close();
                    }
                }
            } finally {
                nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        } finally {
            local.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static JsonNode probe(String transport, Path dir) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + System.getProperty("jvm.argfile"),
                "-cp", System.getProperty("java.class.path"), TransportProbe.class.getName(), transport, redis.url()));
        Path out = dir.resolve("probe.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("probe " + transport + " exits").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String log = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(log).isZero();
        String line = log.lines().filter(l -> l.startsWith("PROBE ")).findFirst()
                .orElseThrow(() -> new AssertionError("no PROBE line: " + log));
        return Json.MAPPER.readTree(line.substring("PROBE ".length()));
    }
}
