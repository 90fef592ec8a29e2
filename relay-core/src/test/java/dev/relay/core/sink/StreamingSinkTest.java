package dev.relay.core.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.config.StreamConfig;
import dev.relay.core.event.CallEvent;
import dev.relay.core.event.EventBus;
import dev.relay.core.testing.Await;
import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The network-sink base driven through a scripted subclass: delivery order, drop-oldest under a
 * stall, reconnect with {@code sink.down}/{@code sink.up} and gap accounting, refusal, the bounded
 * flush at call end, and the edges where a link changes state while the sink is finishing.
 * Audio is pushed from the test thread, as a dedicated DSP thread would; the hooks run on a
 * separate loop, as on the call's IO loop.
 */
@Timeout(20)
class StreamingSinkTest {
    private static final int FRAME = 320;

    private final EventLoop loop = new DefaultEventLoop();
    private final EventBus bus = new EventBus();
    private final List<CallEvent> events = new CopyOnWriteArrayList<>();
    private final AudioSpan frame = new AudioSpan();

    StreamingSinkTest() {
        bus.subscribe(events::add);
    }

    @AfterEach
    void stopLoop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** What the scripted subclass does when asked to connect. */
    enum Outcome {
        UP,
        DOWN,
        FAILED,
        PENDING
    }

    /** One chunk as the subclass received it. */
    record Sent(long start, int samples, int bytes, short firstSample) {}

    /** The scripted subclass: every hook is recorded; connects follow {@link #script}. */
    static final class ScriptedSink extends StreamingSink {
        final List<Outcome> script = new CopyOnWriteArrayList<>();
        final List<Sent> sent = new CopyOnWriteArrayList<>();
        final List<String> finishes = new CopyOnWriteArrayList<>();
        final List<CallEvent> callEvents = new CopyOnWriteArrayList<>();
        final List<Long> attemptNanos = new CopyOnWriteArrayList<>();
        volatile int attempts;
        volatile int flushes;
        volatile boolean writable = true;
        volatile boolean holdDone;
        volatile Runnable done;
        volatile boolean sentAfterFinish;
        final List<Long> pings = new CopyOnWriteArrayList<>();
        final List<String> aborts = new CopyOnWriteArrayList<>();

        ScriptedSink(StreamConfig config) {
            this(config, Delivery.UNCONFIRMED);
        }

        ScriptedSink(StreamConfig config, Delivery delivery) {
            super(new StreamingSinkGroup("scripted", config), WireAudio.PCM16_16K, 20, delivery);
        }

        /** Records the mark; the test answers with {@link #pong}, or does not. */
        @Override
        protected void ping(long mark) {
            pings.add(mark);
        }

        /** As a subclass closing its socket: the loss is reported right away. */
        @Override
        protected void abort(String reason) {
            aborts.add(reason);
            linkDown(reason);
        }

        void pong(long mark) {
            ponged(mark);
        }

        @Override
        protected void connect() {
            Outcome o = script.isEmpty() ? Outcome.UP : script.remove(0);
            attemptNanos.add(System.nanoTime());
            attempts++;
            switch (o) {
                case UP -> linkUp();
                case DOWN -> linkDown("refused " + attempts);
                case FAILED -> linkFailed("credentials refused");
                case PENDING -> { }
            }
        }

        @Override
        protected boolean writable() {
            return writable;
        }

        @Override
        protected void send(ByteBuf audio, long startSample16k, int samples16k) {
            if (done != null || !finishes.isEmpty()) {
                sentAfterFinish = true;
            }
            sent.add(new Sent(startSample16k, samples16k, audio.readableBytes(),
                    audio.getShortLE(audio.readerIndex())));
            audio.release();
        }

        @Override
        protected void flush() {
            flushes++;
        }

        @Override
        protected void finish(boolean connected, String reason, Runnable done) {
            finishes.add(connected + ":" + reason);
            if (holdDone) {
                this.done = done;
            } else {
                done.run();
            }
        }

