package dev.relay.core.call;

import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code relay.dsp.mode = inline}: the pipeline runs on the socket's IO loop itself, with no
 * handoff at all; the jitter-buffer tick is a task scheduled on the same loop.
 */
public final class InlineIngress implements MediaIngress {
    static final long TICK_MS = 10;

    private final CallPipeline pipeline;
    private final ScheduledFuture<?> ticker;
    private boolean closed;

    public InlineIngress(CallPipeline pipeline, EventLoop loop) {
        this.pipeline = pipeline;
        pipeline.start();
        this.ticker = loop.scheduleAtFixedRate(
                () -> pipeline.tick(System.nanoTime()), TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void rtp(byte[] packet, int offset, int length, long arrivalNanos) {
        pipeline.onRtp(packet, offset, length, arrivalNanos);
    }

    @Override
    public void g711(boolean alaw, byte[] payload, int offset, int length, long arrivalNanos) {
        pipeline.onG711(alaw, payload, offset, length, arrivalNanos);
    }

    @Override
    public void pcm16(byte[] bytes, int offset, int length, boolean bigEndian, int sampleRateHz, long arrivalNanos) {
        pipeline.onPcm16(bytes, offset, length, bigEndian, sampleRateHz, arrivalNanos);
    }

    @Override
    public void close(String reason, Runnable onFinished) {
        if (closed) {
            return;
        }
        closed = true;
        ticker.cancel(false);
        pipeline.finish(reason);
        onFinished.run();
    }
}
