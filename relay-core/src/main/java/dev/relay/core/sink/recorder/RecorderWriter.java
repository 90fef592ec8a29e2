package dev.relay.core.sink.recorder;

import dev.relay.codec.wav.WavFormat;
import dev.relay.codec.wav.WavWriter;
import dev.relay.core.config.RecorderConfig;
import dev.relay.core.event.CallEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that touches recording files: opens a call's file when its recorder joins,
 * appends what each call's ring holds, and fixes the WAV header when the call has ended and its
 * ring is empty. Disk errors end that call's recording with a {@code sink.down} event; the call
 * itself never notices.
 */
final class RecorderWriter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RecorderWriter.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Path dir;
    private final ConcurrentLinkedQueue<RecorderSink> joining = new ConcurrentLinkedQueue<>();
    private final ArrayList<Open> open = new ArrayList<>();
    private final byte[] chunk = new byte[64 * 1024];
    private volatile boolean stopping;
    private Thread thread;

    /** A recorder with its file; also the ring's reader. */
    private final class Open implements MessageHandler {
        final RecorderSink sink;
        WavWriter wav;
        boolean failed;

        Open(RecorderSink sink) {
            this.sink = sink;
        }

        @Override
        public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
            write(this, buffer, index, length);
        }
    }

    RecorderWriter(Path dir) {
        this.dir = dir;
    }

    synchronized void add(RecorderSink sink) {
        if (thread == null) {
            thread = new Thread(this, "relay-recorder");
            thread.start();
        }
        joining.add(sink);
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        while (true) {
            boolean stop = stopping;
            int work = 0;
            for (RecorderSink s; (s = joining.poll()) != null; ) {
                open.add(openFile(new Open(s)));
                work++;
            }
            for (int i = open.size() - 1; i >= 0; i--) {
                Open o = open.get(i);
                work += drain(o);
                if (o.sink.closed || stop) {
                    drain(o);
                    finish(o);
                    open.remove(i);
                }
            }
            if (stop && joining.isEmpty()) {
                return;
            }
            if (work == 0) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
        }
    }

    private Open openFile(Open o) {
        RecorderSink sink = o.sink;
        boolean pcm = sink.config().format() == RecorderConfig.Format.PCM16;
        String name = sanitize(sink.call.callId()) + "-" + STAMP.format(Instant.ofEpochMilli(
                sink.call.startedAtMillis())) + ".wav";
        try {
            Files.createDirectories(dir);
            o.wav = WavWriter.create(dir.resolve(name), pcm ? WavFormat.pcm16(16000, 1) : WavFormat.mulaw(8000, 1));
            log.info("recording callId={} to {}", sink.call.callId(), dir.resolve(name));
        } catch (IOException | RuntimeException e) {
            fail(o, "cannot create " + dir.resolve(name) + ": " + e);
        }
        return o;
    }

    private int drain(Open o) {
        return o.sink.ring.read(o, 256);
    }

    private void write(Open o, MutableDirectBuffer buffer, int index, int length) {
        if (o.failed) {
            o.sink.framesLost++;
            return;
        }
        buffer.getBytes(index, chunk, 0, length);
        try {
            o.wav.write(chunk, 0, length);
            o.sink.bytesOut += length;
        } catch (IOException | RuntimeException e) {
            o.sink.framesLost++;
            fail(o, "write failed: " + e);
        }
    }

    private void finish(Open o) {
        try {
            if (o.wav != null) {
                o.wav.close();
            }
        } catch (IOException e) {
            fail(o, "close failed: " + e);
        } finally {
            if (o.sink.closed) {
                o.sink.free();
            }
        }
    }

    private void fail(Open o, String problem) {
        if (o.failed) {
            return;
        }
        o.failed = true;
        log.error("recorder failed callId={}: {}", o.sink.call.callId(), problem);
        o.sink.call.events().publish(CallEvent.of("sink.down", o.sink.call.callId(),
                Map.of("sink", "recorder", "reason", problem, "retrying", false)));
        if (o.wav != null) {
            try {
                o.wav.close();
            } catch (IOException | RuntimeException ignored) {
                // The first failure is the one reported.
            }
        }
    }

    /** Drains every ring, fixes every header and stops the thread, waiting up to {@code timeoutMs}. */
    void stop(long timeoutMs) {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        stopping = true;
        if (t == null) {
            return;
        }
        LockSupport.unpark(t);
        try {
            t.join(timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String sanitize(String callId) {
        String s = callId.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.length() > 100 ? s.substring(0, 100) : s;
    }
}
