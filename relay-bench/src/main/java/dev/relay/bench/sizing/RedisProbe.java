package dev.relay.bench.sizing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads Redis's own counters ({@code INFO}) for the simulation: commands processed, memory, CPU and
 * per-command statistics. A connection of its own (Lettuce with its own threads), apart from the
 * engines under test. Blocking; call from the sampling thread only.
 */
final class RedisProbe implements AutoCloseable {
    /**
     * The commands the cluster engine sends on its own: everything else in {@code commandstats}
     * (HSET, SADD, …) runs inside its scripts, and INFO is this probe. Listing calls or nodes
     * sends a few more kinds, but the simulation lists nothing.
     */
    private static final Set<String> CLIENT_COMMANDS = Set.of("cmdstat_evalsha", "cmdstat_eval",
            "cmdstat_publish", "cmdstat_script|load");
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    RedisProbe(String url) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(Duration.ofSeconds(10));
        client = RedisClient.create(uri);
        connection = client.connect();
    }

    /** One {@code INFO} section as {@code field → value}. */
    Map<String, String> info(String section) {
        Map<String, String> out = new HashMap<>();
        for (String line : connection.sync().info(section).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                out.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return out;
    }

    /** Commands clients sent: the engine's scripts and publishes (what a relay fleet sends), nothing else. */
    long clientCommands() {
        long n = 0;
        for (Map.Entry<String, String> e : commandStats().entrySet()) {
            if (CLIENT_COMMANDS.contains(e.getKey())) {
                String v = e.getValue();
                int start = v.indexOf("calls=") + "calls=".length();
                n += Long.parseLong(v.substring(start, v.indexOf(',', start)));
            }
        }
        return n;
    }

    long commandsProcessed() {
        return Long.parseLong(info("stats").get("total_commands_processed"));
    }

    long usedMemoryBytes() {
        return Long.parseLong(info("memory").get("used_memory"));
    }

    /** Redis's CPU time (user + system, all its threads), in seconds. */
    double cpuSeconds() {
        Map<String, String> cpu = info("cpu");
        return Double.parseDouble(cpu.get("used_cpu_user")) + Double.parseDouble(cpu.get("used_cpu_sys"));
    }

    /** {@code cmdstat_evalsha → calls=…,usec=…,usec_per_call=…}: the commands seen so far. */
    Map<String, String> commandStats() {
        return info("commandstats");
    }

    /** Empties the database (the simulation's registry starts empty). */
    void flush() {
        connection.sync().flushdb();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
