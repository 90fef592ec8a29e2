package dev.relay.core.testing;

import dev.relay.core.sink.AudioSpan;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import dev.relay.core.sink.SinkFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code memory}: keeps every call's 16 kHz audio in memory so tests can compare it with the
 * reference. Not for production: it grows without bound.
 */
public final class MemorySinkFactory implements SinkFactory {
    private final ConcurrentHashMap<String, MemorySink> sinks = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Sink create(CallContext call) {
        MemorySink sink = new MemorySink();
        sinks.put(call.callId(), sink);
        return sink;
    }

    /** The calls a sink was created for so far. */
    public Set<String> callIds() {
        return Set.copyOf(sinks.keySet());
    }

    /** The sink of {@code callId}, waiting up to {@code timeoutMs} for the call to register. */
    public MemorySink await(String callId, long timeoutMs) throws InterruptedException {
        return Await.value("call " + callId + " at the memory sink", Duration.ofMillis(timeoutMs),
                () -> sinks.get(callId), null);
    }

    /** One call's captured audio. */
    public static final class MemorySink implements Sink {
        private short[] samples = new short[16000];
        private int count;
        private long expectedStart;
        private volatile boolean opened;
        private volatile String closeReason;
        private volatile long frames;
        private volatile long concealedFrames;
        private final CountDownLatch closed = new CountDownLatch(1);
        private final AtomicInteger closeCount = new AtomicInteger();
        private String timelineError;

        @Override
        public String name() {
            return "memory";
        }

        @Override
        public void open(CallContext call) {
            opened = true;
        }

        @Override
        public synchronized void onAudio(AudioSpan frame) {
            if (frame.startSample16k() != expectedStart && timelineError == null) {
                timelineError = "frame at " + frame.startSample16k() + ", expected " + expectedStart;
            }
            expectedStart = frame.startSample16k() + frame.samples16k();
            int n = frame.samples16k();
            if (count + n > samples.length) {
                samples = Arrays.copyOf(samples, Math.max(samples.length * 2, count + n));
            }
            System.arraycopy(frame.pcm16k(), 0, samples, count, n);
            count += n;
            frames++;
            if (frame.concealed()) {
                concealedFrames++;
            }
        }

        @Override
        public void close(String reason) {
            if (closeCount.incrementAndGet() == 1) {
                closeReason = reason;
            }
            closed.countDown();
        }

        /** How often the sink was closed: a call's resources are released exactly once. */
        public int closeCount() {
            return closeCount.get();
        }

        @Override
        public long framesDropped() {
            return 0;
        }

        @Override
        public long framesIn() {
            return frames;
        }

        @Override
        public long bytesOut() {
            return 0;
        }

        public synchronized short[] samples() {
            return Arrays.copyOf(samples, count);
        }

        public boolean opened() {
            return opened;
        }

        public long concealedFrames() {
            return concealedFrames;
        }

        /** Null when every frame started where the previous one ended. */
        public synchronized String timelineError() {
            return timelineError;
        }

        public String closeReason() {
            return closeReason;
        }

        /** Waits for the sink to be closed; returns the reason. */
        public String awaitClose(long timeoutMs) throws InterruptedException {
            if (!closed.await(timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("sink not closed within " + timeoutMs + " ms");
            }
            return closeReason;
        }
    }
}
