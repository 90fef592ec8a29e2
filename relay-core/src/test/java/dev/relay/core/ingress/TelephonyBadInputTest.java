package dev.relay.core.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.codec.rtp.RtpRejection;
import dev.relay.core.RelayServer;
import dev.relay.core.call.RejectionCounters;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.MemorySinkFactory.MemorySink;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kind of bad telephony input has a defined outcome: it is counted, the socket stays up
 * (below the malformed threshold), and a healthy call streaming alongside loses nothing.
 */
@Timeout(60)
class TelephonyBadInputTest {
    private static final MemorySinkFactory memory = new MemorySinkFactory();
    private static RelayServer relay;

    @BeforeAll
    static void start() throws Exception {
        relay = TestRelays.start("relay.telephony.malformed-threshold = 1000", memory);
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    static Stream<Arguments> badMessages() {
        String big = "x".repeat(129);
        byte[] v1 = rtp(0x40, 0, 172);
        byte[] csrcPastEnd = rtp(0x8F, 0, 20);
        byte[] extPastEnd = rtp(0x90, 0, 14);
        byte[] truncated = rtp(0x80, 0, 8);
        byte[] emptyPayload = rtp(0x80, 0, 12);
        return Stream.of(
                text("invalid JSON", "{\"event\":\"media\",", tel("invalid_json")),
                text("unknown event", "{\"event\":\"dance\",\"callId\":\"bad\"}", tel("unknown_event")),
                text("Buffer JSON value 256", media("{\"type\":\"Buffer\",\"data\":[128,256]}"),
                tel("bad_buffer_json")),
                text("Buffer JSON non-number", media("{\"type\":\"Buffer\",\"data\":[128,\"a\"]}"),
                tel("bad_buffer_json")),
                text("Buffer JSON negative", media("{\"type\":\"Buffer\",\"data\":[-1]}"), tel("bad_buffer_json")),
                text("base64 bad characters", media("\"gA*$\""), tel("bad_base64")),
                text("deeply nested", "{\"event\":\"media\",\"x\":" + "[".repeat(100) + "]".repeat(100) + "}",
                        tel("too_deep")),
                text("callId over 128", "{\"event\":\"media\",\"callId\":\"" + big + "\",\"payload\":\"gA==\"}",
                        tel("call_id_too_long")),
                text("callId control char", "{\"event\":\"media\",\"callId\":\"a\\u0001b\",\"payload\":\"gA==\"}",
                        tel("call_id_control_chars")),
                text("media missing payload", "{\"event\":\"media\",\"callId\":\"bad\"}", tel("missing_payload")),
                binary("RTP version 1", v1, rtp(RtpRejection.BAD_VERSION)),
                binary("truncated RTP header", truncated, rtp(RtpRejection.TRUNCATED_HEADER)),
                binary("CSRC past end", csrcPastEnd, rtp(RtpRejection.CSRC_PAST_END)),
                binary("extension past end", extPastEnd, rtp(RtpRejection.EXTENSION_PAST_END)),
                binary("empty payload", emptyPayload, rtp(RtpRejection.EMPTY_PAYLOAD)),
                binary("binary garbage", new byte[] {(byte) 0x80, 0x7F, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
                        () -> RejectionCounters.payloadTypeDropped()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badMessages")
    void badMessageIsCountedAndHarmsNoOtherCall(String name, Object message, LongSupplier counter) throws Exception {
        try (WsClient healthy = register("healthy-" + name.hashCode());
                WsClient bad = register("bad-" + name.hashCode())) {
            List<byte[]> packets = Speech.packets();
            long before = counter.getAsLong();
            for (int i = 0; i < 100; i++) {
                healthy.sendBinary(packets.get(i));
                if (i == 50) {
                    if (message instanceof String s) {
                        bad.sendTextBytes(s.getBytes(StandardCharsets.UTF_8));
                    } else {
                        bad.sendBinary((byte[]) message);
                    }
                }
            }
            MemorySink sink = memory.await("healthy-" + name.hashCode(), 2000);
            Await.until("the rejection counted", () -> counter.getAsLong() > before);
            String healthyId = "healthy-" + name.hashCode();
            try {
                Await.until("100 frames at the sink", () -> sink.samples().length >= 100 * 320);
            } catch (AssertionError e) {
                var stats = relay.calls().get(healthyId).stats();
                throw new AssertionError("healthy call got " + sink.samples().length + " samples; packets in "
                        + stats.packetsIn() + ", ring drops " + stats.ringDropped() + ", rejected "
                        + stats.packetsRejected() + ", late " + stats.late() + ", frames out " + stats.framesOut(), e);
            }
            assertThat(sink.samples().length).isEqualTo(100 * 320);
            assertThat(bad.isOpen()).isTrue();
            assertThat(sink.timelineError()).isNull();
            assertThat(sink.concealedFrames()).isZero();
        }
    }

    @Test
    void mediaBeforeRegistrationIsDroppedAndCounted() throws Exception {
        long before = TelephonyCounters.rejected("media_before_registration");
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            ws.sendBinary(Speech.packets().get(0));
            ws.sendText("{\"event\":\"media\",\"callId\":\"early\",\"payload\":\"gA==\"}");
            Await.until("two media_before_registration rejections",
                    () -> TelephonyCounters.rejected("media_before_registration") >= before + 2);
            ws.sendText("{\"event\":\"connected\",\"callId\":\"early\"}");
            assertThat(ws.nextText(5000)).contains("early");
        }
    }

    @Test
    void manyUnregisteredSocketsHoldNoCallsAndAreClosedOnTimeout() throws Exception {
        RelayServer quick = TestRelays.start("relay.telephony.registration-timeout = 1s", new MemorySinkFactory());
        List<WsClient> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                idle.add(WsClient.connect(TestRelays.wsUrl(quick, "/media")));
            }
            assertThat(quick.calls().active()).isZero();
            for (WsClient c : idle) {
                assertThat(c.awaitCloseCode(10_000)).isEqualTo(1008);
            }
        } finally {
            idle.forEach(WsClient::close);
            quick.close();
        }
    }

    private static WsClient register(String callId) throws Exception {
        WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"));
        ws.sendText("{\"event\":\"connected\",\"callId\":\"" + callId + "\"}");
        assertThat(ws.nextText(5000)).contains(callId);
        return ws;
    }

    private static String media(String payload) {
        return "{\"event\":\"media\",\"callId\":\"bad\",\"payload\":" + payload + ",\"timestamp\":1}";
    }

    private static byte[] rtp(int firstByte, int payloadType, int length) {
        byte[] p = new byte[length];
        p[0] = (byte) firstByte;
        if (length > 1) {
            p[1] = (byte) payloadType;
        }
        return p;
    }

    private static LongSupplier tel(String reason) {
        return () -> TelephonyCounters.rejected(reason);
    }

    private static LongSupplier rtp(RtpRejection reason) {
        return () -> RejectionCounters.rtpRejected(reason);
    }

    private static Arguments text(String name, String message, LongSupplier counter) {
        return Arguments.of(name, message, counter);
    }

    private static Arguments binary(String name, byte[] message, LongSupplier counter) {
        return Arguments.of(name, message, counter);
    }
}
