package dev.relay.bench.sizing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.testing.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulation started as {@code scripts/sizing} starts it (its own JVM) and stopped with
 * SIGTERM mid-run, as an operator's Ctrl-C or {@code kill} stops it: the {@code redis-server} it
 * started must not outlive it.
 */
class SizingExitTest {
    @Test
    @Timeout(120)
    void aSimulationStoppedBySigtermTakesItsRedisWithIt() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // A whole simulated day at real speed: it runs until stopped.
        Process sim = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                RegistrySim.class.getName(), "--peak-calls", "50", "--speed", "1", "--nodes", "1"))
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(sim.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.contains("nodes joined")) {
                // Up to the line that says Redis is serving the simulation.
            }
            assertThat(line).as("the simulation joined its Redis").isNotNull();
            // Its only child (Debian's redis-server is a link to redis-check-rdb: no name to match).
            Optional<ProcessHandle> redis = sim.descendants().findFirst();
            assertThat(redis).as("a redis-server child of the simulation").isPresent();

            sim.destroy();
            Await.until("the simulation exited", Duration.ofSeconds(60), () -> !sim.isAlive());
            Await.until("its redis-server stopped", Duration.ofSeconds(30), () -> !redis.get().isAlive());
        } finally {
            // A failed assertion must not leave the simulation's Redis behind either.
            sim.descendants().forEach(ProcessHandle::destroyForcibly);
            sim.destroyForcibly();
        }
    }
}
