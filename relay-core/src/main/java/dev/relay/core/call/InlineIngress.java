package dev.relay.core.call;

import dev.relay.codec.g711.G711;

/**
 * {@code relay.dsp.mode = inline}: the pipeline runs on the socket's IO loop itself, with no
 * handoff at all; the jitter buffer is ticked by the loop's {@link LoopTicker}.
 */
public final class InlineIngress implements MediaIngress {
    private final CallPipeline pipeline;
    private final LoopTicker ticker;
    private final LoopTicker.Entry clock;
    private Runnable onFailure = () -> { };
    private boolean closed;

    InlineIngress(CallPipeline pipeline, LoopTicker ticker) {
        this.pipeline = pipeline;
        this.ticker = ticker;
        pipeline.start();
        this.clock = new LoopTicker.Entry(pipeline.callId(), pipeline::tick, () -> onFailure.run());
        ticker.add(clock);
    }

    @Override
    public void onFailure(Runnable action) {
        this.onFailure = action;
    }

    @Override
    public void rtp(byte[] packet, int offset, int length, long arrivalNanos) {
        pipeline.onRtp(packet, offset, length, arrivalNanos);
    }

    @Override
    public void g711(G711 law, byte[] payload, int offset, int length, long arrivalNanos) {
        pipeline.onG711(law, payload, offset, length, arrivalNanos);
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
        ticker.remove(clock);
        pipeline.finish(reason);
        onFinished.run();
    }
}
