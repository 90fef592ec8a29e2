package dev.relay.core.cluster;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Netty {@link Timer} whose timeouts are scheduled tasks of one event loop. Lettuce times its
 * commands and reconnect delays with a timer; its default, a {@code HashedWheelTimer}, is a thread
 * that wakes ten times a second whether or not anything is due. On the relay's own loop a timeout
 * costs a task in the loop's queue and nothing while none is pending. Thread-safe; tasks run on
 * the loop and must not block (Lettuce's complete a future).
 */
final class LoopTimer implements Timer {
    private static final Logger log = LoggerFactory.getLogger(LoopTimer.class);

    private final EventExecutor loop;
    private volatile boolean stopped;

    LoopTimer(EventExecutor loop) {
        this.loop = loop;
    }

    @Override
    public Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
        if (stopped) {
            throw new IllegalStateException("timer stopped");
        }
        LoopTimeout timeout = new LoopTimeout(this, task);
        timeout.future = loop.schedule(timeout, Math.max(0, delay), unit);
        return timeout;
    }

    /** Stops accepting timeouts; those pending still run (they belong to connections being closed). */
    @Override
    public Set<Timeout> stop() {
        stopped = true;
        return Set.of();
    }

    private static final class LoopTimeout implements Timeout, Runnable {
        private final Timer timer;
        private final TimerTask task;
        volatile ScheduledFuture<?> future;
        private volatile boolean cancelled;
        private volatile boolean expired;

        LoopTimeout(Timer timer, TimerTask task) {
            this.timer = timer;
            this.task = task;
        }

        @Override
        public void run() {
            if (cancelled) {
                return;
            }
            expired = true;
            try {
                task.run(this);
            } catch (Throwable t) {
                log.warn("timer task failed", t);
            }
        }

        @Override
        public Timer timer() {
            return timer;
        }

        @Override
        public TimerTask task() {
            return task;
        }

        @Override
        public boolean isExpired() {
            return expired;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean cancel() {
            if (expired || cancelled) {
                return false;
            }
            cancelled = true;
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
            return true;
        }
    }
}
