package dev.relay.core.call;

import dev.relay.codec.g711.G711;
import io.netty.channel.EventLoop;
import java.util.function.Function;

/**
 * {@code relay.dsp.mode = inline}: the pipeline runs on the socket's IO loop itself, with no
 * handoff at all; the jitter buffer is ticked by the loop's {@link LoopTicker}. A takeover by a
 * socket on another loop moves the pipeline with it ({@link #moveTo}): off the old loop's clock
 * there, onto the new loop's clock by a task the old loop submits, so the two loops never touch
 * the pipeline at once and the new one sees everything the old one did.
 *
 * <p>IO loop only: the loop of the call's socket at the time.
 */
public final class InlineIngress implements MediaIngress {
    private final CallPipeline pipeline;
    private final Function<EventLoop, LoopTicker> tickers;
    private LoopTicker ticker;
    private final LoopTicker.Entry clock;
    private Runnable onFailure = () -> { };
    private boolean closed;

    /** @param tickers the clock of each IO loop */
    InlineIngress(CallPipeline pipeline, EventLoop loop, Function<EventLoop, LoopTicker> tickers) {
        this.pipeline = pipeline;
        this.tickers = tickers;
        this.ticker = tickers.apply(loop);
        pipeline.start();
        this.clock = new LoopTicker.Entry(pipeline.callId(), pipeline::tick, () -> onFailure.run());
        ticker.add(clock);
    }

    @Override
    public void resume() {
        pipeline.resume();
    }

    @Override
    public void moveTo(EventLoop loop) {
        LoopTicker next = tickers.apply(loop);
        if (next != ticker && !closed) {
            ticker.remove(clock);
            next.add(clock); // from the old loop: LoopTicker hops onto its own loop (or throws, stopped)
            ticker = next;
        }
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
