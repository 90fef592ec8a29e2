package dev.relay.core.sink;

import dev.relay.core.config.StreamConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What every call's instance of one network sink shares: its name and settings, its latency
 * histogram, the buffer allocator, and the count of instances still flushing (which shutdown waits
 * for). One per sink factory.
 */
public final class StreamingSinkGroup {
    private final String name;
    private final StreamConfig config;
    private final SinkLatency latency;
    private final Set<StreamingSink> live = ConcurrentHashMap.newKeySet();
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
        return live.size();
    }

    void opened(StreamingSink sink) {
        live.add(sink);
    }

    void finished(StreamingSink sink) {
        if (live.remove(sink) && live.isEmpty()) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /**
     * Waits up to {@code timeoutMs} for every instance to finish flushing; true when they did. An
     * instance whose IO loop has terminated (relay shutdown stops the loops first, cancelling the
     * timers it was waiting on) can never finish: its queue is released and it counts as done.
     */
    public boolean awaitIdle(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            for (StreamingSink sink : live) {
                sink.abandonIfLoopGone();
            }
            if (live.isEmpty()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            synchronized (idle) {
                if (!live.isEmpty()) {
                    TimeUnit.NANOSECONDS.timedWait(idle, Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
                }
            }
        }
    }
}
