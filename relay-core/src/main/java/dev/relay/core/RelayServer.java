package dev.relay.core;

import dev.relay.core.call.Call;
import dev.relay.core.call.CallFactory;
import dev.relay.core.call.CallRegistry;
import dev.relay.core.call.PendingCalls;
import dev.relay.core.config.DspConfig;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.control.alohaa.AlohaaWebhookRoute;
import dev.relay.core.dsp.DspLoops;
import dev.relay.core.event.EventBus;
import dev.relay.core.metrics.RelayMetrics;
import dev.relay.core.sink.SinkFactory;
import dev.relay.core.sink.Sinks;
import dev.relay.core.telephony.TelephonyServer;
import dev.relay.core.telephony.Transport;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled relay: IO loops, DSP loops, sinks, call registry and listeners, with an orderly
 * start and a bounded, graceful stop. Used by {@link Main} and by tests, which start it on port 0.
 */
public final class RelayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayServer.class);

    private final RelayConfig config;
    private final EventBus events = new EventBus();
    private final CallRegistry registry = new CallRegistry();
    private final Map<String, SinkFactory> sinks;
    private final EventLoopGroup io;
    private final DspLoops dsp;
    private final TelephonyServer telephony;
    private final RelayMetrics metrics;
    private final PendingCalls pending = new PendingCalls();
    private volatile boolean draining;
    private InetSocketAddress telephonyAddress;

    public RelayServer(RelayConfig config) {
        this(config, Sinks.standard(config));
    }

    /** With an explicit sink set (tests add an in-memory sink). */
    public RelayServer(RelayConfig config, Map<String, SinkFactory> sinks) {
        this.config = config;
        this.sinks = Map.copyOf(sinks);
        Sinks.validateRoutes(config.routes(), this.sinks);
        this.metrics = new RelayMetrics(registry, this.sinks.keySet());
        this.io = Transport.group(config.dsp().ioThreads());
        this.dsp = config.dsp().mode() == DspConfig.Mode.DEDICATED
                ? new DspLoops(config.dsp(), config.telephony().maxConnections())
                : null;
        CallFactory calls = new CallFactory(config, this.sinks, registry, events, dsp, pending);
        AlohaaWebhookRoute webhook = new AlohaaWebhookRoute(config.alohaa().webhookToken(), events);
        if (!webhook.authenticated()) {
            log.info("Alohaa webhooks ({}) accepted without a token: set relay.alohaa.webhook-token",
                    AlohaaWebhookRoute.PATH);
        }
        this.telephony = new TelephonyServer(config.telephony(), calls, io, webhook);
    }

    /** Binds the listeners. Blocking; call once. */
    public RelayServer start() throws InterruptedException {
        telephonyAddress = telephony.start();
        log.info("relay listening: telephony {}://{}:{}{} (transport {}, dsp {} x{})",
                config.telephony().tls().enabled() ? "wss" : "ws", telephonyAddress.getHostString(),
                telephonyAddress.getPort(), config.telephony().path(),
                Transport.name(), config.dsp().mode().name().toLowerCase(java.util.Locale.ROOT),
                config.dsp().threads());
        return this;
    }

    public InetSocketAddress telephonyAddress() {
        return telephonyAddress;
    }

    public CallRegistry calls() {
        return registry;
    }

    /** Prometheus metrics of this relay ({@code GET /metrics} via {@link dev.relay.core.metrics.MetricsRoute}). */
    public RelayMetrics metrics() {
        return metrics;
    }

    /** Outbound calls started through the Alohaa REST API, matched at WebSocket registration. */
    public PendingCalls pendingCalls() {
        return pending;
    }

    public EventBus events() {
        return events;
    }

    public RelayConfig config() {
        return config;
    }

    public boolean draining() {
        return draining;
    }

    /**
     * Graceful stop: refuse new sockets, close every call with 1001, wait up to the drain timeout for
     * calls to finish and sinks to flush, then stop the threads. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (draining) {
            return;
        }
        draining = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.drainTimeoutMs());
        log.info("shutting down: {} live calls", registry.active());
        telephony.stopAccepting();
        telephony.goAway();
        while (registry.active() > 0 && System.nanoTime() < deadline) {
            sleep(10);
        }
        for (Call call : registry.all()) {
            log.warn("call still live at drain deadline, closing its socket callId={}", call.callId());
        }
        // Sockets whose peers stopped reading never flush their close frame: close them outright,
        // which also releases whatever they still had queued.
        telephony.closeAll();
        // Sockets get a moment to carry their close frames before the loops stop.
        io.shutdownGracefully(0, Math.max(100, remainingMs(deadline)), TimeUnit.MILLISECONDS).syncUninterruptibly();
        if (dsp != null) {
            dsp.close();
        }
        for (SinkFactory factory : sinks.values()) {
            try {
                factory.shutdown(Math.max(100, remainingMs(deadline)));
            } catch (RuntimeException e) {
                log.error("sink {} failed to shut down", factory.name(), e);
            }
        }
        log.info("relay stopped");
    }

    private static long remainingMs(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
