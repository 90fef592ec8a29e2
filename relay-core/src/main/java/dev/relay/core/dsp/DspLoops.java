package dev.relay.core.dsp;

import dev.relay.core.call.CallPipeline;
import dev.relay.core.call.CallStats;
import dev.relay.core.call.MediaIngress;
import dev.relay.core.call.MediaPlacement;
import dev.relay.core.config.DspConfig;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.LoggerFactory;

/**
 * The dedicated DSP threads ({@code relay.dsp.mode = dedicated}, {@code relay.dsp.threads}), each
 * an Agrona {@link AgentRunner} running a {@link DspAgent} with a backoff idle strategy: the
 * {@link MediaPlacement} that moves a call's pipeline off its IO loop. New calls are spread
 * round-robin. Thread-safe.
 */
public final class DspLoops implements MediaPlacement, AutoCloseable {
    /** Spin, then yield, then park up to 100 µs: the worst wake-up delay a frame can see. */
    private static final long MAX_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private static final ThreadFactory THREADS = new DefaultThreadFactory("relay-dsp", true);

    private final DspAgent[] agents;
    private final AgentRunner[] runners;
    private final AtomicInteger next = new AtomicInteger();
    private final DspConfig config;
    private final int maxPayloadBytes;

    /** @param maxPayloadBytes largest media payload a call's ring record carries */
    public DspLoops(DspConfig config, int maxCalls, int maxPayloadBytes) {
        this.config = config;
        this.maxPayloadBytes = maxPayloadBytes;
        this.agents = new DspAgent[config.threads()];
        this.runners = new AgentRunner[config.threads()];
        for (int i = 0; i < agents.length; i++) {
            agents[i] = new DspAgent("relay-dsp-" + i, Integer.highestOneBit(Math.max(1024, maxCalls)) << 1);
            IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, MAX_PARK_NANOS);
            runners[i] = new AgentRunner(idle, t -> LoggerFactory.getLogger(DspLoops.class)
                    .error("DSP agent error", t), null, agents[i]);
            // Netty's thread type, so pooled buffers the sinks take on this thread come from its
            // thread-local cache instead of the shared, locked arenas.
            AgentRunner.startOnThread(runners[i], THREADS);
        }
    }

    /**
     * Creates the call's ring and pins it to a DSP thread; a full ring is counted as a ring drop
     * of the call. Returns null when every join queue is full.
     */
    @Override
    public MediaIngress place(CallPipeline pipeline, EventLoop loop, CallStats stats) {
        RingIngress ingress = new RingIngress(pipeline, config.ringBytes(), maxPayloadBytes, stats::countRingDrop);
        int start = Math.floorMod(next.getAndIncrement(), agents.length);
        for (int i = 0; i < agents.length; i++) {
            if (agents[(start + i) % agents.length].join(ingress)) {
                return ingress;
            }
        }
        ingress.finish();
        return null;
    }

    /** Stops the threads; calls still attached are finished on their own thread as it stops. */
    @Override
    public void close() {
        for (AgentRunner runner : runners) {
            runner.close();
        }
    }
}
