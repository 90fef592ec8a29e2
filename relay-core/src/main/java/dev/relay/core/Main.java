package dev.relay.core;

import dev.relay.core.config.ConfigError;
import dev.relay.core.config.LogConfig;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.node.DrainController;
import dev.relay.core.node.NodeSignals;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command line: {@code relay [--config FILE]}. Exit status 0 after a clean shutdown (SIGTERM or
 * SIGINT), 2 on a configuration error (one line naming the key), 1 on any other failure.
 *
 * <p>Once started, SIGTERM drains (the relay exits when its calls have ended, or at the drain
 * timeout), SIGINT, or a second SIGTERM, stops now (SPEC §8.1), and SIGHUP reloads the telephony
 * certificate and key; anything else that ends the JVM (a signal before the relay is up) runs the
 * shutdown hook, which stops now.
 */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_CONFIG = 2;

    /** What the shutdown hook exits with: 0 unless start-up failed. */
    private static volatile int exitStatus = EXIT_OK;

    private Main() {}

    private static void exit(int status) {
        exitStatus = status;
        System.exit(status);
    }

    /** Ends the process through the shutdown hook: calls closed with 1001, sinks flushed, exit 0. */
    private static void stopNow() {
        System.exit(EXIT_OK);
    }

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
        // Before anything logs: Logback picks its encoder from this property when it starts.
        String format = LogConfig.peekFormat(configFile);
        if (format != null && System.getProperty(LogConfig.FORMAT_PROPERTY) == null) {
            System.setProperty(LogConfig.FORMAT_PROPERTY, format);
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
        RelayServer relay;
        try {
            relay = new RelayServer(config);
        } catch (ConfigError e) {
            System.err.println("config error: " + e.getMessage());
            System.exit(EXIT_CONFIG);
            return;
        }
        // The JVM reports 143/130 after SIGTERM/SIGINT; a clean drain should exit 0, so the hook
        // halts with the intended status once the relay has stopped and the logs are flushed. It is
        // registered before start so a signal during start-up still drains and exits cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.close();
            if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
                ctx.stop();
            }
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(exitStatus);
        }, "relay-shutdown"));
        try {
            relay.start();
            DrainController drains = relay.node().drains();
            NodeSignals.install(() -> drains.terminate(Main::stopNow), () -> drains.interrupt(Main::stopNow));
            NodeSignals.installHangup(() -> relay.reloadCertificates("SIGHUP"));
        } catch (ConfigError e) {
            System.err.println("config error: " + e.getMessage());
            exit(EXIT_CONFIG);
        } catch (Exception e) {
            log.error("relay failed to start", e);
            exit(EXIT_FAILURE);
        }
    }
}
