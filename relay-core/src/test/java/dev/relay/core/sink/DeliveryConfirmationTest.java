package dev.relay.core.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.config.StreamConfig;
import dev.relay.core.event.CallEvent;
import dev.relay.core.event.EventBus;
import dev.relay.core.sink.StreamingSink.Delivery;
import dev.relay.core.sink.StreamingSinkTest.Outcome;
import dev.relay.core.sink.StreamingSinkTest.ScriptedSink;
import dev.relay.core.sink.StreamingSinkTest.Sent;
import dev.relay.core.testing.Await;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Delivery confirmation in the network-sink base, through the scripted subclass: pings while
 * written audio is unconfirmed and none while idle, what a lost connection declares or replays,
 * the bound on retained chunks, and a link that stops answering being closed. The test plays the
 * peer: it answers pings with {@link ScriptedSink#pong}, or does not.
 */
@Timeout(20)
class DeliveryConfirmationTest {
    private static final int FRAME = 320;

    private final EventLoop loop = new DefaultEventLoop();
    private final EventBus bus = new EventBus();
    private final List<CallEvent> events = new CopyOnWriteArrayList<>();
    private final AudioSpan frame = new AudioSpan();

    DeliveryConfirmationTest() {
        bus.subscribe(events::add);
    }

    @AfterEach
    void stopLoop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private ScriptedSink open(Delivery delivery, int queueFrames, long confirmMs, long pongTimeoutMs,
            Outcome... script) {
        ScriptedSink sink = new ScriptedSink(new StreamConfig(queueFrames * 20L, 1000, 10, 40, 1000, confirmMs,
                pongTimeoutMs), delivery);
        sink.script.addAll(List.of(script));
        sink.open(new CallContext("c1", "default", "", 0, bus, loop, CallAudio.NONE));
        return sink;
    }

    private void push(ScriptedSink sink, int from, int to) {
        for (int i = from; i < to; i++) {
            frame.pcm16k()[0] = (short) i;
            frame.set((long) i * FRAME, FRAME, System.nanoTime(), false);
            sink.onAudio(frame);
        }
    }

    private void onLoop(Runnable task) throws Exception {
        loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    /** Ends the call; the sink releases what it kept (the leak detector checks the class). */
    private static void closeAndAwait(ScriptedSink sink) throws InterruptedException {
        sink.close("call ended");
        Await.until("the sink closed", () -> sink.group.live() == 0);
    }

    private static List<Long> starts(ScriptedSink sink) {
        return sink.sent.stream().map(Sent::start).toList();
    }

    private static List<Long> frames(int from, int to) {
        return LongStream.range(from, to).map(i -> i * FRAME).boxed().toList();
    }

    /** Opens a sink whose first attempt stays pending, queues {@code frames}, then brings it up: one write. */
    private ScriptedSink upWith(Delivery delivery, int queueFrames, long confirmMs, long pongTimeoutMs, int frames,
            Outcome... later) throws Exception {
        Outcome[] script = new Outcome[later.length + 1];
        script[0] = Outcome.PENDING;
        System.arraycopy(later, 0, script, 1, later.length);
        ScriptedSink sink = open(delivery, queueFrames, confirmMs, pongTimeoutMs, script);
        Await.until("one connection attempt", () -> sink.attempts == 1);
        push(sink, 0, frames);
        onLoop(sink::up);
        return sink;
    }

    /** Pushes {@code from..to-1} while the link is not writable, then lets them go in one write. */
    private void pushAtOnce(ScriptedSink sink, int from, int to) throws Exception {
        sink.writable = false;
        push(sink, from, to);
        onLoop(sink::writableAgain);
    }

    @Test
    void aPongConfirmsWhatWasWrittenAndAnIdleLinkIsNotPinged() throws Exception {
        ScriptedSink sink = upWith(Delivery.CONFIRMED, 50, 20, 10_000, 10);
        Await.until("a ping after the audio", () -> !sink.pings.isEmpty());
        assertThat(sink.pings.get(0)).isEqualTo(10);
        onLoop(() -> sink.pong(10));
        // Idle: nothing written since the pong, so no timer and no ping.
        Await.during("no ping while idle", Duration.ofMillis(150), () -> sink.pings.size() == 1);
        pushAtOnce(sink, 10, 15);
        Await.until("a ping for the new audio", () -> sink.pings.size() == 2);
        assertThat(sink.pings.get(1)).isEqualTo(15);
        onLoop(() -> sink.pong(15));
        onLoop(() -> sink.down("reset"));
        assertThat(sink.framesUnconfirmed()).as("everything was confirmed").isZero();
        closeAndAwait(sink);
    }

    @Test
    void aConnectionLostBeforeItsPongDeclaresWhatItWrote() throws Exception {
        ScriptedSink sink = upWith(Delivery.CONFIRMED, 50, 20, 10_000, 10);
        Await.until("a ping", () -> !sink.pings.isEmpty());
        onLoop(() -> sink.pong(10));
        pushAtOnce(sink, 10, 17);
        Await.until("17 frames sent", () -> sink.framesSent() == 17);
        // A pong that is not for the outstanding ping (unsolicited, or stale) confirms nothing.
        onLoop(() -> sink.pong(3));
        onLoop(() -> sink.down("connection reset"));
        assertThat(sink.framesUnconfirmed()).isEqualTo(7);
        assertThat(sink.framesReplayed()).isZero();
        Await.until("back up", () -> sink.reconnects() == 1);
        // Not replayed: the next connection starts with new audio.
        push(sink, 17, 20);
        Await.until("20 frames sent", () -> sink.framesSent() == 20);
        assertThat(starts(sink)).containsExactlyElementsOf(frames(0, 20));
        closeAndAwait(sink);
    }

    @Test
    void aReplayingSinkWritesTheUnconfirmedChunksAgainAfterTheReconnect() throws Exception {
        ScriptedSink sink = upWith(Delivery.CONFIRMED_REPLAYED, 50, 20, 10_000, 5, Outcome.PENDING);
        Await.until("a ping", () -> !sink.pings.isEmpty());
        pushAtOnce(sink, 5, 10);
        Await.until("10 frames sent", () -> sink.framesSent() == 10);
        onLoop(() -> sink.pong(5));
        onLoop(() -> sink.down("connection reset"));
        Await.until("the reconnect attempt", () -> sink.attempts == 2);
        // Audio that comes while down queues behind the chunks to replay.
        push(sink, 10, 12);
        onLoop(sink::up);
        Await.until("the replay and the new audio written", () -> sink.sent.size() == 17);
        assertThat(starts(sink).subList(10, 17)).containsExactlyElementsOf(frames(5, 12));
        assertThat(sink.framesSent()).isEqualTo(12);
        assertThat(sink.framesReplayed()).isEqualTo(5);
        assertThat(sink.framesUnconfirmed()).isZero();
        assertThat(sink.framesDropped()).isZero();
        // Replays are not timeline jumps: the gap counter sees none.
        assertThat(sink.gapSamples()).isZero();
        closeAndAwait(sink);
    }

    @Test
    void retainedChunksGiveWayToNewAudioWithinTheQueueBound() throws Exception {
        ScriptedSink sink = upWith(Delivery.CONFIRMED_REPLAYED, 4, 10_000, 30_000, 4);
        Await.until("4 frames sent", () -> sink.framesSent() == 4);
        sink.writable = false;
        // The queue fills with 4 new chunks: the 4 written, unconfirmed ones are no longer kept.
        push(sink, 4, 8);
        onLoop(() -> { });
        sink.writable = true;
        onLoop(() -> sink.down("connection reset"));
        assertThat(sink.framesUnconfirmed()).as("written, unconfirmed, no longer kept").isEqualTo(4);
        Await.until("8 frames sent", () -> sink.framesSent() == 8);
        assertThat(starts(sink)).containsExactlyElementsOf(frames(0, 8));
        assertThat(sink.framesReplayed()).isZero();
        closeAndAwait(sink);
    }

    @Test
    void aPeerThatStopsAnsweringIsClosedAndReconnected() throws Exception {
        ScriptedSink sink = upWith(Delivery.CONFIRMED_REPLAYED, 50, 20, 60, 10);
        // The scripted abort records itself before it reports the link down: wait for the report.
        Await.until("the link reported down", () -> events.stream().anyMatch(e -> e.type().equals("sink.down")));
        assertThat(sink.aborts.get(0)).contains("no pong within 60 ms");
        CallEvent down = events.stream().filter(e -> e.type().equals("sink.down")).findFirst().orElseThrow();
        assertThat((String) down.data().get("reason")).contains("no pong");
        // The 10 unconfirmed frames go again on the next connection (which does not answer
        // either, so this may repeat until the call ends).
        Await.until("reconnected and replayed", () -> sink.reconnects() >= 1 && sink.framesReplayed() >= 10);
        assertThat(starts(sink).subList(10, 20)).containsExactlyElementsOf(frames(0, 10));
        assertThat(sink.framesSent()).isEqualTo(10);
        closeAndAwait(sink);
    }

    @Test
    void confirmIntervalZeroTurnsConfirmationOff() throws Exception {
        ScriptedSink sink = open(Delivery.CONFIRMED_REPLAYED, 50, 0, 0);
        push(sink, 0, 10);
        Await.until("10 frames sent", () -> sink.framesSent() == 10);
        onLoop(() -> sink.down("connection reset"));
        Await.until("reconnected", () -> sink.reconnects() == 1);
        push(sink, 10, 12);
        Await.until("12 frames sent", () -> sink.framesSent() == 12);
        assertThat(sink.pings).isEmpty();
        assertThat(sink.framesUnconfirmed()).isZero();
        assertThat(sink.framesReplayed()).isZero();
        assertThat(sink.sent).hasSize(12);
        closeAndAwait(sink);
    }
}
