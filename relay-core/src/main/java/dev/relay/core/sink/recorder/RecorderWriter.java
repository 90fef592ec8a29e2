package dev.relay.core.sink.recorder;

import dev.relay.codec.wav.WavFormat;
import dev.relay.codec.wav.WavWriter;
import dev.relay.core.config.RecorderConfig;
import dev.relay.core.event.CallEvent;
import java.io.IOException;
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
 * appends what each call's ring holds, rewrites each open file's RIFF and data sizes every
 * {@code relay.sinks.recorder.sync-interval} (so a relay killed with SIGKILL leaves standard
 * files whose header covers all but the last interval), and fixes the WAV header for good when
 * the call has ended and its ring is empty. Disk errors end that call's recording with a
 * {@code sink.down} event; the call itself never notices.
 *
 * <p>The sync writes the header through the page cache (no fsync): it survives a killed process,
 * not a power cut, and costs three system calls per open file per interval.
 */
final class RecorderWriter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RecorderWriter.class);
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final RecordingFiles files;
    private final long syncIntervalNanos;
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
        long nextSyncNanos;
        long syncedBytes;

        Open(RecorderSink sink) {
            this.sink = sink;
        }

        @Override
        public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
            write(this, buffer, index, length);
        }
    }

    RecorderWriter(RecordingFiles files, long syncIntervalMs) {
        this.files = files;
        this.syncIntervalNanos = TimeUnit.MILLISECONDS.toNanos(syncIntervalMs);
    }

    synchronized void add(RecorderSink sink) {
        if (thread == null) {
            thread = new Thread(this, "relay-recorder");
            thread.setDaemon(true); // stop() is what finishes the files; it never holds the JVM up
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
            long now = System.nanoTime();
            for (int i = open.size() - 1; i >= 0; i--) {
                Open o = open.get(i);
                work += drain(o);
                if (o.sink.closed || stop) {
                    // Everything the call wrote before closing, however far behind the disk is:
                    // the ring's last frames are the end of the recording.
                    while (drain(o) > 0) {
                        work++;
                    }
                    finish(o);
                    open.remove(i);
                } else if (now - o.nextSyncNanos >= 0) {
                    sync(o, now);
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
        try {
            RecordingFiles.Created file = files.create(sink.call.callId(), sink.call.startedAtMillis());
            o.wav = new WavWriter(file.channel(), pcm ? WavFormat.pcm16(16000, 1) : WavFormat.mulaw(8000, 1));
            o.nextSyncNanos = System.nanoTime() + syncIntervalNanos;
            log.info("recording callId={} to {}", sink.call.callId(), file.path());
        } catch (IOException | RuntimeException e) {
            fail(o, "cannot create a recording: " + e);
        }
        return o;
    }

    /** Writes the sizes so far into the header, when anything was written since the last sync. */
    private void sync(Open o, long now) {
        o.nextSyncNanos = now + syncIntervalNanos;
        if (o.failed || o.wav == null || o.wav.dataBytes() == o.syncedBytes) {
            return;
        }
        try {
            o.wav.updateHeader();
            o.syncedBytes = o.wav.dataBytes();
        } catch (IOException | RuntimeException e) {
            fail(o, "header sync failed: " + e);
        }
    }

    private int drain(Open o) {
        return o.sink.ring.read(o, 256);
    }

    private void write(Open o, MutableDirectBuffer buffer, int index, int length) {
        o.sink.framesDrained++;
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
}
