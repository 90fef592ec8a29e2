package dev.relay.bench.fakes;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One session of {@link FakeSessionStream} as the fake saw it: how it was created, every upload
 * connection and frame, the envelope events, the audio (when recording), and the end and poll
 * calls. Written by the fake's event loops, read by tests and the load generator from any thread.
 */
public final class FakeSession {
    /** What the first frame of an upload connection said the wire is. */
    public enum Wire {
        /** No audio frame yet. */
        UNKNOWN,
        RAW,
        ENVELOPE
    }

    private final String id;
    private final String streamId;
    private final String token;
    private final String createBody;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong audioBytes = new AtomicLong();
    private final AtomicInteger endCalls = new AtomicInteger();
    private final AtomicInteger polls = new AtomicInteger();
    private final List<String> events = new ArrayList<>();
    private final List<Long> timestampsMs = new ArrayList<>();
    private final boolean recording;
    private volatile Wire wire = Wire.UNKNOWN;
    private volatile String startMessage;
    private volatile boolean stopped;
    private volatile boolean ended;
    private final AtomicInteger openConnections = new AtomicInteger();
    private volatile long endedAtNanos;
    private byte[] audio = new byte[0];
    private int audioLength;
    /** Samples received so far over all connections: the stream offset of the next frame. */
    private final AtomicLong offsetSamples = new AtomicLong();

    FakeSession(String id, String streamId, String token, String createBody, boolean recording) {
        this.id = id;
        this.streamId = streamId;
        this.token = token;
        this.createBody = createBody;
        this.recording = recording;
    }

    public String id() {
        return id;
    }

    /** The internal stream id inside the upload URL. */
    public String streamId() {
        return streamId;
    }

    String token() {
        return token;
    }

    /** The create-session request body, as received. */
    public String createBody() {
        return createBody;
    }

    /** Upload connections accepted so far (reconnects included). */
    public int connections() {
        return connections.get();
    }

    /** Upload connections open now. */
    public int openConnections() {
        return openConnections.get();
    }

    /** Audio messages received (binary frames, or envelope {@code media} events). */
    public long frames() {
        return frames.get();
    }

    /** PCM bytes received. */
    public long audioBytes() {
        return audioBytes.get();
    }

    public Wire wire() {
        return wire;
    }

    /** Envelope event names other than {@code media}, in arrival order. */
    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    /** {@code media.timestamp} of every envelope media event, in arrival order (when recording). */
    public synchronized List<Long> timestampsMs() {
        return List.copyOf(timestampsMs);
    }

    /** The last envelope {@code start} message's text, or null. */
    public String startMessage() {
        return startMessage;
    }

    /** True once an envelope {@code stop} arrived. */
    public boolean stopped() {
        return stopped;
    }

    /** True once {@code end} answered 2xx. */
    public boolean ended() {
        return ended;
    }

    public int endCalls() {
        return endCalls.get();
    }

    /** {@code GET} calls for this session. */
    public int polls() {
        return polls.get();
    }

    /** The PCM16 LE audio received, in order (empty unless the fake records audio). */
    public synchronized byte[] audio() {
        return Arrays.copyOf(audio, audioLength);
    }

    /** {@link #audio()} as samples. */
    public short[] samples() {
        byte[] b = audio();
        short[] s = new short[b.length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (b[2 * i] & 0xFF | b[2 * i + 1] << 8);
        }
        return s;
    }

    // ---- Updated by the fake. ----

    int connected() {
        openConnections.incrementAndGet();
        return connections.incrementAndGet();
    }

    void disconnected() {
        openConnections.decrementAndGet();
    }

    void wire(Wire w) {
        if (wire == Wire.UNKNOWN) {
            wire = w;
        }
    }

    synchronized void event(String name) {
        events.add(name);
    }

    void timestamp(long ms) {
        if (recording) {
            synchronized (this) {
                timestampsMs.add(ms);
            }
        }
    }

    void start(String message) {
        startMessage = message;
    }

    void stop() {
        stopped = true;
    }

    /**
     * Counts one audio message of {@code length} bytes, keeping them when recording; returns its
     * offset in the session's stream, in samples.
     */
    long audio(ByteBuf pcm, int index, int length) {
        frames.incrementAndGet();
        audioBytes.addAndGet(length);
        long offset = offsetSamples.getAndAdd(length / 2);
        if (!recording) {
            return offset;
        }
        synchronized (this) {
            if (audioLength + length > audio.length) {
                audio = Arrays.copyOf(audio, Math.max(audio.length * 2, audioLength + length + 64 * 1024));
            }
            pcm.getBytes(index, audio, audioLength, length);
            audioLength += length;
        }
        return offset;
    }

    int endCalled() {
        return endCalls.incrementAndGet();
    }

    void markEnded() {
        if (!ended) {
            endedAtNanos = System.nanoTime();
            ended = true;
        }
    }

    int polled() {
        return polls.incrementAndGet();
    }

    long endedAtNanos() {
        return endedAtNanos;
    }
}
