package dev.relay.core.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.config.RelayConfig;
import dev.relay.core.event.EventBus;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.TestRelays;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Call#takeOver} between two loops, with recording sockets: the old socket is replaced on
 * its own loop, the new one is told on its loop, the call's loop and its media clock follow, and
 * what is played afterwards runs on the new socket's loop; a call that ended first is left alone.
 */
class CallTakeoverTest {
    private final DefaultEventLoop loopA = new DefaultEventLoop();
    private final DefaultEventLoop loopB = new DefaultEventLoop();
    private final InlinePlacement placement = new InlinePlacement();
    private final CallFactory factory = new CallFactory(RelayConfig.from(TestRelays.config("")),
            Map.of("memory", new MemorySinkFactory()), new CallRegistry(), new EventBus(), placement);

    @AfterEach
    void stop() {
        loopA.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        loopB.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A socket that records on which thread each thing was asked of it. */
    private static final class Socket implements Call.Control {
        final EventLoop loop;
        final List<String> seen = new CopyOnWriteArrayList<>();

        Socket(EventLoop loop) {
            this.loop = loop;
        }

        private void saw(String what) {
            seen.add(what + (loop.inEventLoop() ? "" : " off its loop"));
        }

        @Override
        public void close(int code, String reason) {
            saw("close " + code);
        }

        @Override
        public void sendAudio(byte[] ulaw, int offset, int length) {
            saw("audio " + length);
        }

        @Override
        public void sendGreeting(byte[] ulaw, int offset, int length) {
            saw("greeting " + length);
        }

        @Override
        public void sendInterrupt() {
            saw("interrupt");
        }

        @Override
        public void replaced() {
            saw("replaced");
        }
    }

    private Call place(Socket socket) throws Exception {
        return loopA.submit(() -> factory.create("moving", "default", "", loopA, socket).call())
                .get(5, TimeUnit.SECONDS);
    }

    private static CompletableFuture<Boolean> takeOver(Call call, Socket socket) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        socket.loop.execute(() -> call.takeOver(socket.loop, socket, taken -> {
            if (!socket.loop.inEventLoop()) {
                done.completeExceptionally(new AssertionError("done off the new socket's loop"));
            }
            done.complete(taken);
        }));
        return done;
    }

    @Test
    void theCallMovesToTheNewSocketAndItsLoop() throws Exception {
        Socket old = new Socket(loopA);
        Socket fresh = new Socket(loopB);
        Call call = place(old);

        assertThat(takeOver(call, fresh).get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(old.seen).containsExactly("replaced");
        assertThat(call.loop()).isSameAs(loopB);
        assertThat(factory.registry().resumedTotal()).isEqualTo(1);
        assertThat(loopB.submit(() -> placement.tickerSize(loopB)).get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(loopA.submit(() -> placement.tickerSize(loopA)).get(5, TimeUnit.SECONDS)).isZero();

        call.playAudio(new byte[160]);
        call.playGreeting(new byte[80]);
        call.interrupt();
        call.context().audio().play(new byte[40]);
        call.hangUp(1000, "bye");
        Await.until("the new socket got all five", () -> fresh.seen.size() == 5);
        assertThat(fresh.seen).containsExactly("audio 160", "greeting 80", "interrupt", "audio 40", "close 1000");
        assertThat(old.seen).containsExactly("replaced");
    }

    @Test
    void aCallThatEndedFirstIsNotTakenOver() throws Exception {
        Socket old = new Socket(loopA);
        Socket fresh = new Socket(loopB);
        Call call = place(old);
        loopA.submit(() -> call.release("peer closed 1000")).get(5, TimeUnit.SECONDS);

        assertThat(takeOver(call, fresh).get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(old.seen).isEmpty();
        assertThat(call.loop()).isSameAs(loopA);
        assertThat(factory.registry().resumedTotal()).isZero();
    }
}
