package dev.relay.core.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.call.CallFactory;
import dev.relay.core.call.CallRegistry;
import dev.relay.core.call.InlinePlacement;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.event.EventBus;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The telephony handlers in an {@link EmbeddedChannel}: the protocol detector as the upgrade
 * leaves it, the protocol handler it installs, frames in, frames out, every buffer released.
 */
class ProtocolDetectorEmbeddedTest {
    private final MemorySinkFactory memory = new MemorySinkFactory();
    private final RelayConfig config = RelayConfig.from(TestRelays.config("""
            relay.dsp.mode = inline
            relay.telephony.malformed-threshold = 2
            relay.telephony.registration-timeout = 100ms
            """));
    private final CallRegistry registry = new CallRegistry();
    private final CallFactory calls = new CallFactory(config, Map.of("memory", memory), registry, new EventBus(),
            new InlinePlacement());
    private EmbeddedChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel socket(String authFailure) {
        close();
        channel = new EmbeddedChannel(new ProtocolDetector(new SocketSetup(calls, config.telephony(), "default", null),
                authFailure));
        return channel;
    }

    private String nextText() {
        TextWebSocketFrame f = channel.readOutbound();
        assertThat(f).as("outbound text frame").isNotNull();
        try {
            return f.text();
        } finally {
            f.release();
        }
    }

    private int nextCloseCode() {
        Object o = channel.readOutbound();
        while (o != null && !(o instanceof CloseWebSocketFrame)) {
            ReferenceCountUtil.release(o);
            o = channel.readOutbound();
        }
        assertThat(o).as("close frame").isInstanceOf(CloseWebSocketFrame.class);
        CloseWebSocketFrame close = (CloseWebSocketFrame) o;
        try {
            return close.statusCode();
        } finally {
            close.release();
        }
    }

