package dev.relay.core.call;

import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code relay.dsp.mode = inline}: each call's pipeline runs on its socket's IO loop, and every
 * IO loop's inline calls share one jitter-buffer clock ({@link LoopTicker}). Thread-safe.
 */
public final class InlinePlacement implements MediaPlacement {
    /** The jitter-buffer clock of each IO loop's inline calls. */
    private final Map<EventLoop, LoopTicker> tickers = new ConcurrentHashMap<>();

    @Override
    public MediaIngress place(CallPipeline pipeline, EventLoop loop, CallStats stats) {
        return new InlineIngress(pipeline, loop, l -> tickers.computeIfAbsent(l, LoopTicker::new));
    }

    /** Calls on {@code loop}'s clock; on that loop only (for tests). */
    int tickerSize(EventLoop loop) {
        LoopTicker ticker = tickers.get(loop);
        return ticker == null ? 0 : ticker.size();
    }
}
