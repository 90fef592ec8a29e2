package dev.relay.core.ingress;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Finds half-open callers (SPEC §4.1, issue #13): every {@code relay.telephony.ping-interval} one
 * task per IO loop pings every telephony socket on that loop, and a socket from which nothing at
 * all was heard (no pong, no message) for {@link #MISSED_LIMIT} intervals in a row is closed
 * 1001 with reason {@code peer_unresponsive}. A caller whose network vanished otherwise held its
 * call (and its callId) for the whole idle timeout.
 *
 * <p>One task per loop rather than a timer per socket: a per-socket timer costs a timer-heap
 * removal and insertion per socket per interval. What the frame path pays is one plain field
 * write per read ({@link Liveness#heard}); no clock is read there. The task runs only while the
 * loop has sockets.
 *
 * <p>Loop thread only: each loop has its own sweep ({@link #on}), and sockets join the sweep of
 * their own loop.
 */
final class PingSweep {
    /** Intervals without a sound before the caller counts as gone. */
    static final int MISSED_LIMIT = 3;
    static final String UNRESPONSIVE = "peer_unresponsive";
    private static final FastThreadLocal<PingSweep> SWEEPS = new FastThreadLocal<>();

    private final EventLoop loop;
    private final long intervalMs;
    private Liveness[] sockets = new Liveness[16];
    private int count;
    private ScheduledFuture<?> task;

    /**
     * What the sweep knows of one socket. {@link #heard} is set by the socket's handler on every
     * read; the sweep clears it and counts the intervals it stayed clear. Loop thread only.
     */
    static final class Liveness {
        final Channel channel;
        boolean heard = true;
        int missed;

        Liveness(Channel channel) {
            this.channel = channel;
        }
    }

    private PingSweep(EventLoop loop, long intervalMs) {
        this.loop = loop;
        this.intervalMs = intervalMs;
    }

    /** The sweep of the calling loop for {@code intervalMs}; loop thread only. */
    static PingSweep on(EventLoop loop, long intervalMs) {
        PingSweep sweep = SWEEPS.get();
        if (sweep == null || sweep.loop != loop || sweep.intervalMs != intervalMs) {
            // A second relay in one JVM never shares loops; a different interval on the same
            // thread (tests) gets a sweep of its own and the old one ends with its sockets.
            sweep = new PingSweep(loop, intervalMs);
            SWEEPS.set(sweep);
        }
        return sweep;
    }

    /** Starts watching {@code channel}; it leaves the sweep by itself once inactive. */
    Liveness watch(Channel channel) {
        Liveness l = new Liveness(channel);
        if (count == sockets.length) {
            sockets = Arrays.copyOf(sockets, count * 2);
        }
        sockets[count++] = l;
        if (task == null) {
            task = loop.scheduleAtFixedRate(this::sweep, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        }
        return l;
    }

    /** Sockets watched now; loop thread only. */
    int size() {
        return count;
    }

    private void sweep() {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            Liveness l = sockets[i];
            if (!l.channel.isActive()) {
                continue;
            }
            if (l.heard) {
                l.heard = false;
                l.missed = 0;
            } else if (++l.missed >= MISSED_LIMIT) {
                unresponsive(l.channel); // and no longer watched: its close is under way
                continue;
            }
            sockets[kept++] = l;
            l.channel.writeAndFlush(new PingWebSocketFrame(), l.channel.voidPromise());
        }
        Arrays.fill(sockets, kept, count, null);
        count = kept;
        if (count == 0) {
            task.cancel(false);
            task = null;
        }
    }

    private static void unresponsive(Channel channel) {
        TelephonyCounters.reject(UNRESPONSIVE);
        TelephonySocketHandler socket = channel.pipeline().get(TelephonySocketHandler.class);
        if (socket != null) {
            socket.close(CloseCodes.GOING_AWAY, UNRESPONSIVE);
        } else {
            channel.close();
        }
    }
}