    @Test
    void registersAcksAndFeedsMedia() throws Exception {
        socket(null);
        channel.writeInbound(new TextWebSocketFrame("{\"event\":\"connected\",\"callId\":\"emb-1\"}"));
        assertThat(nextText()).isEqualTo("{\"event\":\"connected\",\"data\":{\"callId\":\"emb-1\"}}");
        for (byte[] p : Speech.packets().subList(0, 10)) {
            channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(p)));
        }
        assertThat(memory.await("emb-1", 1000).samples().length).isEqualTo(10 * 320);
        assertThat(registry.isLive("emb-1")).isTrue();
        channel.close();
        assertThat(registry.isLive("emb-1")).isFalse();
        assertThat(memory.await("emb-1", 1000).closeCount()).isEqualTo(1);
    }

    @Test
    void answersPingWithPong() {
        socket(null);
        channel.writeInbound(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2})));
        PongWebSocketFrame pong = channel.readOutbound();
        assertThat(pong.content().readableBytes()).isEqualTo(2);
        pong.release();
    }

    @Test
    void authFailureCloses1008Immediately() {
        socket("invalid token");
        assertThat(nextCloseCode()).isEqualTo(1008);
    }

    @Test
    void malformedPastThresholdCloses1002() {
        socket(null);
        for (int i = 0; i < 3; i++) {
            channel.writeInbound(new TextWebSocketFrame("nope"));
        }
        assertThat(nextCloseCode()).isEqualTo(1002);
    }

    @Test
    void registrationTimeoutCloses1008() {
        socket(null);
        channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(nextCloseCode()).isEqualTo(1008);
    }

    @Test
    void registrationDeadlineCountsFromTheUpgradeAcrossDetection() {
        socket(null);
        channel.advanceTimeBy(60, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        // Alohaa JSON that does not register: the protocol handler takes over, the deadline stays.
        channel.writeInbound(new TextWebSocketFrame("{\"event\":\"mark\"}"));
        assertThat(channel.pipeline().get(ProtocolDetector.class)).isNull();
        assertThat(channel.pipeline().get(AlohaaProtocol.class)).isNotNull();
        channel.advanceTimeBy(30, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.<Object>readOutbound()).as("nothing before the deadline").isNull();
        channel.advanceTimeBy(20, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(nextCloseCode()).isEqualTo(1008);
    }

    @Test
    void detectorInstallsTheProtocolOfTheFirstFrameAndLeaves() {
        socket(null);
        channel.writeInbound(new TextWebSocketFrame("{\"event\":\"connected\",\"protocol\":\"Call\"}"));
        assertThat(channel.pipeline().get(EnvelopeProtocol.class)).isNotNull();
        assertThat(channel.pipeline().get(ProtocolDetector.class)).isNull();

        socket(null);
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4})));
        assertThat(channel.pipeline().get(RawProtocol.class)).isNotNull();
        assertThat(registry.isLive(channel.pipeline().get(RawProtocol.class).callIdForLog())).isTrue();

        socket(null);
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(Speech.packets().get(0))));
        assertThat(channel.pipeline().get(ProtocolDetector.class)).as("one RTP-like frame decides nothing")
                .isNotNull();
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(Speech.packets().get(1))));
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(Speech.packets().get(2))));
        assertThat(channel.pipeline().get(AlohaaProtocol.class)).isNotNull();
        assertThat(channel.pipeline().get(ProtocolDetector.class)).isNull();
    }

    /** 20 ms of a 16 kHz 440 Hz tone per frame, PCM16 LE, the first sample forced to {@code firstSample}. */
    private static byte[][] rawFrames(int frames, int firstSample) {
        byte[][] out = new byte[frames][640];
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < 320; i++) {
                int n = f * 320 + i;
                int v = n == 0 ? firstSample : (int) Math.round(3000 * Math.sin(2 * Math.PI * 440 * n / 16000.0));
                out[f][2 * i] = (byte) v;
                out[f][2 * i + 1] = (byte) (v >> 8);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "first sample {0}")
    @ValueSource(ints = {128, 150, 191, -128, -100, -65})
    void rawPcmWhoseFirstBytesReadAsAnRtpHeaderIsStillRaw(int firstSample) throws Exception {
        socket(null);
        byte[][] frames = rawFrames(10, firstSample);
        for (byte[] f : frames) {
            channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(f)));
        }
        RawProtocol raw = channel.pipeline().get(RawProtocol.class);
        assertThat(raw).as("raw, not Alohaa").isNotNull();
        assertThat(channel.pipeline().get(AlohaaProtocol.class)).isNull();
        short[] samples = memory.await(raw.callIdForLog(), 1000).samples();
        assertThat(samples.length).as("no frame lost while deciding").isEqualTo(10 * 320);
        assertThat(samples[0]).isEqualTo((short) firstSample);
    }

    @Test
    void identicalRtpLikeFramesAreNotAStream() {
        // A constant PCM stream of 150s reads as RTP with sequence numbers that never move.
        socket(null);
        byte[] frame = new byte[640];
        for (int i = 0; i < 640; i += 2) {
            frame[i] = (byte) 150;
        }
        for (int i = 0; i < ProtocolDetector.RTP_FRAMES_TO_DECIDE; i++) {
            channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(frame.clone())));
        }
        assertThat(channel.pipeline().get(RawProtocol.class)).isNotNull();
    }

    @Test
    void framesHeldForTheDecisionAreReleasedWhenTheSocketCloses() {
        socket(null);
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(Speech.packets().get(0))));
        channel.close();
        assertThat(channel.pipeline().get(ProtocolDetector.class)).isNull();
    }

    @Test
    void upgradeHandlerAnswers404ForOtherPaths() {
        channel = new EmbeddedChannel(new UpgradeHandler(calls, config.telephony()));
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/other"));
        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(404);
        response.release();
    }

    @Test
    void upgradeHandlerAnswers426WithoutUpgradeHeaders() {
        channel = new EmbeddedChannel(new UpgradeHandler(calls, config.telephony()));
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/media"));
        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(426);
        response.release();
    }

    @Test
    void routeOfMapsPathsToRoutes() {
        UpgradeHandler h = new UpgradeHandler(calls, config.telephony());
        assertThat(h.routeOf("/media")).isEqualTo("default");
        assertThat(h.routeOf("/media/sales")).isEqualTo("sales");
        assertThat(h.routeOf("/media/")).isNull();
        assertThat(h.routeOf("/media/a/b")).isNull();
        assertThat(h.routeOf("/mediax")).isNull();
        assertThat(h.routeOf("/")).isNull();
    }
}
