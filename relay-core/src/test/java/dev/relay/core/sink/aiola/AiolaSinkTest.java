package dev.relay.core.sink.aiola;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.ControlHttp;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One call through the relay to the real npm socket.io server playing aiOla: the handshake query and
 * credentials, the audio (byte for byte what the pipeline produced), transcripts and other events
 * back as call events, acks, keywords both ways.
 */
@Timeout(60)
class AiolaSinkTest extends AiolaRelayHarness {
    @TempDir
    Path tmp;

    @Test
    void oneCallDeliversItsAudioAndGetsTranscriptsBack() throws Exception {
        try (AiolaServer server = AiolaServer.withToken(0)) {
            startRelay(server, "relay.sinks.aiola.close-linger = 3s\n"
                    + "relay.sinks.aiola.keywords { \"eye ola\" = \"aiOla\" }\n"
                    + "relay.sinks.aiola.lang-code = de_DE\n"
                    + "relay.sinks.aiola.time-zone = \"Europe/Berlin\"\n");
            String callId = "call-aiola/1";
            String exec = ExecutionId.of(callId);
            WsClient ws = register(callId);

            JsonNode connect = server.await("connect", 10_000);
            JsonNode q = connect.path("query");
            assertThat(connect.path("authorization").asText()).isEqualTo("Bearer " + AiolaServer.TOKEN);
            assertThat(q.path("x-aiola-api-token").asText()).isEqualTo(AiolaServer.TOKEN);
            assertThat(q.path("execution_id").asText()).isEqualTo(exec).matches("[A-Za-z0-9]{4,24}");
            assertThat(q.path("EIO").asText()).isEqualTo("4");
            assertThat(q.path("transport").asText()).isEqualTo("websocket");
            assertThat(q.path("flow_id").asText()).isEqualTo("2c78fcf1-9265-408f-b8c3-d9d7e7ebc1bc");
            assertThat(q.path("lang_code").asText()).isEqualTo("de_DE");
            assertThat(q.path("time_zone").asText()).isEqualTo("Europe/Berlin");
            assertThat(q.path("vad_config").asText())
                    .isEqualTo("{\"vad_threshold\":0.5,\"min_silence_duration_ms\":250}");
            assertThat(q.path("keywords").asText()).isEqualTo("{\"eye ola\":\"aiOla\"}");
            assertThat(server.await("upgrade", 1000).path("url").asText()).isEqualTo("/api/voice-streaming/socket.io/");

            // What aiOla sends back becomes call events with the call id.
            server.command("emit", "event", "transcript", "args", List.of(Map.of("transcript", "hello world")), "ack",
                    true);
            CallEvent transcript = awaitEvent("transcript", callId);
            assertThat(transcript.data()).containsEntry("sink", "aiola").containsEntry("text", "hello world")
                    .containsEntry("raw", Map.of("transcript", "hello world"));
            assertThat(server.await("acked", 5000).path("err").isNull()).isTrue();

            server.command("emit", "event", "transcript", "args", List.of("{\"transcript\":\"as a json string\"}"));
            awaitEvent("transcript", callId, e -> "as a json string".equals(e.data().get("text")));
            server.command("emit-binary", "event", "transcript", "text", "{\"transcript\":\"as bytes\"}");
            awaitEvent("transcript", callId, e -> "as bytes".equals(e.data().get("text")));
            server.command("emit", "event", "transcript", "args", List.of("plain words"));
            awaitEvent("transcript", callId, e -> "plain words".equals(e.data().get("text")));

            server.command("emit", "event", "structured", "args", List.of(Map.of("results", Map.of("name", "Ada"))));
            CallEvent structured = awaitEvent("stt.event", callId, e -> "structured".equals(e.data().get("event")));
            assertThat(structured.data().get("data")).isEqualTo(Map.of("results", Map.of("name", "Ada")));
            server.command("emit", "event", "translation", "args", List.of(Map.of("translation", "hallo")));
            awaitEvent("stt.event", callId, e -> "translation".equals(e.data().get("event")));
            server.command("emit", "event", "error", "args", List.of(Map.of("code", "E42", "message",
                    "model overloaded")));
            CallEvent error = awaitEvent("stt.error", callId);
            assertThat(error.data()).containsEntry("code", "E42").containsEntry("message", "model overloaded");

            // Keywords through the control API reach aiOla as set_keywords.
            ControlHttp control = new ControlHttp(TestRelays.controlUrl(relay, ""), null);
            HttpResponse<String> kw = control.post("/v1/calls/" + URLEncoder.encode(callId, StandardCharsets.UTF_8)
                    + "/keywords", "application/json",
                    "{\"keywords\":{\"relay\":\"Relay\",\"net tea\":\"Netty\"}}".getBytes());
            assertThat(kw.statusCode()).isEqualTo(202);
            JsonNode keywords = server.await("keywords", 5000);
            assertThat(keywords.path("exec").asText()).isEqualTo(exec);
            assertThat(keywords.path("keywords").path("net tea").asText()).isEqualTo("Netty");

            sendPackets(ws, 0, PACKETS.size());
            hangUp(ws);
            // The call is over, but the stream lingers for aiOla's last words.
            awaitEvent("call.ended", callId);
            server.await("audio", l -> l.path("chunks").asInt() == 86, 10_000);
            assertThat(server.all("disconnect")).isEmpty();
            server.command("emit", "event", "transcript", "args", List.of(Map.of("transcript", "last words")));
            awaitEvent("transcript", callId, e -> "last words".equals(e.data().get("text")));
            assertThat(server.await("disconnect", l -> l.path("exec").asText().equals(exec), 10_000)
                    .path("reason").asText()).isEqualTo("client namespace disconnect");

            byte[] received = server.audio(exec, tmp);
            byte[] produced = pipelineBytes(callId);
            assertThat(produced).hasSize(PACKETS.size() * FRAME_BYTES);
            assertSameAudio(received, produced);
            assertThat(Speech.snrAgainstReference(samples(received))).isGreaterThanOrEqualTo(36.0);
            // 100 ms per emit (5 frames), one binary argument each; the call's last frame on its own.
            List<JsonNode> chunks = server.all("audio");
            assertThat(chunks).hasSize(86);
            assertThat(chunks.subList(0, 85)).allSatisfy(c -> {
                assertThat(c.path("bytes").asInt()).isEqualTo(3200);
                assertThat(c.path("binary").asBoolean()).isTrue();
                assertThat(c.path("extraArgs").asInt()).isZero();
            });
            assertThat(events("sink.down", callId)).isEmpty();
            // Nothing but binary_data and set_keywords went to aiOla.
            assertThat(server.all("event")).isEmpty();
        }
    }
}
