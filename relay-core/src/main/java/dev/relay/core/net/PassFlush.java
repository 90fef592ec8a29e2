package dev.relay.core.net;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A socket's flush held back to the end of its event loop's current pass: a writer that would
 * flush after each message calls {@link #request} instead, and the flush runs once, as a task,
 * after the loop has handled the IO the pass woke up for. A loop that gathers several telephony
 * messages per wake-up then sends to its sink sockets back to back rather than between one
 * message's parsing and the next; on a virtual machine each send that finds the peer's core
 * asleep pays for waking it, and sends close together find it awake. The socket still gets one
 * write per message: this moves the flush in time, it does not merge writes.
 *
 * <p>Threads: the loop's thread only. A loop that no longer takes tasks (shut down) gets its
 * flush at once.
 */
public final class PassFlush {
    private final Executor loop;
    private final Runnable flush;
    private final Runnable task = this::run;
    private boolean pending;

    /** {@code flush} runs on {@code loop}, at most once per pass. */
    public PassFlush(Executor loop, Runnable flush) {
        this.loop = loop;
        this.flush = flush;
    }

    /** Flushes at the end of this pass; further requests before then are already covered. */
    public void request() {
        if (pending) {
            return;
        }
        pending = true;
        try {
            loop.execute(task);
        } catch (RejectedExecutionException gone) {
            run();
        }
    }

    /** True between a {@link #request} and its flush. */
    public boolean pending() {
        return pending;
    }

    private void run() {
        pending = false;
        flush.run();
    }
}
