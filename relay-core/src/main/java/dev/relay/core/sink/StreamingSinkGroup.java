package dev.relay.core.sink;

import dev.relay.core.config.StreamConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every call's instance of one network sink shares: its name and settings, its latency
 * histogram, the buffer allocator, and the count of instances still flushing (which shutdown waits
 * for). One per sink factory.
 */
public final class StreamingSinkGroup {
    private final String name;
    private final StreamConfig config;
    private final SinkLatency latency;
    private final AtomicInteger live = new AtomicInteger();
    private final Object idle = new Object();

    public StreamingSinkGroup(String name, StreamConfig config) {
        this.name = name;
        this.config = config;
        this.latency = new SinkLatency(name);
    }

    public String name() {
        return name;
    }

    public StreamConfig config() {
        return config;
    }

    public SinkLatency latency() {
        return latency;
    }

    /** Chunks are taken on the media thread (a Netty-type thread, so from its pooled cache). */
    ByteBufAllocator allocator() {
        return PooledByteBufAllocator.DEFAULT;
    }

    /** Instances opened and not yet finished. */
    public int live() {
        return live.get();
    }

    void opened() {
        live.incrementAndGet();
    }

    void finished() {
        if (live.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** Waits up to {@code timeoutMs} for every instance to finish flushing; true when they did. */
    public boolean awaitIdle(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (idle) {
            while (live.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
        }
        return true;
    }
}
