package dev.relay.core.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.codec.testing.TestData;
import dev.relay.core.call.Call;
import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.MemorySinkFactory.MemorySink;
import dev.relay.core.testing.NodePeer;
import dev.relay.core.testing.RelayTestBase;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code relay.telephony.duplicate-call-id = resume}: a caller back on a new socket with the callId
 * of its live call takes the call over. Real npm {@code ws} peers play the Alohaa side: the old
 * socket sees 1008, the call keeps its sinks (one sink, opened once, closed once), the new socket's
 * speech follows silence as long as the gap the relay measured ({@code call.resumed}), and audio
 * played afterwards reaches the new socket. With two IO loops the two sockets land on different
 * loops (accepted sockets are spread round-robin), and the call follows its new socket.
 */
@Timeout(120)
class CallResumeTest extends RelayTestBase {
    private static final int FRAME_16K = 320;
    private static final int SPEECH_16K = 426 * FRAME_16K;

    private final List<CallEvent> events = new CopyOnWriteArrayList<>();

    private static CompletableFuture<List<JsonNode>> peer(String url, String callId, String... extra) {
        List<String> args = new ArrayList<>(List.of("--url", url, "--call-id", callId,
                "--rtp", TestData.path(Speech.RTP_FILE).toString(), "--hold-ms", "60000"));
        args.addAll(List.of(extra));
        return NodePeer.start(90_000, "alohaa-client.js", args);
    }

    private void startWith(String overrides) throws InterruptedException {
        start("relay.telephony.duplicate-call-id = resume\n" + overrides);
        relay.events().subscribe(events::add);
    }

    private List<CallEvent> of(String type, String callId) {
        return events.stream().filter(e -> e.type().equals(type) && e.callId().equals(callId)).toList();
    }

    @ParameterizedTest(name = "dsp {0}, {1} IO loop(s)")
    @CsvSource({"inline, 2", "inline, 1", "dedicated, 2"})
    void aNewSocketTakesTheCallOverWithTheGapFilledAndPlaybackFollowsIt(String dsp, int ioThreads)
            throws Exception {
        startWith("relay.dsp.mode = " + dsp + "\nrelay.dsp.io-threads = " + ioThreads);
        String url = TestRelays.wsUrl(relay, "/media");
        String id = "resume-" + dsp + ioThreads;
        long resumedBefore = relay.calls().resumedTotal();

        CompletableFuture<List<JsonNode>> old = peer(url, id);
        MemorySink sink = memory.await(id, 20_000);
        Await.until("the old socket's speech at the sink", () -> sink.samples().length == SPEECH_16K);
        EventLoop firstLoop = relay.calls().get(id).loop();

        CompletableFuture<List<JsonNode>> fresh = peer(url, id, "--close-on-text", "\"event\":\"media\"");
        assertThat(NodePeer.first(old.get(60, TimeUnit.SECONDS), "close").path("code").asInt())
                .as("the old socket's close code").isEqualTo(1008);
        Await.until("call.resumed", () -> !of("call.resumed", id).isEmpty());
        long gapMs = ((Number) of("call.resumed", id).get(0).data().get("gapMs")).longValue();
        Await.until("both sockets' speech at the sink",
                () -> sink.samples().length >= 2 * SPEECH_16K + gapMs * 16);
        Call call = relay.calls().get(id);
        if (ioThreads > 1) {
            assertThat(call.loop()).as("the call follows its new socket's loop").isNotSameAs(firstLoop);
        }
        call.playAudio(new byte[800]);
        List<JsonNode> freshOut = fresh.get(60, TimeUnit.SECONDS);
        assertThat(freshOut).anyMatch(l -> l.path("text").asText().contains("\"event\":\"media\""));
        assertThat(NodePeer.first(freshOut, "close").path("code").asInt()).isEqualTo(1000);
        assertThat(sink.awaitClose(20_000)).isEqualTo("peer closed 1000");

        assertThat(of("call.started", id)).hasSize(1);
        Await.until("call.ended", () -> !of("call.ended", id).isEmpty());
        assertThat(of("call.ended", id)).hasSize(1);
        assertThat(of("call.resumed", id)).hasSize(1);
        assertThat(sink.closeCount()).isEqualTo(1);
        assertThat(relay.calls().resumedTotal()).isEqualTo(resumedBefore + 1);

        short[] samples = sink.samples();
        assertThat(sink.timelineError()).isNull();
        int silence = samples.length - 2 * SPEECH_16K;
        assertThat(silence).as("the silence between the two sockets' speech, in 16 kHz samples")
                .isBetween((int) (gapMs * 16), (int) (gapMs * 16) + FRAME_16K - 1);
        // Away from the upsampler's ringing at both edges, the gap is digital silence.
        for (int i = SPEECH_16K + 64; i < SPEECH_16K + silence - 64; i++) {
            assertThat(samples[i]).as("sample %d", i).isZero();
        }
        short[] after = Arrays.copyOfRange(samples, SPEECH_16K + silence, samples.length);
        assertThat(Speech.snrAgainstReference(after)).isGreaterThanOrEqualTo(36.0);
    }

