package dev.relay.core.control.events;

import dev.relay.core.cluster.Cluster;
import dev.relay.core.cluster.ClusterEvent;
import dev.relay.core.control.ControlServer;
import dev.relay.core.event.CallEvent;
import dev.relay.core.event.EventBus;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One events-WebSocket subscriber. Publishers (IO and DSP threads) only filter and offer the
 * event to a bounded MPSC queue and, at most once until it runs, schedule a drain on this
 * socket's loop; the drain writes while the socket is writable and flushes once.
 *
 * <p>Memory per subscriber is bounded twice: the queue's capacity, and the socket's outbound
 * buffer, which the drain never fills past its high-water mark. A subscriber whose queue is full
 * when an event arrives has fallen behind (it stopped reading, so the socket is unwritable and
 * the queue filled behind it): it is unsubscribed at once, its queue emptied, and the socket
 * closed with 1008 {@code too slow}; it is never buffered for without bound, nor silently skips
 * events. A subscriber that cannot even take the close frame is cut off after
 * {@value #CLOSE_GRACE_MS} ms.
 *
 * <p>A cluster-wide subscriber ({@code ?scope=cluster}) also takes the other nodes' events from
 * the cluster (on the engine's loop), into the same queue, and every event it writes names its
 * node: this node's id for local events, the publisher's for the others.
 */
final class EventSubscriber extends ChannelInboundHandlerAdapter implements Consumer<CallEvent> {
    static final int TOO_SLOW = 1008;
    static final int GOING_AWAY = 1001;
    private static final long CLOSE_GRACE_MS = 5000;
    private static final Logger log = LoggerFactory.getLogger(EventSubscriber.class);

    private final EventBus bus;
    private final String callIdFilter;
    /** {@link CallEvent}s of this node and {@link ClusterEvent}s of the others. */
    private final MpscArrayQueue<Object> queue;
    private final Cluster cluster;
    private final String localNode;
    private final AtomicInteger live;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private ChannelHandlerContext ctx;
    private AutoCloseable subscription;
    private AutoCloseable clusterSubscription;

    /**
     * @param callIdFilter only this call's events, or null for all
     * @param cluster the cluster to take other nodes' events from, or null for this node's only
     * @param localNode the id written as {@code node} on this node's events, or null for none
     */
    EventSubscriber(EventBus bus, String callIdFilter, int capacity, AtomicInteger live, Cluster cluster,
            String localNode) {
        this.bus = bus;
        this.cluster = cluster;
        this.localNode = localNode;
        this.callIdFilter = callIdFilter;
        this.queue = new MpscArrayQueue<>(Math.max(2, capacity));
        this.live = live;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        live.incrementAndGet();
        subscription = bus.subscribe(this);
        if (cluster != null) {
            clusterSubscription = cluster.subscribe(this::acceptRemote);
        }
    }

    /** Any thread: the bus hands over one event. */
    @Override
    public void accept(CallEvent event) {
        enqueue(event, event);
    }

    /** The engine's loop: another node's event. */
    private void acceptRemote(ClusterEvent event) {
        enqueue(event, event.event());
    }

    private void enqueue(Object item, CallEvent event) {
        if (ended.get() || (callIdFilter != null && !callIdFilter.equals(event.callId()))) {
            return;
        }
        if (!queue.offer(item)) {
            end(TOO_SLOW, "too slow");
            return;
        }
        if (drainScheduled.compareAndSet(false, true)) {
            execute(drainTask);
        }
    }

    private void drain() {
        // Cleared before polling: an event offered from now on schedules another drain.
        drainScheduled.set(false);
        final Channel ch = ctx.channel();
        if (ended.get()) {
            return;
        }
        int written = 0;
        Object item;
        while (ch.isWritable() && (item = queue.poll()) != null) {
            CallEvent event = item instanceof ClusterEvent remote ? remote.event() : (CallEvent) item;
            String node = item instanceof ClusterEvent remote ? remote.node() : localNode;
            byte[] json;
            try {
                json = EventJson.toJson(event, node);
            } catch (IllegalArgumentException e) {
                log.warn("event not serialisable, skipped for subscriber type={} callId={}", event.type(),
                        event.callId(), e);
                continue;
            }
            ctx.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(json)));
            written++;
        }
        if (written > 0) {
            ctx.flush();
        }
    }

    /**
     * Any thread, once: unsubscribes, forgets what is queued and closes the socket with
     * {@code code}, cutting it off if the close frame cannot be delivered in time.
     */
    private void end(int code, String reason) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        Runnable close = () -> {
            unsubscribe();
            queue.clear();
            if (!ctx.channel().isActive()) {
                return;
            }
            if (code == TOO_SLOW) {
                log.warn("events subscriber {} too slow, closing", ctx.channel().remoteAddress());
            }
            ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
            ctx.executor().schedule(() -> ctx.close(), CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
        };
        // On the loop (shutdown) the close frame must go before the server closes the socket.
        if (ctx.executor().inEventLoop()) {
            close.run();
        } else {
            execute(close);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            drain();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof CloseWebSocketFrame close) {
                ended.set(true);
                unsubscribe();
                queue.clear();
                int code = close.statusCode() > 0 ? close.statusCode() : 1000;
                ctx.writeAndFlush(new CloseWebSocketFrame(code, "")).addListener(ChannelFutureListener.CLOSE);
            } else if (msg instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ControlServer.GOING_AWAY) {
            end(GOING_AWAY, "relay shutting down");
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ended.set(true);
        unsubscribe();
        queue.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("events subscriber failed", cause);
        ctx.close();
    }

    private void unsubscribe() {
        AutoCloseable s = subscription;
        subscription = null;
        if (s != null) {
            live.decrementAndGet();
            close(s);
        }
        AutoCloseable c = clusterSubscription;
        clusterSubscription = null;
        if (c != null) {
            close(c);
        }
    }

    private static void close(AutoCloseable subscription) {
        try {
            subscription.close();
        } catch (Exception e) {
            log.warn("events unsubscribe failed", e);
        }
    }

    private void execute(Runnable task) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException e) {
            // The loop is shutting down and closes the socket itself.
        }
    }
}
