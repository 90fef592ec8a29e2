package dev.relay.core.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.testing.Await;
import io.netty.channel.DefaultEventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One clock per IO loop for all its inline calls: every call ticked, failures isolated, idle loops left alone. */
class LoopTickerTest {
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final LoopTicker ticker = new LoopTicker(loop);

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private int onLoop(Callable<Integer> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void ticksEveryCallOnTheLoopWithOneTask() throws Exception {
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        ticker.add(new LoopTicker.Entry("a", now -> { a.incrementAndGet(); threads.add(Thread.currentThread()); },
                () -> { }));
        ticker.add(new LoopTicker.Entry("b", now -> b.incrementAndGet(), () -> { }));
        Await.until("three ticks of each call", WAIT, () -> a.get() >= 3 && b.get() >= 3);
        assertThat(onLoop(() -> loop.inEventLoop() ? 1 : 0)).isEqualTo(1);
        assertThat(threads).allSatisfy(t -> assertThat(loop.inEventLoop(t)).isTrue());
        assertThat(onLoop(ticker::size)).isEqualTo(2);
    }

    @Test
    void aRemovedCallIsNoLongerTickedAndAnIdleLoopHasNoTask() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        LoopTicker.Entry e = new LoopTicker.Entry("a", now -> ticks.incrementAndGet(), () -> { });
        ticker.add(e);
        Await.until("a first tick", WAIT, () -> ticks.get() > 0);
        ticker.remove(e);
        assertThat(onLoop(ticker::size)).isZero();
        int after = ticks.get();
        Await.during("no tick once removed", Duration.ofMillis(60), () -> ticks.get() == after);
        assertThat(onLoop(() -> ticker.running() ? 1 : 0)).isZero();
        ticker.add(e);
        Await.until("a tick once added again", WAIT, () -> ticks.get() > after);
        assertThat(onLoop(() -> ticker.running() ? 1 : 0)).isEqualTo(1);
    }

    @Test
    void aCallRemovedByAnotherCallsTickIsSkippedAndCompacted() throws Exception {
        AtomicInteger second = new AtomicInteger();
        LoopTicker.Entry victim = new LoopTicker.Entry("victim", now -> second.incrementAndGet(), () -> { });
        LoopTicker.Entry remover = new LoopTicker.Entry("remover", now -> ticker.remove(victim), () -> { });
        CountDownLatch added = new CountDownLatch(1);
        loop.execute(() -> {
            ticker.add(remover);
            ticker.add(victim);
            added.countDown();
        });
        added.await(5, TimeUnit.SECONDS);
        Await.until("the removed call compacted away", WAIT, () -> {
            try {
                return onLoop(ticker::size) == 1;
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
        // Removed before its turn in the first tick: never ticked.
        Await.during("the victim never ticked", Duration.ofMillis(30), () -> second.get() == 0);
        assertThat(onLoop(ticker::size)).isEqualTo(1);
    }

    @Test
    void aThrowingTickFailsOnlyItsCall() throws Exception {
        AtomicInteger healthy = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger badTicks = new AtomicInteger();
        ticker.add(new LoopTicker.Entry("bad", now -> {
            badTicks.incrementAndGet();
            throw new IllegalStateException("boom");
        }, failures::incrementAndGet));
        ticker.add(new LoopTicker.Entry("good", now -> healthy.incrementAndGet(), () -> { }));
        Await.until("three ticks of the healthy call", WAIT, () -> healthy.get() >= 3);
        assertThat(failures.get()).isEqualTo(1);
        assertThat(badTicks.get()).isEqualTo(1);
        assertThat(healthy.get()).isGreaterThanOrEqualTo(3);
        assertThat(onLoop(ticker::size)).isEqualTo(1);
    }
}