        @Override
        protected void onCallEvent(CallEvent event) {
            callEvents.add(event);
        }

        void up() {
            linkUp();
        }

        void down(String reason) {
            linkDown(reason);
        }

        void writableAgain() {
            writable = true;
            writabilityChanged();
        }
    }

    private ScriptedSink open(int queueFrames, long reconnectInitialMs, long flushTimeoutMs, Outcome... script) {
        ScriptedSink sink = new ScriptedSink(new StreamConfig(queueFrames * 20L, 1000, reconnectInitialMs,
                reconnectInitialMs * 4, flushTimeoutMs));
        sink.script.addAll(List.of(script));
        sink.open(new CallContext("c1", "default", "", 0, bus, loop, CallAudio.NONE));
        return sink;
    }

    /** Pushes frames {@code from..to-1} of the timeline; each frame's first sample is its index. */
    private void push(ScriptedSink sink, int from, int to) {
        for (int i = from; i < to; i++) {
            frame.pcm16k()[0] = (short) i;
            frame.set((long) i * FRAME, FRAME, System.nanoTime(), false);
            sink.onAudio(frame);
        }
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private void onLoop(Runnable task) throws Exception {
        loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private List<CallEvent> eventsOf(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    @Test
    void deliversEveryFrameInOrderAndRecordsLatency() throws Exception {
        ScriptedSink sink = open(50, 10, 1000);
        push(sink, 0, 30);
        Await.until("30 frames sent", () -> sink.framesSent() == 30);
        assertThat(sink.sent).extracting(Sent::start).containsExactlyElementsOf(
                LongStream.range(0, 30).map(i -> i * FRAME).boxed().toList());
        assertThat(sink.sent).allSatisfy(s -> assertThat(s.bytes()).isEqualTo(FRAME * 2));
        assertThat(sink.bytesOut()).isEqualTo(30L * FRAME * 2);
        assertThat(sink.framesIn()).isEqualTo(30);
        assertThat(sink.framesDropped()).isZero();
        assertThat(sink.queueDepth()).isZero();
        assertThat(sink.gapSamples()).isZero();
        assertThat(sink.flushes).isPositive();
        assertThat(sink.group.latency().snapshot().getTotalCount()).isEqualTo(30);
        sink.close("call ended");
        Await.until("the sink closed", () -> sink.group.live() == 0);
        assertThat(sink.finishes).containsExactly("true:call ended");
    }

    @Test
    void framesSentInOneLoopPassShareOneFlushAfterThePass() throws Exception {
        ScriptedSink sink = open(50, 10, 1000);
        push(sink, 0, 1);
        Await.until("the first frame sent", () -> sink.framesSent() == 1);
        int[] seen = new int[3];
        onLoop(() -> {
            seen[0] = sink.flushes;
            push(sink, 1, 6);
            seen[1] = sink.sent.size();
            seen[2] = sink.flushes;
        });
        onLoop(() -> { });
        assertThat(seen[1]).as("written during the pass").isEqualTo(6);
        assertThat(seen[2]).as("flushes during the pass").isEqualTo(seen[0]);
        assertThat(sink.flushes).as("flushes after the pass").isEqualTo(seen[0] + 1);
        sink.close("call ended");
        Await.until("the sink closed", () -> sink.group.live() == 0);
    }

    @Test
    void aStalledLinkKeepsOnlyTheNewestFramesAndCountsTheRest() throws Exception {
        ScriptedSink sink = open(10, 10, 1000);
        Await.until("one connection attempt", () -> sink.attempts == 1);
        sink.writable = false;
        push(sink, 0, 50);
        assertThat(sink.framesDropped()).isEqualTo(40);
        assertThat(sink.queueDepth()).isEqualTo(10);
        assertThat(sink.sent).isEmpty();
        onLoop(sink::writableAgain);
        Await.until("10 frames sent", () -> sink.framesSent() == 10);
        // The newest ten survive, oldest first.
        assertThat(sink.sent).extracting(Sent::firstSample).containsExactly(
                (short) 40, (short) 41, (short) 42, (short) 43, (short) 44,
                (short) 45, (short) 46, (short) 47, (short) 48, (short) 49);
        assertThat(sink.queueDepth()).isZero();
        sink.close("call ended");
        Await.until("the sink closed", () -> sink.group.live() == 0);
    }

    @Test
    void lostLinkIsRetriedAndReplaysTheQueueWithTheGapCounted() throws Exception {
        ScriptedSink sink = open(10, 20, 1000, Outcome.DOWN, Outcome.UP);
        Await.until("a second attempt, up once, nothing sent",
                () -> sink.attempts == 2 && sink.framesSent() == 0 && eventsOf("sink.up").size() == 1);
        // The first connection failing is a down/up pair, not a reconnect.
        assertThat(eventsOf("sink.down").get(0).data()).containsEntry("sink", "scripted")
                .containsEntry("reason", "refused 1").containsEntry("retrying", true);
        assertThat(sink.reconnects()).isZero();

        push(sink, 0, 5);
        Await.until("5 frames sent", () -> sink.framesSent() == 5);
        sink.script.add(Outcome.PENDING);
        onLoop(() -> sink.down("socket closed"));
        Await.until("three connection attempts", () -> sink.attempts == 3);
        push(sink, 5, 30); // 25 frames while down: the oldest 15 go
        assertThat(sink.framesDropped()).isEqualTo(15);
        onLoop(sink::up);
        Await.until("15 frames sent", () -> sink.framesSent() == 15);

        assertThat(sink.reconnects()).isEqualTo(1);
        assertThat(sink.sent.subList(5, 15)).extracting(Sent::firstSample).first().isEqualTo((short) 20);
        assertThat(sink.gapSamples()).isEqualTo(15L * FRAME);
        List<CallEvent> ups = eventsOf("sink.up");
        assertThat(ups).hasSize(2);
        assertThat(ups.get(1).data()).containsEntry("reconnects", 1L).containsEntry("framesDropped", 15L);
        assertThat(eventsOf("sink.down").get(1).data()).containsEntry("reason", "socket closed");
        sink.close("call ended");
        Await.until("the sink closed", () -> sink.group.live() == 0);
    }

    @Test
    void retriesAreSpacedByTheBackoffNotAHotLoop() throws Exception {
        Outcome[] downs = new Outcome[100];
        Arrays.fill(downs, Outcome.DOWN);
        // Scripted before open: the first attempt runs on the loop at once.
        ScriptedSink sink = open(10, 40, 1000, downs);
        Await.until("six connection attempts", () -> sink.attempts >= 6);
        // Ceilings 40, 80, 160, 160… ms with a floor of 10 ms: never two attempts closer than the
        // floor (a hot loop would be microseconds apart).
        List<Long> at = new ArrayList<>(sink.attemptNanos);
        for (int i = 1; i < at.size(); i++) {
            assertThat(TimeUnit.NANOSECONDS.toMillis(at.get(i) - at.get(i - 1))).as("gap before attempt %d", i + 1)
                    .isGreaterThanOrEqualTo(9);
        }
        assertThat(eventsOf("sink.down")).hasSize(1);
        sink.close("call ended");
        Await.until("the sink closed", () -> sink.group.live() == 0);
        assertThat(sink.finishes).containsExactly("false:call ended");
        int after = sink.attempts;
        Await.during("no retries after the call ended", Duration.ofMillis(200), () -> sink.attempts == after);
    }

    @Test
    void aLinkReportedUpTwiceIsOneConnectionNotAReconnect() throws Exception {
        ScriptedSink sink = open(10, 10, 1000);
        Await.until("one connection attempt", () -> sink.attempts == 1);
        onLoop(sink::up); // illegal in UP: logged and ignored
        push(sink, 0, 5);
        Await.until("5 frames sent", () -> sink.framesSent() == 5);
        assertThat(sink.reconnects()).isZero();
        assertThat(eventsOf("sink.up")).isEmpty();
        assertThat(sink.attempts).isEqualTo(1);
        sink.close("call ended");
        Await.until("the sink closed", () -> sink.group.live() == 0);
        assertThat(sink.finishes).containsExactly("true:call ended");
    }

    @Test
    void refusalIsNotRetriedAndLaterAudioIsDroppedAndCounted() throws Exception {
        ScriptedSink sink = open(10, 10, 1000, Outcome.FAILED);
        Await.until("a sink.down event", () -> !eventsOf("sink.down").isEmpty());
        assertThat(eventsOf("sink.down").get(0).data()).containsEntry("retrying", false)
                .containsEntry("reason", "credentials refused");
        push(sink, 0, 20);
        Await.until("20 frames dropped", () -> sink.framesDropped() == 20);
        Await.during("no second attempt", Duration.ofMillis(100), () -> sink.attempts == 1);
        assertThat(sink.sent).isEmpty();
        assertThat(sink.queueDepth()).isZero();
        sink.close("call ended");
        Await.until("the sink closed", () -> sink.group.live() == 0);
        assertThat(sink.finishes).containsExactly("false:call ended");
    }

    @Test
    void callEndDrainsTheQueueBeforeFinishing() throws Exception {
        ScriptedSink sink = open(100, 10, 30_000);
        Await.until("one connection attempt", () -> sink.attempts == 1);
        sink.writable = false;
        push(sink, 0, 40);
        sink.close("call ended");
        Await.during("waits for the queue", Duration.ofMillis(50), sink.finishes::isEmpty);
        onLoop(sink::writableAgain);
        Await.until("the sink closed", () -> sink.group.live() == 0);
        assertThat(sink.framesSent()).isEqualTo(40);
        assertThat(sink.finishes).containsExactly("true:call ended");
        assertThat(sink.group.awaitIdle(10)).isTrue();
    }

    @Test
    void flushTimeoutDropsWhatCouldNotBeSentAndFinishes() throws Exception {
        ScriptedSink sink = open(100, 10, 100);
        Await.until("one connection attempt", () -> sink.attempts == 1);
        sink.writable = false;
        push(sink, 0, 40);
        long t0 = System.nanoTime();
        sink.close("call ended");
        Await.until("the sink closed", () -> sink.group.live() == 0);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(90);
        assertThat(sink.framesDropped()).isEqualTo(40);
        assertThat(sink.queueDepth()).isZero();
        assertThat(sink.finishes).containsExactly("true:call ended");
    }

    @Test
    void anAttemptThatEndsAfterFinishingBegunIsNoOutageAndGetsNoAudio() throws Exception {
        ScriptedSink sink = open(100, 10, 50, Outcome.DOWN, Outcome.PENDING);
        Await.until("two connection attempts", () -> sink.attempts == 2);
        sink.holdDone = true;
        push(sink, 0, 10);
        sink.close("call ended");
        Await.until("the sink's finish", () -> sink.done != null);
        assertThat(sink.finishes).containsExactly("false:call ended");
        assertThat(eventsOf("sink.down")).hasSize(1);
        // The attempt that was in flight completes while the subclass is finishing, and the
        // subclass's own close of that connection follows.
        onLoop(sink::up);
        onLoop(() -> sink.down("closed by finish"));
        assertThat(sink.sentAfterFinish).isFalse();
        assertThat(sink.sent).isEmpty();
        assertThat(eventsOf("sink.up")).as("not up: the call is over for this sink").isEmpty();
        assertThat(eventsOf("sink.down")).as("the subclass's own close is not an outage").hasSize(1);
        assertThat(sink.reconnects()).isZero();
        sink.done.run();
        Await.until("the sink closed", () -> sink.group.live() == 0);
        assertThat(sink.framesDropped()).isEqualTo(10);
    }

    @Test
    void finishingCompletesEvenWhenTheLoopIsAlreadyGone() throws Exception {
        ScriptedSink sink = open(10, 10, 1000);
        sink.holdDone = true;
        Await.until("one connection attempt", () -> sink.attempts == 1);
        sink.close("relay stopping");
        Await.until("the sink's finish", () -> sink.done != null);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        // The subclass's last step (an HTTP answer, say) completes on another thread.
        sink.done.run();
        assertThat(sink.group.live()).isZero();
        assertThat(sink.group.awaitIdle(10)).isTrue();
    }

    @Test
    void aSinkStrandedByItsLoopStoppingIsReleasedByAwaitIdle() throws Exception {
        // Down and waiting for a retry, audio queued, the call ending: then the relay stops the IO
        // loops, which cancels the retry and the flush deadline this sink was waiting for.
        ScriptedSink sink = open(100, 30_000, 60_000, Outcome.DOWN);
        Await.until("one connection attempt", () -> sink.attempts == 1);
        push(sink, 0, 30);
        sink.close("relay stopping");
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        assertThat(sink.group.live()).isEqualTo(1);
        // Released at once rather than at the 60 s flush timeout: awaitIdle's own bound (3 s) says so.
        assertThat(sink.group.awaitIdle(3000)).isTrue();
        assertThat(sink.framesDropped()).isEqualTo(30);
        assertThat(sink.queueDepth()).isZero();
        assertThat(sink.finishes).isEmpty();
    }

    @Test
    void aSinkAbandonedMidChunkReleasesTheChunkBeingBuilt() throws Exception {
        // Never connects; the relay stops with half a chunk built and the call never closed.
        ScriptedSink sink = open(100, 30_000, 60_000, Outcome.PENDING);
        Await.until("one connection attempt", () -> sink.attempts == 1);
        push(sink, 0, 3);
        frame.set(3L * FRAME, FRAME / 2, System.nanoTime(), false);
        sink.onAudio(frame);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        assertThat(sink.group.awaitIdle(3000)).isTrue();
        // NoLeaksExtension fails the class if the half-built chunk was left unreleased.
        assertThat(sink.framesDropped()).isEqualTo(4);
        assertThat(sink.queueDepth()).isZero();
    }

    @Test
    void awaitIdleWaitsForASinkWhoseLoopStillRuns() throws Exception {
        ScriptedSink sink = open(10, 10, 1000);
        sink.holdDone = true;
        Await.until("one connection attempt", () -> sink.attempts == 1);
        sink.close("call ended");
        Await.until("the sink's finish", () -> sink.done != null);
        assertThat(sink.group.awaitIdle(50)).isFalse();
        sink.done.run();
        assertThat(sink.group.awaitIdle(1000)).isTrue();
    }

    @Test
    void callEventsReachTheSubclassUntilTheCallEnds() throws Exception {
        ScriptedSink sink = open(10, 10, 1000);
        CallEvent keywords = CallEvent.of("keywords.set", "c1", Map.of("keywords", Map.of("a", "b")));
        onLoop(() -> sink.onEvent(keywords));
        assertThat(sink.callEvents).containsExactly(keywords);
        sink.close("call ended");
        Await.until("the sink closed", () -> sink.group.live() == 0);
        onLoop(() -> sink.onEvent(keywords));
        assertThat(sink.callEvents).hasSize(1);
    }

    @Test
    void closingASinkThatNeverOpenedIsHarmless() {
        ScriptedSink sink = new ScriptedSink(new StreamConfig(10, 1000, 10, 40, 100));
        sink.close("open failed");
        assertThat(sink.finishes).isEmpty();
        assertThat(new ArrayList<>(sink.sent)).isEmpty();
    }
}