    @Test
    void theMediaStreamsEnvelopeResumesAndPlaysToTheNewSocket() throws Exception {
        startWith("relay.dsp.io-threads = 2");
        byte[] ulaw = TestData.bytes("speech_8k.ulaw");
        try (WsClient first = envelope("CA-res", "MZ-a");
                WsClient second = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            sendEnvelopeMedia(first, "MZ-a", ulaw);
            MemorySink sink = memory.await("CA-res", 5000);
            Await.until("the first socket's audio", () -> sink.samples().length == ulaw.length * 2);
            second.sendText(start("CA-res", "MZ-b"));
            assertThat(first.awaitCloseCode(5000)).isEqualTo(1008);
            sendEnvelopeMedia(second, "MZ-b", ulaw);
            Await.until("call.resumed", () -> !of("call.resumed", "CA-res").isEmpty());
            long gapMs = ((Number) of("call.resumed", "CA-res").get(0).data().get("gapMs")).longValue();
            Await.until("both sockets' audio", () -> sink.samples().length >= ulaw.length * 4 + gapMs * 16);
            relay.calls().get("CA-res").interrupt();
            JsonNode clear = CallProtocol.JSON.readTree(second.nextText(5000));
            assertThat(clear.path("event").asText()).isEqualTo("clear");
            assertThat(clear.path("streamSid").asText()).isEqualTo("MZ-b");
            second.sendText("{\"event\":\"stop\",\"streamSid\":\"MZ-b\"}");
            assertThat(second.awaitCloseCode(5000)).isEqualTo(1000);
            sink.awaitClose(5000);
            int silence = sink.samples().length - ulaw.length * 4;
            assertThat(silence).isBetween((int) (gapMs * 16), (int) (gapMs * 16) + FRAME_16K - 1);
            assertThat(sink.closeCount()).isEqualTo(1);
        }
    }

    @Test
    void aRawStreamResumesUnderItsCallId() throws Exception {
        startWith("relay.telephony.raw-sample-rate = 16000");
        byte[] pcm = new byte[640]; // 20 ms of 16 kHz PCM16 LE, never silent
        for (int i = 0; i < pcm.length; i += 2) {
            pcm[i] = (byte) i;
            pcm[i + 1] = 1;
        }
        int frames = 10;
        try (WsClient first = WsClient.connect(TestRelays.wsUrl(relay, "/media?callId=raw-res"))) {
            for (int f = 0; f < frames; f++) {
                first.sendBinary(pcm);
            }
            MemorySink sink = memory.await("raw-res", 5000);
            long gapMs;
            Await.until("the first socket's audio", () -> sink.samples().length == frames * pcm.length / 2);
            try (WsClient second = WsClient.connect(TestRelays.wsUrl(relay, "/media?callId=raw-res"))) {
                for (int f = 0; f < frames; f++) {
                    second.sendBinary(pcm);
                }
                assertThat(first.awaitCloseCode(5000)).isEqualTo(1008);
                Await.until("call.resumed", () -> !of("call.resumed", "raw-res").isEmpty());
                gapMs = ((Number) of("call.resumed", "raw-res").get(0).data().get("gapMs")).longValue();
                Await.until("both sockets' audio", () -> sink.samples().length >= frames * pcm.length + gapMs * 16);
                second.sendClose(1000);
                assertThat(second.awaitCloseCode(5000)).isEqualTo(1000);
            }
            sink.awaitClose(5000);
            assertThat(sink.closeCount()).isEqualTo(1);
            int silence = sink.samples().length - frames * pcm.length;
            assertThat(silence).isBetween((int) (gapMs * 16), (int) (gapMs * 16) + FRAME_16K - 1);
        }
    }

    @Test
    void rejectStaysTheDefaultAndKeepsTheFirstCall() throws Exception {
        start("");
        relay.events().subscribe(events::add);
        try (WsClient first = register("keep");
                WsClient second = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            second.sendText("{\"event\":\"connected\",\"callId\":\"keep\"}");
            assertThat(second.awaitCloseCode(5000)).isEqualTo(1008);
            assertThat(first.isOpen()).isTrue();
        }
        assertThat(relay.calls().resumedTotal()).isZero();
        assertThat(events).noneMatch(e -> e.type().equals("call.resumed"));
    }

    private WsClient envelope(String callSid, String streamSid) throws Exception {
        WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"));
        ws.sendText(start(callSid, streamSid));
        return ws;
    }

    private static String start(String callSid, String streamSid) {
        return "{\"event\":\"start\",\"streamSid\":\"" + streamSid + "\",\"start\":{\"streamSid\":\"" + streamSid
                + "\",\"callSid\":\"" + callSid + "\",\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\","
                + "\"sampleRate\":8000,\"channels\":1}}}";
    }

    private static void sendEnvelopeMedia(WsClient ws, String streamSid, byte[] ulaw) {
        for (int off = 0, chunk = 1; off < ulaw.length; off += 160, chunk++) {
            byte[] part = Arrays.copyOfRange(ulaw, off, Math.min(ulaw.length, off + 160));
            ws.sendText("{\"event\":\"media\",\"streamSid\":\"" + streamSid + "\",\"media\":{\"track\":\"inbound\","
                    + "\"chunk\":\"" + chunk + "\",\"payload\":\"" + Base64.getEncoder().encodeToString(part)
                    + "\"}}");
        }
    }
}
