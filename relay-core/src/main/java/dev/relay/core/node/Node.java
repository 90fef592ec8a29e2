package dev.relay.core.node;

import dev.relay.core.call.CallRegistry;
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
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node as the fleet sees it (SPEC §8.1, §8.2), assembled in one place: its state, admission
 * control and the gate that applies it before the WebSocket upgrade, drains and signals, the
 * admin routes and {@code /readyz}, the agent check and the metrics. The relay hands it what it
 * needs and asks it for the pieces; nothing here touches a call's media path.
 *
 * <p>Constructed, started and closed by the thread that owns the relay; the pieces it hands out
 * are thread-safe.
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final RelayConfig config;
    private final EventLoopGroup io;
    private final AdmissionConfig admissionConfig;
    private final ProcessCpuLoad processCpu;
    private final boolean cpuKnown;
    private final CallCapacity capacity;
    private final Admission admission;
    private final NodeState state;
    private final AdmissionGate gate;
    private final DrainController drains;
    private final NodeRoutes routes;
    private final AgentCheck agent;
    private volatile NodeRoutes.Identity identity = new NodeRoutes.Identity(null, null, NodeIdentity.version());
    private ScheduledFuture<?> cpuSampling;
    private InetSocketAddress agentAddress;

    /**
     * @param io the relay's IO loops: drain timers and CPU sampling run there
     * @param cpu the relay's CPU load, or null to sample this process's CPU time (tests inject one)
     */
    public Node(RelayConfig config, CallRegistry registry, EventBus events, EventLoopGroup io, CpuLoad cpu) {
        this.config = config;
        this.io = io;
        DrainConfig drainConfig = DrainConfig.from(config);
        this.admissionConfig = AdmissionConfig.from(config);
        this.processCpu = cpu == null ? ProcessCpuLoad.forThisProcess() : null;
        this.cpuKnown = cpu != null || processCpu != null;
        CpuLoad load = cpu != null ? cpu : processCpu != null ? processCpu : () -> 0.0;
        this.capacity = CallCapacity.of(admissionConfig.maxCalls(), config.routes().get("default"),
                CallCapacity.openFileLimit(), config.telephony().maxConnections());
        this.admission = new Admission(capacity.maxCalls(), admissionConfig.maxCpuRatio(), load);
        this.state = new NodeState(admission, drainConfig.acceptGraceMs());
        this.gate = new AdmissionGate(state, admission);
        this.drains = new DrainController(state, drainConfig, registry, events, io);
        this.routes = new NodeRoutes(state, drains, drainConfig, registry, () -> identity);
        this.agent = new AgentCheck(state);
    }

    /**
     * Learns the node's identity, starts CPU sampling and the agent check, and logs the admission
     * limits with their arithmetic. Blocking (binds); call once, after the telephony listener is
     * bound and before the control API is.
     *
     * @param serverChannel the server channel type of {@code io}'s transport
     * @param transport the transport's name for the status route
     */
    public synchronized void start(Class<? extends ServerChannel> serverChannel, String transport, int telephonyPort)
            throws InterruptedException {
        identity = new NodeRoutes.Identity(NodeIdentity.nodeId(config, telephonyPort), transport,
                NodeIdentity.version());
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
    }

    public NodeState state() {
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
