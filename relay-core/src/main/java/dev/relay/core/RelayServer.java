package dev.relay.core;

import dev.relay.core.call.Call;
import dev.relay.core.call.CallFactory;
import dev.relay.core.call.CallRegistry;
import dev.relay.core.call.InlinePlacement;
import dev.relay.core.call.MediaPlacement;
import dev.relay.core.call.PendingCalls;
import dev.relay.core.cluster.Cluster;
import dev.relay.core.cluster.NodeState;
import dev.relay.core.config.DspConfig;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.control.ControlServer;
import dev.relay.core.control.ControlWorkers;
import dev.relay.core.control.HealthRoutes;
import dev.relay.core.control.alohaa.AlohaaRestClient;
import dev.relay.core.control.alohaa.AlohaaWebhookRoute;
import dev.relay.core.control.alohaa.StartCallRoute;
import dev.relay.core.control.alohaa.WebhookSecrets;
import dev.relay.core.control.audio.AudioRoute;
import dev.relay.core.control.calls.CallRoutes;
import dev.relay.core.control.calls.KeywordsRoute;
import dev.relay.core.control.events.EventStreamRoute;
import dev.relay.core.control.events.EventWebhook;
import dev.relay.core.control.forward.ControlForwarder;
import dev.relay.core.control.forward.ForwardMetrics;
import dev.relay.core.control.forward.OwnerRouted;
import dev.relay.core.dsp.DspLoops;
import dev.relay.core.event.EventBus;
import dev.relay.core.ingress.TelephonyServer;
import dev.relay.core.ingress.TelephonyToken;
import dev.relay.core.logging.LogSecrets;
import dev.relay.core.metrics.MetricsRoute;
import dev.relay.core.metrics.RelayMetrics;
import dev.relay.core.net.Transport;
import dev.relay.core.net.TransportChoice;
import dev.relay.core.net.http.ControlRoute;
import dev.relay.core.node.CpuLoad;
import dev.relay.core.node.Node;
import dev.relay.core.sink.SinkFactory;
import dev.relay.core.sink.Sinks;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled relay: IO loops, DSP loops, sinks, call registry, the telephony listener, the
 * control API and the node's place in its cluster, with an orderly start and a bounded, graceful
 * stop. Used by {@link Main} and by tests, which start it on port 0.
 *
 * <p>In a cluster ({@code relay.cluster.enabled}) calls are claimed in the cluster as they
 * register, the per-call control routes are served wherever the call is ({@link OwnerRouted}), and
 * the cluster scopes list and stream the whole fleet; with the cluster off the relay is a cluster
 * of one and the per-call routes are served here only, as they always were.
 */
