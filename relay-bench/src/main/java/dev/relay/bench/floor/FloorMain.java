package dev.relay.bench.floor;

import dev.relay.core.config.ConfigError;
import dev.relay.core.config.RelayConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the floor as a process of its own, as the load generator runs a relay:
 * {@code java -cp relay-bench.jar dev.relay.bench.floor.FloorMain --config relay.conf}, the same
 * config file the relay would get (its keys, system-property overrides and secrets from the
 * environment, as {@code dev.relay.core.Main} reads them). Runs until SIGTERM; exit 2 on a config
 * the floor cannot serve.
 */
public final class FloorMain {
    private FloorMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("--config")) {
            System.err.println("usage: FloorMain --config FILE");
            System.exit(2);
        }
        FloorRelay floor;
        try {
            floor = FloorRelay.start(RelayConfig.load(Path.of(args[1]), System.getenv()));
        } catch (ConfigError e) {
            System.err.println("config error: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            floor.close();
            stop.countDown();
        }, "floor-stop"));
        stop.await();
    }
}
