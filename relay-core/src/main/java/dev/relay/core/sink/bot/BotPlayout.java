package dev.relay.core.sink.bot;

import dev.relay.codec.transcode.Pcm16ToUlaw8k;
import dev.relay.core.sink.CallAudio;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The way back: bot audio → the call. Collects the bot's audio (transcoded to μ-law 8 kHz when it
 * is L16) into one {@link PlayoutBatch} and hands each batch to {@link CallAudio#play} as one
 * outbound message.
 *
 * <p>Why batches. Alohaa's outbound {@code media} is "not continuous": the provider expects a
 * complete voice chunk per message, each a WAV of its own, while Media Streams bots typically send
 * 20 ms messages. A batch is handed over when the bot marks an utterance boundary ({@code mark}),
 * when {@code lingerMs} have passed since its first byte (so a paced bot waits at most that long),
 * when it holds {@link #MAX_BATCH_BYTES}, or when the connection ends. {@code lingerMs = 0} hands
 * over what each read burst brought instead.
 *
 * <p>{@code clear} drops the batch not yet handed over and interrupts the call (audio already
 * handed over is the provider's to stop). A call that cannot play (raw PCM telephony) has its bot
 * audio dropped and counted, reported once. IO loop only, the same loop as the call's socket.
 */
final class BotPlayout {
    /** A batch this large is handed over at once: 8 s of μ-law. */
    static final int MAX_BATCH_BYTES = 64 * 1024;

    private final CallAudio audio;
    private final EventLoop loop;
    private final BotCounters counters;
    private final long lingerMs;
    /** The bot's L16 (16 kHz, big-endian) into the call's μ-law; null for a μ-law stream. */
    private final Pcm16ToUlaw8k l16;
    private final IntConsumer cannotPlay;
    private final PlayoutBatch batch = new PlayoutBatch();
    private final Runnable lingerTask = this::lingerExpired;
    private ScheduledFuture<?> linger;
    private boolean cannotPlayReported;

    /**
     * @param cannotPlay told once, with the bytes dropped, when the call turns out unable to play
     */
    BotPlayout(CallAudio audio, EventLoop loop, BotCounters counters, BotConfig.Encoding encoding,
            long lingerMs, IntConsumer cannotPlay) {
        this.audio = audio;
        this.loop = loop;
        this.counters = counters;
        this.lingerMs = lingerMs;
        this.l16 = encoding == BotConfig.Encoding.L16 ? new Pcm16ToUlaw8k(encoding.sampleRateHz(), true) : null;
        this.cannotPlay = cannotPlay;
    }

    /** Bot audio in the stream's encoding; copied before this returns. */
    void media(byte[] payload, int off, int len) {
        if (!audio.canPlay()) {
            drop(l16 == null ? len : len / 4);
            return;
        }
        if (l16 != null) {
            l16.convert(payload, off, len, batch);
        } else {
            batch.append(payload, off, len);
        }
        if (batch.length() >= MAX_BATCH_BYTES) {
            handOver();
        } else if (linger == null && lingerMs > 0 && !batch.isEmpty()) {
            linger = loop.schedule(lingerTask, lingerMs, TimeUnit.MILLISECONDS);
        }
    }

    /** The end of one read burst from the bot. */
    void readComplete() {
        if (lingerMs == 0) {
            handOver();
        }
    }

    /**
     * A mark: everything before it is handed to the call now, and {@code echo} runs once the call's
     * loop has written that audio to the caller's socket (it queues behind the play task).
     */
    void mark(Runnable echo) {
        endSegment();
        handOver();
        loop.execute(echo);
    }

    /** {@code clear}: drop what was not handed over yet and interrupt the call. */
    void clear() {
        cancelLinger();
        if (l16 != null) {
            l16.reset();
        }
        counters.audio(BotCounters.Outcome.CLEARED, batch.clear());
        audio.interrupt();
    }

    /** The bot connection ended: what it sent is played. */
    void connectionEnded() {
        endSegment();
        handOver();
    }

    /** The call ended: nothing more can be played. */
    void close() {
        cancelLinger();
        if (l16 != null) {
            l16.reset();
        }
        counters.audio(BotCounters.Outcome.CLEARED, batch.clear());
    }

    private void endSegment() {
        if (l16 != null && audio.canPlay()) {
            l16.endSegment(batch);
        }
    }

    private void lingerExpired() {
        linger = null;
        handOver();
    }

    private void handOver() {
        cancelLinger();
        if (batch.isEmpty()) {
            return;
        }
        byte[] ulaw = batch.take();
        counters.audio(BotCounters.Outcome.PLAYED, ulaw.length);
        audio.play(ulaw);
    }

    private void drop(int bytes) {
        counters.audio(BotCounters.Outcome.DROPPED, bytes);
        if (!cannotPlayReported) {
            cannotPlayReported = true;
            cannotPlay.accept(bytes);
        }
    }

    private void cancelLinger() {
        if (linger != null) {
            linger.cancel(false);
            linger = null;
        }
    }
}
