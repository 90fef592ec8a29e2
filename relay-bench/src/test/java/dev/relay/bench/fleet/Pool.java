package dev.relay.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.bench.fakes.FakeSessionStream;
import dev.relay.core.testing.ControlHttp;
import dev.relay.core.testing.PromText;
import dev.relay.core.testing.RedisServer;
import dev.relay.core.testing.WsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pool as an operator runs one, on this machine: a real {@code redis-server} (no persistence),
 * three relay processes each on its own loopback address (127.0.1.1, .2, .3) with the same ports,
 * a fake session-stream sink in this JVM that every call streams to, and HAProxy in front with
 * the shipped {@code config/haproxy.cfg}. Heartbeats, checks and grace periods are short so the
 * suite stays quick; everything else is the relays' defaults. Every process is stopped by its PID
 * in {@link #close}.
 */
final class Pool implements AutoCloseable {
    static final String CONTROL_TOKEN = "pool-control-token";
    static final String MEDIA_TOKEN = "pool-media-token";
    static final List<String> ADDRESSES = List.of("127.0.1.1", "127.0.1.2", "127.0.1.3");
    /**
     * relay.cluster.heartbeat in the pool: the default, 5 s, so a dead node expires after 15 s. A
     * test about dead nodes sets a shorter one ({@link #SHORT_HEARTBEAT}); not shorter than 2 s: on
     * a machine shared with other builds a live relay was seen to miss three 1 s beats, and a
     * survivor then reports its calls lost.
     */
    static final long HEARTBEAT_MS = 5000;
    static final long SHORT_HEARTBEAT_MS = 2000;
    /** The configuration of a pool whose dead nodes must expire quickly. */
    static final String SHORT_HEARTBEAT = "relay.cluster.heartbeat = " + SHORT_HEARTBEAT_MS + "ms";
    /**
     * relay.cluster.command-timeout in the pool: above the default 300 ms, since a test machine
     * running three relays, HAProxy and Redis on two shared cores stalls a process for longer than
     * that, and every command that times out takes its node off the cluster until the next beat.
     */
    static final long COMMAND_TIMEOUT_MS = 2000;

    final RedisServer redis;
    final FakeSessionStream sink;
    final SinkWatch watch = new SinkWatch();
    final List<RelayNode> nodes = new ArrayList<>();
    final Haproxy haproxy;
    final int mediaPort;
    private final Path dir;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private Pool(Path dir, String extraConfig) throws Exception {
        this.dir = dir;
        boolean ok = false;
        try {
            redis = RedisServer.start();
            closeables.add(redis);
            sink = FakeSessionStream.builder().threads(1).apiKey("pool-sink-key").recordAudio(false).listener(watch)
                    .start();
            closeables.add(sink);
            int telephony = PoolPorts.freeOn(ADDRESSES);
            int control = PoolPorts.freeOn(ADDRESSES);
            int agent = PoolPorts.freeOn(ADDRESSES);
            for (int i = 0; i < ADDRESSES.size(); i++) {
                String id = "node-" + (i + 1);
                RelayNode n = RelayNode.start(id, ADDRESSES.get(i), control, agent, dir.resolve(id),
                        config(id, ADDRESSES.get(i), telephony, control, agent, extraConfig));
                nodes.add(n);
                closeables.add(n);
            }
            for (RelayNode n : nodes) {
                n.awaitReady(n.http(CONTROL_TOKEN));
            }
            mediaPort = PoolPorts.freeOn(List.of("127.0.0.1"));
            int stats = PoolPorts.freeOn(List.of("127.0.0.1"));
            Map<String, String> env = new HashMap<>(Map.of(
                    "RELAY_POOL_BIND", "127.0.0.1:" + mediaPort,
                    "RELAY_POOL_STATS_BIND", "127.0.0.1:" + stats,
                    "RELAY_POOL_ADMIN_SOCKET", dir.resolve("haproxy-admin.sock").toString(),
                    "RELAY_POOL_MAXCONN", "2000",
                    "RELAY_MEDIA_PORT", Integer.toString(telephony),
                    "RELAY_CONTROL_PORT", Integer.toString(control),
                    "RELAY_AGENT_PORT", Integer.toString(agent),
                    "RELAY_CHECK_INTERVAL", "200ms",
                    "RELAY_AGENT_INTERVAL", "200ms",
                    // Above the shipped 2 s: a check must not fail because this machine is busy.
                    "RELAY_CHECK_TIMEOUT", "5s"));
            for (int i = 0; i < ADDRESSES.size(); i++) {
                env.put("RELAY_NODE" + (i + 1), ADDRESSES.get(i));
            }
            haproxy = Haproxy.start(shippedConfig("haproxy.cfg"), dir, env, "127.0.0.1:" + stats);
            closeables.add(haproxy);
            Waits.until("HAProxy sees every relay up", 30_000, () -> haproxy.servers().stream()
                    .filter(s -> s.backend().equals("relays")).allMatch(s -> s.status().equals("UP")),
                    () -> String.valueOf(safeServers()));
            ok = true;
        } finally {
            if (!ok) {
                close();
            }
        }
    }

    /** Starts a pool; {@code extraConfig} (HOCON) is added to every relay's configuration. */
    static Pool start(Path dir, String extraConfig) throws Exception {
        return new Pool(dir, extraConfig);
    }

    private String config(String id, String address, int telephony, int control, int agent, String extra) {
        return """
                relay {
                  telephony { host = "%2$s", port = %3$d, tls.enabled = false, auth.tokens = ["%7$s"] }
                  control { host = "%2$s", port = %4$d, token = "%6$s" }
                  admission { agent-port = %5$d, max-cpu = 0 }
                  cluster {
                    enabled = true, redis-url = "%8$s", node-id = "%1$s", heartbeat = %9$dms
                    command-timeout = %12$dms
                  }
                  drain { accept-grace = 1s }
                  shutdown.flush-timeout = 2s
                  routes.default = [session-stream]
                  sinks.session-stream {
                    base-url = "%10$s", api-key = "pool-sink-key", call-id-field = "%11$s", result-deadline = 0s
                  }
                }
                """.formatted(id, address, telephony, control, agent, CONTROL_TOKEN, MEDIA_TOKEN, redis.url(),
                HEARTBEAT_MS, sink.baseUrl(), SinkWatch.CALL_ID_FIELD, COMMAND_TIMEOUT_MS) + extra + "\n";
    }

    /** The telephony URL providers use: HAProxy's frontend. */
    String mediaUrl() {
        return "ws://127.0.0.1:" + mediaPort + "/media?token=" + MEDIA_TOKEN;
    }

    /** Starts a call through HAProxy, measured at the sink. */
    PacedCall call(String callId, int frames) {
        PacedCall c = PacedCall.start(mediaUrl(), callId, frames);
        watch.watch(c);
        return c;
    }

    ControlHttp http(RelayNode node) {
        return node.http(CONTROL_TOKEN);
    }

    RelayNode node(String id) {
        return nodes.stream().filter(n -> n.id.equals(id)).findFirst().orElseThrow();
    }

    /** The HAProxy server name of {@code node} (relay1..3). */
    static String serverOf(RelayNode node) {
        return "relay" + node.id.substring("node-".length());
    }

    /** {@code callId → node} from {@code GET /v1/calls?scope=cluster} on {@code via}. */
    Map<String, String> clusterCalls(RelayNode via) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (JsonNode c : ControlHttp.json(http(via).get("/v1/calls?scope=cluster")).path("calls")) {
            out.put(c.path("callId").asText(), c.path("node").asText());
        }
        return out;
    }

    /** {@code GET /v1/calls?scope=cluster} on {@code via} as text, for failure messages. */
    String listing(RelayNode via) {
        try {
            StringBuilder b = new StringBuilder(http(via).get("/v1/calls?scope=cluster").body());
            for (RelayNode n : nodes) {
                b.append("\n").append(n.id).append(" nodes: ").append(http(n).get("/v1/nodes").body());
            }
            b.append("\nredis keys: ").append(redis.command("KEYS", "*"));
            b.append("\nlog of ").append(via.id).append(":\n").append(via.tail());
            return b.toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** A value of {@code node}'s {@code /metrics}, e.g. {@code relay_cluster_up}. */
    double metric(RelayNode node, String name, String... labelPairs) throws Exception {
        return PromText.parse(http(node).get("/metrics").body()).value(name, labelPairs);
    }

    /** The node holding {@code callId} by the cluster's registry, asked of {@code via}; null if none. */
    String ownerOf(RelayNode via, String callId) throws Exception {
        return clusterCalls(via).get(callId);
    }

    /** The calls of {@code calls} that {@code node} holds, by the registry as {@code via} lists it. */
    List<PacedCall> heldBy(RelayNode via, RelayNode node, List<PacedCall> calls) throws Exception {
        Map<String, String> owners = clusterCalls(via);
        return calls.stream().filter(c -> node.id.equals(owners.get(c.callId))).toList();
    }

    /** True once every call of {@code calls} reached the sink whole: 320 samples per frame sent. */
    boolean wholeAtSink(List<PacedCall> calls) {
        return calls.stream()
                .allMatch(c -> watch.samples(c.callId) == (long) c.sent() * PacedCall.SAMPLES_16K_PER_FRAME);
    }

    /** What the sink has of each call against what was sent, for failure messages. */
    String sinkReport(List<PacedCall> calls) {
        StringBuilder b = new StringBuilder();
        for (PacedCall c : calls) {
            b.append(c.callId).append(": ").append(watch.samples(c.callId)).append(" samples for ").append(c.sent())
                    .append(" frames; ");
        }
        return b.toString();
    }

    /** The events stream of {@code node}, cluster-wide. */
    WsClient clusterEvents(RelayNode node) throws Exception {
        WsClient ws = WsClient.connect("ws://" + node.address + ":" + node.controlPort
                + "/v1/events?scope=cluster&token=" + CONTROL_TOKEN);
        closeables.add(ws);
        return ws;
    }

    /** Netty leak reports in any relay's log (the relays run the leak detector at paranoid). */
    List<String> leaks() {
        List<String> out = new ArrayList<>();
        for (RelayNode n : nodes) {
            if (n.log().contains("LEAK:")) {
                out.add(n.id);
            }
        }
        return out;
    }

    List<Haproxy.Server> safeServers() {
        try {
            return haproxy.servers();
        } catch (Exception e) {
            return List.of();
        }
    }

    /** {@code config/<name>} of this repository, as shipped. */
    static Path shippedConfig(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("config").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("config/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * Stops everything: HAProxy, the relays (SIGKILL by PID), the sink, Redis; latest first. The
     * relays' and HAProxy's logs are kept in {@code target/fleet-logs/<test dir>/} for a failure's
     * post-mortem (the test's temporary directory goes with the test).
     */
    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                // closing the rest anyway
            }
        }
        try {
            Path keep = Path.of("target", "fleet-logs", dir.getFileName().toString());
            Files.createDirectories(keep);
            for (RelayNode n : nodes) {
                Files.copy(n.dir.resolve("relay.log"), keep.resolve(n.id + ".log"),
                        StandardCopyOption.REPLACE_EXISTING);
                if (Files.exists(n.dir.resolve("gc.log"))) {
                    Files.copy(n.dir.resolve("gc.log"), keep.resolve(n.id + "-gc.log"),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (Files.exists(dir.resolve("haproxy.log"))) {
                Files.copy(dir.resolve("haproxy.log"), keep.resolve("haproxy.log"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // the logs are a convenience
        }
    }
}
