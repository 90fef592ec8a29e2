package dev.relay.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PassFlushTest {
    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() throws InterruptedException {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    @Test
    void requestsInOnePassFlushOnceAfterThePass() throws Exception {
        List<String> order = new ArrayList<>();
        PassFlush flush = new PassFlush(loop, () -> order.add("flush"));

        loop.submit(() -> {
            order.add("write 1");
            flush.request();
            order.add("write 2");
            flush.request();
            order.add("write 3");
            flush.request();
            order.add("pass over");
        }).get(5, TimeUnit.SECONDS);
        loop.submit(() -> { }).get(5, TimeUnit.SECONDS);

        assertEquals(List.of("write 1", "write 2", "write 3", "pass over", "flush"), order);
    }

    @Test
    void aRequestAfterTheFlushFlushesAgain() throws Exception {
        List<String> order = new ArrayList<>();
        PassFlush flush = new PassFlush(loop, () -> order.add("flush"));

        loop.submit(flush::request).get(5, TimeUnit.SECONDS);
        loop.submit(() -> { }).get(5, TimeUnit.SECONDS);
        boolean pendingAfterFirst = loop.submit(flush::pending).get(5, TimeUnit.SECONDS);
        loop.submit(flush::request).get(5, TimeUnit.SECONDS);
        loop.submit(() -> { }).get(5, TimeUnit.SECONDS);

        assertFalse(pendingAfterFirst);
        assertEquals(List.of("flush", "flush"), order);
    }

    @Test
    void aLoopThatTakesNoMoreTasksFlushesAtOnce() {
        Executor gone = task -> {
            throw new RejectedExecutionException("event executor terminated");
        };
        List<String> order = new ArrayList<>();
        PassFlush flush = new PassFlush(gone, () -> order.add("flush"));

        flush.request();

        assertEquals(List.of("flush"), order);
        assertFalse(flush.pending());
    }

    @Test
    void pendingUntilTheLoopRunsTheFlush() {
        List<Runnable> queued = new ArrayList<>();
        PassFlush flush = new PassFlush(queued::add, () -> { });

        flush.request();
        flush.request();

        assertTrue(flush.pending());
        assertEquals(1, queued.size());
        queued.get(0).run();
        assertFalse(flush.pending());
    }
}
