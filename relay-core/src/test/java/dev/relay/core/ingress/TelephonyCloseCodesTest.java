package dev.relay.core.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.core.sink.AudioSpan;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import dev.relay.core.sink.SinkFactory;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.MemorySinkFactory.MemorySink;
import dev.relay.core.testing.RelayTestBase;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every way a telephony socket ends, with the SPEC §4.1 close code and a released call. */
@Timeout(30)
class TelephonyCloseCodesTest extends RelayTestBase {

    @Test
    void noRegistrationWithinTimeoutCloses1008() throws Exception {
        start("relay.telephony.registration-timeout = 200ms");
        long before = TelephonyCounters.rejected("registration_timeout");
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            assertThat(ws.awaitCloseCode(5000)).isEqualTo(1008);
        }
        assertThat(TelephonyCounters.rejected("registration_timeout")).isGreaterThan(before);
    }

    @Test
    void duplicateCallIdCloses1008AndKeepsTheFirstCall() throws Exception {
        start("");
        try (WsClient first = register("dup-1");
                WsClient second = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            second.sendText("{\"event\":\"connected\",\"callId\":\"dup-1\"}");
            assertThat(second.awaitCloseCode(5000)).isEqualTo(1008);
            assertThat(first.isOpen()).isTrue();
            assertThat(relay.calls().isLive("dup-1")).isTrue();
        }
    }

    @Test
    void secondRegistrationOnOneSocketCloses1008() throws Exception {
        start("");
        try (WsClient ws = register("twice")) {
            ws.sendText("{\"event\":\"connected\",\"callId\":\"other\"}");
            assertThat(ws.awaitCloseCode(5000)).isEqualTo(1008);
        }
        assertReleasedOnce("twice");
    }

    @Test
    void oversizedMessageCloses1009() throws Exception {
        start("relay.telephony.max-message-bytes = 4KiB");
        try (WsClient ws = register("big")) {
            ws.sendBinary(new byte[5000]);
            assertThat(ws.awaitCloseCode(5000)).isEqualTo(1009);
        }
        assertReleasedOnce("big");
    }

    @Test
    void missingOrWrongTokenCloses1008RightAfterUpgrade() throws Exception {
        start("relay.telephony.auth.tokens = [\"t0ken\"]");
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            assertThat(ws.awaitCloseCode(5000)).isEqualTo(1008);
        }
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media?token=wrong"))) {
            assertThat(ws.awaitCloseCode(5000)).isEqualTo(1008);
        }
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media?token=t0ken"))) {
            ws.sendText("{\"event\":\"connected\",\"callId\":\"authed\"}");
            assertThat(ws.nextText(5000)).contains("authed");
        }
    }

    @Test
    void idleSocketCloses1000() throws Exception {
        start("relay.telephony.idle-timeout = 300ms");
        try (WsClient ws = register("idle")) {
            assertThat(ws.awaitCloseCode(5000)).isEqualTo(1000);
        }
        assertReleasedOnce("idle");
    }

    @Test
    void malformedMessagesPastThresholdClose1002() throws Exception {
        start("relay.telephony.malformed-threshold = 3");
        try (WsClient ws = register("garbage")) {
            for (int i = 0; i < 4; i++) {
                ws.sendText("{not json");
            }
            assertThat(ws.awaitCloseCode(5000)).isEqualTo(1002);
        }
    }

    @Test
    void peerCloseReleasesTheCallOnce() throws Exception {
        start("");
        try (WsClient ws = register("peer-close")) {
            ws.sendClose(1000);
            assertThat(ws.awaitCloseCode(5000)).isEqualTo(1000);
        }
        assertReleasedOnce("peer-close");
    }

    @Test
    void stopEventEndsTheCallWith1000() throws Exception {
        start("");
        try (WsClient ws = register("stopper")) {
            ws.sendText("{\"event\":\"stop\",\"callId\":\"stopper\"}");
            assertThat(ws.awaitCloseCode(5000)).isEqualTo(1000);
        }
    }

    @Test
    void hangUpFromTheRelayCloses1000AndReleasesOnce() throws Exception {
        start("");
        try (WsClient ws = register("hangup")) {
            relay.calls().get("hangup").hangUp(CloseCodes.NORMAL, "hung up");
            assertThat(ws.awaitCloseCode(5000)).isEqualTo(1000);
        }
        MemorySink sink = memory.await("hangup", 1000);
        assertThat(sink.awaitClose(5000)).isEqualTo("hung up");
        Await.until("call hangup released", () -> !relay.calls().isLive("hangup"));
        assertReleasedOnce("hangup");
    }

    @Test
    void shutdownCloses1001AndFlushesSinks() throws Exception {
        start("");
        WsClient ws = register("shutdown");
        List<byte[]> packets = Speech.packets();
        for (int i = 0; i < 50; i++) {
            ws.sendBinary(packets.get(i));
        }
        MemorySink sink = memory.await("shutdown", 1000);
        Await.until("50 frames at the sink", () -> sink.samples().length >= 50 * 320);
        relay.close();
        assertThat(ws.awaitCloseCode(5000)).isEqualTo(1001);
        assertThat(sink.awaitClose(5000)).isNotNull();
        assertThat(sink.samples().length).isEqualTo(50 * 320);
        assertReleasedOnce("shutdown");
        ws.close();
    }

    @Test
    void unknownPathIs404AndUnknownRouteIs404() throws Exception {
        start("");
        assertThat(WsClient.upgradeStatus(TestRelays.wsUrl(relay, "/elsewhere"))).isEqualTo(404);
        assertThat(WsClient.upgradeStatus(TestRelays.wsUrl(relay, "/media/nosuchroute"))).isEqualTo(404);
    }

    @Test
    void routeIsChosenByPath() throws Exception {
        start("relay.routes.second = [memory]");
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media/second"))) {
            ws.sendText("{\"event\":\"connected\",\"callId\":\"routed\"}");
            assertThat(ws.nextText(5000)).contains("routed");
            assertThat(relay.calls().get("routed").context().route()).isEqualTo("second");
        }
    }

    @Test
    void aPipelineFailureCloses1011AndReleasesTheCall() throws Exception {
        // A sink with a defect that escapes the fan-out (an Error, not an exception it isolates).
        SinkFactory broken = new SinkFactory() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Sink create(CallContext call) {
                return new BrokenSink();
            }
        };
        relay = TestRelays.start("relay.routes.default = [memory, broken]", memory, Map.of("broken", broken));
        // Raw PCM goes from the socket's read to the sinks synchronously, so the failure surfaces in
        // the telephony handler (RTP would surface it in the loop's ticker, which the factory hangs up
        // with 1011 as well). Several frames, whatever raw detection needs.
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media?callId=fails"))) {
            for (int i = 0; i < 10 && ws.isOpen(); i++) {
                ws.sendBinary(new byte[640]);
            }
            assertThat(ws.awaitCloseCode(5000)).isEqualTo(1011);
            assertThat(ws.closeReason()).isEqualTo("internal error");
        }
        assertReleasedOnce("fails");
    }

    @Test
    void socketsBeyondMaxConnectionsAreRefusedUntilOneCloses() throws Exception {
        start("relay.telephony.max-connections = 2");
        long before = TelephonyCounters.rejected("max_connections");
        try (WsClient one = register("max-1")) {
            try (WsClient two = register("max-2")) {
                assertThatThrownBy(() -> WsClient.connect(TestRelays.wsUrl(relay, "/media")).close())
                        .as("the third socket").isInstanceOf(Exception.class);
                assertThat(TelephonyCounters.rejected("max_connections")).isGreaterThan(before);
                assertThat(one.isOpen()).isTrue();
                assertThat(two.isOpen()).isTrue();
            }
            // The second call's socket closed: a new one is accepted once the relay has let it go.
            Await.until("a third call accepted", () -> {
                try (WsClient three = register("max-3")) {
                    return three.isOpen();
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    /** Throws an Error at the first audio: a pipeline defect, not a sink failure the fan-out contains. */
    private static final class BrokenSink implements Sink {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public void open(CallContext call) {}

        @Override
        public void onAudio(AudioSpan frame) {
            throw new AssertionError("broken sink: a defect in the media path");
        }

        @Override
        public void close(String reason) {}

        @Override
        public long framesDropped() {
            return 0;
        }

        @Override
        public long framesIn() {
            return 0;
        }

        @Override
        public long bytesOut() {
            return 0;
        }
    }

    /** The call's sink was closed exactly once and the call left the registry. */
    private void assertReleasedOnce(String callId) throws Exception {
        MemorySinkFactory.MemorySink sink = memory.await(callId, 1000);
        sink.awaitClose(5000);
        Await.until("call " + callId + " released", () -> !relay.calls().isLive(callId));
        Await.during("no second close", Duration.ofMillis(50), () -> sink.closeCount() == 1);
    }
}
