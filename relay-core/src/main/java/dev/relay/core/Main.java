package dev.relay.core;

import dev.relay.core.config.ConfigError;
import dev.relay.core.config.RelayConfig;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command line: {@code relay [--config FILE]}. Exit status 0 after a clean shutdown (SIGTERM or
 * SIGINT), 2 on a configuration error (one line naming the key), 1 on any other failure.
 */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_CONFIG = 2;

    private Main() {}

    public static void main(String[] args) {
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                configFile = Path.of(args[++i]);
            } else {
                System.err.println("usage: relay [--config FILE]   (unknown argument '" + args[i] + "')");
                System.exit(EXIT_CONFIG);
            }
        }
        RelayConfig config;
        try {
            config = RelayConfig.load(configFile, System.getenv());
        } catch (ConfigError e) {
            System.err.println("config error: " + e.getMessage());
            System.exit(EXIT_CONFIG);
            return;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        RelayServer relay = new RelayServer(config);
        try {
            relay.start();
        } catch (ConfigError e) {
            System.err.println("config error: " + e.getMessage());
            relay.close();
            System.exit(EXIT_CONFIG);
        } catch (Exception e) {
            log.error("relay failed to start", e);
            relay.close();
            System.exit(EXIT_FAILURE);
        }
        // The JVM reports 143/130 after SIGTERM/SIGINT; a clean drain should exit 0, so the hook
        // halts with 0 once the relay has stopped and the logs are flushed.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.close();
            if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
                ctx.stop();
            }
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_OK);
        }, "relay-shutdown"));
    }
}
