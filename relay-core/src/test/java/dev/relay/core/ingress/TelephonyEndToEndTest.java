package dev.relay.core.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.testing.MemorySinkFactory.MemorySink;
import dev.relay.core.testing.RelayTestBase;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One call over a real socket, through the whole media path, into an in-memory sink. */
@Timeout(60)
class TelephonyEndToEndTest extends RelayTestBase {

    @ParameterizedTest(name = "{0} payload, dsp {1}, swap {2}, io-coalesce {3}")
    @CsvSource({
        "buffer, dedicated, false, 0",
        "base64, dedicated, false, 0",
        "binary, dedicated, false, 0",
        "buffer, inline,    false, 0",
        "binary, inline,    true,  0",
        "buffer, dedicated, true,  0",
        "buffer, inline,    false, 1ms",
        "binary, dedicated, true,  500us",
    })
    void speechArrivesAt16kMatchingSoxReference(String form, String mode, boolean swapPairs, String coalesce)
            throws Exception {
        // A 2 s jitter wait: a starved machine must not turn a swapped pair into concealment (reordering
        // is under test here, not timing).
        start("relay.dsp.mode = " + mode + "\nrelay.dsp.io-coalesce = " + coalesce
                + "\nrelay.media.jitter-max-wait = 2s");
        String callId = "speech-" + form + "-" + mode;
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            ws.sendText("{\"event\":\"connected\",\"callId\":\"" + callId + "\",\"mobileNo\":\"4155551234\"}");
            assertThat(ws.nextText(5000)).isEqualTo("{\"event\":\"connected\",\"data\":{\"callId\":\"" + callId
                    + "\"}}");
            List<byte[]> packets = Speech.packets();
            if (swapPairs) {
                for (int i = 7; i + 1 < packets.size(); i += 7) {
                    Collections.swap(packets, i, i + 1);
                }
            }
            long ts = 1649433600000L;
            for (byte[] p : packets) {
                switch (form) {
                    case "binary" -> ws.sendBinary(p);
                    case "base64" -> ws.sendText(media(callId, "\"" + Base64.getEncoder().encodeToString(p) + "\"",
                            ts));
                    default -> ws.sendText(media(callId, bufferJson(p), ts));
                }
                ts += 20;
            }
            MemorySink sink = memory.await(callId, 5000);
            ws.sendClose(1000);
            sink.awaitClose(5000);
            assertThat(sink.timelineError()).isNull();
            assertThat(sink.concealedFrames()).isZero();
            assertThat(sink.samples().length).isEqualTo(packets.size() * 320);
            assertThat(Speech.snrAgainstReference(sink.samples())).isGreaterThanOrEqualTo(36.0);
        }
    }

    static String media(String callId, String payloadJson, long ts) {
        return "{\"event\":\"media\",\"callId\":\"" + callId + "\",\"payload\":" + payloadJson + ",\"timestamp\":" + ts
                + "}";
    }

    static String bufferJson(byte[] p) {
        StringBuilder sb = new StringBuilder("{\"type\":\"Buffer\",\"data\":[");
        for (int i = 0; i < p.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(p[i] & 0xFF);
        }
        return sb.append("]}").toString();
    }
}
