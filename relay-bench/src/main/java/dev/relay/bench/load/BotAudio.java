package dev.relay.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code --play-every}: audio back to the callers, as a bot would send it. Every call gets
 * {@code --play-ms} of the clip as {@code audio/pcmu} through the control API
 * ({@code POST /v1/calls/{id}/audio}) every {@code --play-every}, staggered over the calls; the
 * time from the POST to the first {@code media} message on the call's socket is recorded as the
 * "audio back" latency. Requests go out from one scheduler thread with the JDK's async client.
 */
final class BotAudio implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loadtest-bot-audio");
        t.setDaemon(true);
        return t;
    });
    private final LatencyMetric latency = new LatencyMetric("audio-back", "control API POST -> media at the caller");
    private final LongAdder posted = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final URI control;
    private final byte[] ulaw;

    /**
     * @param control {@code http://host:port} of the relay's control API
     * @param ulaw what each call is sent
     */
    BotAudio(URI control, byte[] ulaw) {
        this.control = control;
        this.ulaw = ulaw;
    }

    /** {@code ms} milliseconds of the clip's μ-law, from its start. */
    static byte[] clipUlaw(SpeechClip clip, int ms) {
        int frames = Math.max(1, Math.min(clip.frameCount(), ms / 20));
        byte[] out = new byte[frames * SpeechClip.FRAME_BYTES];
        for (int f = 0; f < frames; f++) {
            System.arraycopy(clip.frame(f), 0, out, f * SpeechClip.FRAME_BYTES, SpeechClip.FRAME_BYTES);
        }
        return out;
    }

    /** Starts playing to {@code calls} every {@code everyMs}, call {@code i} offset by i/n of the period. */
    void start(List<SimCall> calls, long firstDelayMs, long everyMs) {
        for (SimCall call : calls) {
            long offset = firstDelayMs + everyMs * call.index / Math.max(1, calls.size());
            scheduler.scheduleAtFixedRate(() -> play(call), offset, everyMs, TimeUnit.MILLISECONDS);
        }
    }

    private void play(SimCall call) {
        if (call.state != SimCall.State.STREAMING || call.playPostedNanos != 0) {
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(control.resolve("/v1/calls/" + call.callId + "/audio"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "audio/pcmu")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ulaw))
                .build();
        call.playPostedNanos = System.nanoTime();
        posted.increment();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            if (e != null || r.statusCode() / 100 != 2) {
                call.playPostedNanos = 0;
                // A play that raced the call's own end (404: the call is gone) is not the relay's failure.
                boolean endedMeanwhile = e == null && r.statusCode() == 404 && call.state != SimCall.State.STREAMING;
                if (endedMeanwhile) {
                    late.increment();
                } else {
                    failed.increment();
                }
            }
        });
    }

    /** The caller received audio: the latency of the play it answers, if one is pending. Any thread. */
    void received(SimCall call, long nowNanos) {
        long postedAt = call.playPostedNanos;
        if (postedAt != 0) {
            call.playPostedNanos = 0;
            latency.record(nowNanos - postedAt);
        }
    }

    LatencyMetric latency() {
        return latency;
    }

    long posted() {
        return posted.sum();
    }

    long failed() {
        return failed.sum();
    }

    /** Plays answered 404 because their call had ended meanwhile (a race at the end of a run, not a failure). */
    long late() {
        return late.sum();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
