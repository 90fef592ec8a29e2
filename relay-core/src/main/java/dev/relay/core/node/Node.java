package dev.relay.core.node;

import dev.relay.core.call.CallRegistry;
import dev.relay.core.cluster.Cluster;
import dev.relay.core.cluster.Clusters;
import dev.relay.core.cluster.NodeIdentity;
import dev.relay.core.cluster.NodeStatus;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.event.EventBus;
import dev.relay.core.net.http.ControlResponse;
import dev.relay.core.net.http.ControlRoute;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node as the fleet sees it (SPEC §8), assembled in one place: its availability, admission
 * control and the gate that applies it before the WebSocket upgrade, drains and signals, the
 * admin routes and {@code /readyz}, the agent check, the metrics, and its membership of the
 * cluster (the {@link Cluster} engine, created once both listeners are bound, since its identity
 * names them). The relay hands it what it needs and asks it for the pieces; nothing here touches
 * a call's media path.
 *
 * <p>Constructed, started and closed by the thread that owns the relay; the pieces it hands out
 * are thread-safe.
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final RelayConfig config;
    private final CallRegistry registry;
    private final EventBus events;
    private final EventLoopGroup io;
    private final AdmissionConfig admissionConfig;
    private final ProcessCpuLoad processCpu;
    private final boolean cpuKnown;
    private final CallCapacity capacity;
    private final Admission admission;
    private final Availability state;
    /** Completed with the engine at {@link #start}; claims made before then wait for it. */
    private final CompletableFuture<Cluster> cluster = new CompletableFuture<>();
    private AutoCloseable busToCluster;
    private final AdmissionGate gate;
    private final DrainController drains;
    private final NodeRoutes routes;
    private final AgentCheck agent;
    private volatile NodeRoutes.Identity identity = new NodeRoutes.Identity(null, null, NodeIdentities.version());
    private ScheduledFuture<?> cpuSampling;
    private InetSocketAddress agentAddress;

    /**
     * @param io the relay's IO loops: drain timers and CPU sampling run there
     * @param cpu the relay's CPU load, or null to sample this process's CPU time (tests inject one)
     */
    public Node(RelayConfig config, CallRegistry registry, EventBus events, EventLoopGroup io, CpuLoad cpu) {
        this.config = config;
        this.registry = registry;
        this.events = events;
        this.io = io;
        DrainConfig drainConfig = DrainConfig.from(config);
        this.admissionConfig = AdmissionConfig.from(config);
        this.processCpu = cpu == null ? ProcessCpuLoad.forThisProcess() : null;
        this.cpuKnown = cpu != null || processCpu != null;
        CpuLoad load = cpu != null ? cpu : processCpu != null ? processCpu : () -> 0.0;
        this.capacity = CallCapacity.of(admissionConfig.maxCalls(), config.routes().get("default"),
                CallCapacity.openFileLimit(), config.telephony().maxConnections());
        this.admission = new Admission(capacity.maxCalls(), admissionConfig.maxCpuRatio(), load);
        this.state = new Availability(admission, drainConfig.acceptGraceMs());
        this.gate = new AdmissionGate(state, admission);
        this.drains = new DrainController(state, drainConfig, registry, events, io);
        this.routes = new NodeRoutes(state, drains, drainConfig, registry, () -> identity, this::cluster);
        this.agent = new AgentCheck(state);
    }

    /**
     * Learns the node's identity, creates the cluster engine and starts joining (without waiting
     * for Redis), starts CPU sampling and the agent check, and logs the admission limits with their
     * arithmetic. Blocking (binds); call once, after the telephony and control listeners are bound.
     *
     * @param serverChannel the server channel type of {@code io}'s transport
     * @param transport the transport's name for the status route
     * @param controlAddress the control listener's bound address (the cluster's default control URL)
     */
    public synchronized void start(Class<? extends ServerChannel> serverChannel, String transport, int telephonyPort,
            InetSocketAddress controlAddress) throws InterruptedException {
        NodeIdentity me = NodeIdentities.of(config, telephonyPort, controlAddress);
        identity = new NodeRoutes.Identity(me.nodeId(), transport, me.version());
        Cluster engine = Clusters.create(config.cluster(), me, io, this::status, events::publish);
        // Every local event reaches the other nodes once, call.lost for a dead node's calls included.
        busToCluster = events.subscribe(engine::publish);
        cluster.complete(engine);
        engine.start();
        if (processCpu != null) {
            cpuSampling = processCpu.start(io.next());
        }
        if (!cpuKnown && admissionConfig.maxCpuRatio() > 0) {
            log.warn("process CPU time is not available on this JVM: relay.admission.max-cpu has no effect");
        }
        log.info("admission: {}; max-cpu {}", capacity.explanation(),
                admissionConfig.maxCpuRatio() > 0 ? admissionConfig.maxCpuRatio() + " of the usable cores" : "off");
        if (capacity.maxCalls() > config.telephony().maxConnections()) {
            log.warn("relay.admission.max-calls {} is above relay.telephony.max-connections {}: sockets past the "
                    + "latter are closed at accept, without a 503", capacity.maxCalls(),
                    config.telephony().maxConnections());
        }
        if (admissionConfig.agentPort() > 0) {
            agentAddress = agent.start(io, serverChannel, config.control().host(), admissionConfig.agentPort());
            log.info("HAProxy agent check on {}:{}", agentAddress.getHostString(), agentAddress.getPort());
        }
    }

    /** The handler that admits or refuses telephony upgrades; goes before the upgrade handler. */
    public ChannelHandler admissionGate() {
        return gate;
    }

    /** Drains and signals. */
    public DrainController drains() {
        return drains;
    }

    /** The admin routes: drain, undrain, status. */
    public List<ControlRoute> routes() {
        return routes.routes();
    }

    /** Wraps {@code POST /v1/calls} so that it answers 503 {@code draining} during a drain. */
    public ControlRoute guardOutbound(ControlRoute startCall) {
        return routes.guardOutbound(startCall);
    }

    /** The {@code /readyz} answer, given whether every listener is bound. */
    public ControlResponse readiness(boolean listening) {
        return routes.readiness(listening);
    }

    public void registerMetrics(PrometheusRegistry registry) {
        NodeMetrics.register(registry, state, drains);
        ClusterMetrics.register(registry, this::cluster);
    }

    /** The cluster engine, or null before {@link #start}. */
    public Cluster cluster() {
        return cluster.getNow(null);
    }

    /**
     * The cluster engine once {@link #start} has created it: what call registration claims
     * through, so a call that registers in the moment between the telephony listener's bind and
     * the engine's creation waits for it instead of missing the registry.
     */
    public CompletionStage<Cluster> clusterReady() {
        return cluster;
    }

    /** What the heartbeat publishes: read on an event loop at every beat, from atomics only. */
    private NodeStatus status() {
        return new NodeStatus(state.state(), registry.active(), admission.maxCalls());
    }

    /**
     * Leaves the cluster (this node and its calls leave the registry) and stops the engine, waiting
     * a few command timeouts at most. Call once the calls have ended and before the IO loops stop;
     * never on an event loop. Idempotent.
     */
    public void leaveCluster() {
        AutoCloseable subscription;
        synchronized (this) {
            subscription = busToCluster;
            busToCluster = null;
        }
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                log.warn("cluster: unsubscribing from the event bus failed", e);
            }
        }
        // A relay that failed to start never made an engine: claims waiting for one give up.
        cluster.completeExceptionally(new IllegalStateException("the relay stopped before joining the cluster"));
        Cluster engine = cluster();
        if (engine != null) {
            engine.close();
        }
    }

    public Availability availability() {
        return state;
    }

    public Admission admission() {
        return admission;
    }

    /** The agent check's bound address, or null when it is off. */
    public InetSocketAddress agentAddress() {
        return agentAddress;
    }

    /** The relay is stopping: readiness says so, upgrades are refused, timers and the agent stop. */
    @Override
    public synchronized void close() {
        drains.shutdown();
        if (cpuSampling != null) {
            cpuSampling.cancel(false);
        }
        agent.stop();
    }
}
