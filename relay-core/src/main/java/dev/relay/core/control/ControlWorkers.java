package dev.relay.core.control;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The small shared pool for admin work too slow for an IO loop (transcoding pushed audio, and
 * other CPU or blocking work of the control API). Fixed threads and a bounded queue: when both
 * are full, {@link #submit} fails at once and the route answers 503 {@code busy} rather than
 * queueing request bodies without bound. Thread-safe.
 */
public final class ControlWorkers implements AutoCloseable, Executor {
    private final ThreadPoolExecutor pool;

    /**
     * @param threads worker threads
     * @param queue tasks waiting beyond the running ones (each may hold a request body)
     */
    public ControlWorkers(int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
                r -> {
                    Thread t = new Thread(r, "relay-control-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code work} on a worker; the future completes with its result or exception.
     *
     * @throws RejectedExecutionException when every worker is busy and the queue is full, or after
     *     {@link #close}
     */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        pool.execute(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** Runs {@code task} on a worker; throws {@code RejectedExecutionException} when the queue is full. */
    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /** Tasks waiting for a worker. */
    public int queued() {
        return pool.getQueue().size();
    }

    /** Stops taking work and waits briefly for running tasks. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