public final class RelayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayServer.class);
    /** Transcoding threads for pushed audio; each queued task may hold a request body. */
    private static final int CONTROL_WORKER_THREADS = 2;
    private static final int CONTROL_WORKER_QUEUE = 8;

    private final RelayConfig config;
    private final TelephonyToken telephonyToken;
    private final WebhookSecrets webhookSecrets;
    private final EventBus events = new EventBus();
    private final CallRegistry registry = new CallRegistry();
    private final Map<String, SinkFactory> sinks;
    private final TransportChoice transport;
    private final EventLoopGroup io;
    private final DspLoops dsp;
    private final TelephonyServer telephony;
    private final RelayMetrics metrics;
    private final PendingCalls pending = new PendingCalls();
    private final ControlWorkers controlWorkers;
    private final EventStreamRoute eventStream;
    private final ControlServer control;
    private final ControlWorkers metricsWorker;
    private final Node node;
    private volatile boolean draining;
    private volatile InetSocketAddress telephonyAddress;
    private volatile InetSocketAddress controlAddress;
    private EventWebhook webhook;

    public RelayServer(RelayConfig config) {
        this(config, Sinks.standard(config));
    }

    /** With an explicit sink set (tests add an in-memory sink). */
    public RelayServer(RelayConfig config, Map<String, SinkFactory> sinks) {
        this(config, sinks, null);
    }

    /**
     * With an explicit sink set and CPU load (tests set the load admission control sees).
     *
     * @param cpu the relay's CPU load, or null to sample this process's CPU time
     */
    public RelayServer(RelayConfig given, Map<String, SinkFactory> sinks, CpuLoad cpu) {
        // Before anything reads the telephony settings: the port requires the generated token
        // unless tokens are configured or it is explicitly open (SPEC §4.1).
        this.telephonyToken = TelephonyToken.resolve(given.telephony());
        RelayConfig config = given.withTelephony(telephonyToken.config());
        this.config = config;
        LogSecrets.register(config);
        this.sinks = Map.copyOf(sinks);
        Sinks.validateRoutes(config.routes(), this.sinks);
        this.metrics = new RelayMetrics(registry, this.sinks.keySet(), this.sinks.values().stream()
                .map(SinkFactory::latency).filter(Objects::nonNull).toList());
        this.sinks.values().forEach(f -> f.registerMetrics(metrics.registry()));
        // 0 is one loop per core, as documented (Netty's own default would be two per core).
        int ioThreads = config.dsp().ioThreads() > 0 ? config.dsp().ioThreads()
                : Runtime.getRuntime().availableProcessors();
        // Before any loop exists: a transport that was insisted on but cannot run is a config error.
        this.transport = TransportChoice.select(config.transport());
        transport.register(metrics.registry());
        log.info("transport: {}", transport.describe());
        long coalesceMicros = config.dsp().ioCoalesceMicros();
        if (coalesceMicros > 0 && !transport.transport().coalesces()) {
            log.warn("relay.dsp.io-coalesce ignored: {} loops take no select strategy", transport.transport().label());
        }
        this.io = transport.transport().newGroup(ioThreads, coalesceMicros * 1_000);
        this.node = new Node(config, registry, events, io, cpu);
        node.registerMetrics(metrics.registry());
        this.dsp = config.dsp().mode() == DspConfig.Mode.DEDICATED
                ? new DspLoops(config.dsp(), config.telephony().maxConnections(), config.media().maxPayloadBytes())
                : null;
        MediaPlacement placement = dsp != null ? dsp : new InlinePlacement();
        CallFactory calls = new CallFactory(config, this.sinks, registry, events, placement, pending,
                node.clusterReady());
        this.webhookSecrets = WebhookSecrets.forRelay(config);
        AlohaaWebhookRoute webhook = new AlohaaWebhookRoute(config.alohaa().webhookToken(), webhookSecrets, events);
        if (!webhook.enabled()) {
            log.info("Alohaa webhooks ({}) not served: set relay.alohaa.webhook-token, or relay.alohaa.api-key"
                    + " for the calls this relay places", AlohaaWebhookRoute.PATH);
        }
        this.telephony = new TelephonyServer(config.telephony(), calls, io, webhook, node.admissionGate());
        this.controlWorkers = new ControlWorkers(CONTROL_WORKER_THREADS, CONTROL_WORKER_QUEUE);
        // Scrapes get their own thread so a queue full of transcoding never turns them away.
        this.metricsWorker = new ControlWorkers(1, 4);
        Supplier<Cluster> cluster = node::cluster;
        this.eventStream = new EventStreamRoute(events, config.events().subscriberQueue(), cluster);
        this.control = new ControlServer(config.control(), io, controlRoutes(cluster));
    }

    /** Every admin API endpoint (SPEC §6, §8). */
    private List<ControlRoute> controlRoutes(Supplier<Cluster> cluster) {
        List<ControlRoute> routes = new ArrayList<>(HealthRoutes.create(
                () -> node.readiness(controlAddress != null && telephonyAddress != null && !draining)));
        routes.addAll(node.routes());
        List<ControlRoute> perCall = new ArrayList<>(CallRoutes.create(registry, cluster));
        perCall.add(new AudioRoute(registry, controlWorkers, AudioRoute.Target.AUDIO));
        perCall.add(new AudioRoute(registry, controlWorkers, AudioRoute.Target.GREETING));
        perCall.add(new KeywordsRoute(registry, events));
        if (config.cluster().enabled()) {
            ControlForwarder forwarder = new ControlForwarder(config.control().token(),
                    config.control().maxBodyBytes(), new ForwardMetrics(metrics.registry()));
            perCall = OwnerRouted.wrap(perCall, registry, cluster, forwarder);
        }
        routes.addAll(perCall);
        routes.add(eventStream);
        routes.add(new MetricsRoute(metrics, metricsWorker));
        routes.add(node.guardOutbound(new StartCallRoute(config, new AlohaaRestClient(config.alohaa()), pending,
                cluster, webhookSecrets)));
        return routes;
    }

    /**
     * Binds the listeners, control API first, then telephony, then joins the cluster (whose node
     * identity names both; joining does not wait for Redis). {@code /readyz} turns ready once all
     * of that is done. Blocking; call once.
     */
    public synchronized RelayServer start() throws InterruptedException {
        if (!config.events().webhookUrl().isEmpty()) {
            webhook = new EventWebhook(events, config.events());
        }
        InetSocketAddress boundControl = control.start();
        InetSocketAddress boundTelephony = telephony.start();
        node.start(Transport.serverChannel(io), transport.transport().label(), boundTelephony.getPort(),
                boundControl);
        controlAddress = boundControl;
        telephonyAddress = boundTelephony;
        log.info("relay listening: telephony {}://{}{} (transport {}, dsp {} x{}), control http://{}",
                config.telephony().tls().enabled() ? "wss" : "ws", hostPort(telephonyAddress),
                config.telephony().path(),
                transport.transport().label(), config.dsp().mode().name().toLowerCase(Locale.ROOT),
                config.dsp().threads(), hostPort(controlAddress));
        telephonyToken.logMediaUrl((config.telephony().tls().enabled() ? "wss" : "ws") + "://"
                + hostPort(telephonyAddress) + config.telephony().path());
        return this;
    }

    /** The transport this relay's sockets run on, and how it was chosen. */
    public TransportChoice transport() {
        return transport;
    }

    public InetSocketAddress telephonyAddress() {
        return telephonyAddress;
    }

    /** The control API's bound address; null before {@link #start}. */
    public InetSocketAddress controlAddress() {
        return controlAddress;
    }

    /** True while every listener is bound, no drain or shutdown has begun and there is room: {@code /readyz} 200. */
    public boolean ready() {
        return controlAddress != null && telephonyAddress != null && !draining
                && node.availability().state() == NodeState.READY;
    }

    /** Events-WebSocket subscribers connected now. */
    public int eventSubscribers() {
        return eventStream.subscribers();
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

    /** True once a drain or a shutdown has begun. */
    public boolean draining() {
        return draining || node.availability().draining();
    }

    /**
     * Reloads the telephony certificate and key from their files (SIGHUP): new handshakes use the
     * new pair, live calls keep theirs; a bad pair is logged and the old one kept. True when the
     * pair was replaced. Blocking file IO; not for an event loop.
     */
    public boolean reloadCertificates(String trigger) {
        return telephony.reloadCertificates(trigger);
    }

    /** The node's state, admission control and drains (SPEC §8.1, §8.2). */
    public Node node() {
        return node;
    }

    /**
     * Graceful stop: {@code /readyz} turns 503 at once; refuse new sockets, close every call with
     * 1001, wait up to the drain timeout for calls to finish, stop the control API (event streams
     * get 1001), let sinks flush and the event webhook deliver what it holds, then stop the
     * threads. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (draining) {
            return;
        }
        draining = true;
        node.close();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.flushTimeoutMs());
        log.info("shutting down: {} live calls", registry.active());
        telephony.stopAccepting();
        telephony.goAway();
        // A call leaves the registry as soon as its close frame is queued; its socket closes once the
        // frame is written (or 2 s later). Closing sockets outright before that turned 1001 into
        // 1006 for about a quarter of 100 callers.
        while ((registry.active() > 0 || telephony.openSockets() > 0) && System.nanoTime() < deadline) {
            sleep(10);
        }
        for (Call call : registry.all()) {
            log.warn("call still live at drain deadline, closing its socket callId={}", call.callId());
        }
        // Sockets whose peers stopped reading never flush their close frame: close them outright,
        // which also releases whatever they still had queued.
        telephony.closeAll();
        // Network sinks flush on the IO loops: give them what time is left before the loops stop.
        while (metrics.callsInFlight() > 0 && System.nanoTime() < deadline) {
            sleep(10);
        }
        // The calls are gone: leave the cluster (the engine runs on the IO loops, so before they stop).
        node.leaveCluster();
        for (SinkFactory factory : sinks.values()) {
            try {
                factory.awaitFlushed(Math.max(100, remainingMs(deadline)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.error("sink {} failed to flush", factory.name(), e);
            }
        }
        control.stop();
        controlWorkers.close();
        metricsWorker.close();
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
        if (webhook != null) {
            // call.ended events are published as the sinks finish; give the webhook what time is left.
            webhook.close(Math.max(100, remainingMs(deadline)));
        }
        log.info("relay stopped");
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
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
