package dev.relay.bench.floor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.net.Json;
import dev.relay.core.sink.sessionstream.SessionStreamConfig;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * A call's session-stream upload, floor style: the create call ({@code POST …/voice/v1/sessions}
 * with {@code upload_type} and, when configured, the call id under {@code call-id-field}, which is
 * how the fake matches sessions to calls), the upgrade to the returned {@code upload_url}, then one
 * binary frame of PCM16-sized zeros per {@code chunk-ms}. No {@code end} call and no result polls
 * (the relay makes them after the calls end, outside the measured window). Runs on the call's loop.
 */
final class SessionStreamLeg extends Leg {
    private static final ObjectMapper JSON = Json.MAPPER;

    private final SessionStreamConfig config;
    private final URI sessions;
    private final SinkClient client;

    SessionStreamLeg(String callId, EventLoop loop, FloorSettings settings, SinkClient client) {
        super(callId, loop, settings.sessionStream().chunkMs());
        this.config = settings.sessionStream();
        this.sessions = settings.sessionsUrl();
        this.client = client;
    }

    @Override
    void connect() {
        ObjectNode body = JSON.createObjectNode().put("upload_type", "stream");
        if (!config.callIdField().isEmpty()) {
            body.put(config.callIdField(), callId);
        }
        Map<String, String> headers = config.apiKey().isEmpty() ? Map.of()
                : Map.of(config.apiKeyHeader(), config.apiKey());
        client.exchange(loop, sessions, HttpMethod.POST, headers, body.toString(), this::created);
    }

    private void created(int status, String answer) {
        if (status / 100 != 2) {
            failed("create answered " + status + ": " + answer);
            return;
        }
        URI upload;
        try {
            JsonNode tree = JSON.readTree(answer);
            upload = URI.create(tree.path("upload_url").asText());
        } catch (IOException | IllegalArgumentException e) {
            failed("create answer without a usable upload_url: " + answer);
            return;
        }
        client.webSocket(loop, upload, Map.of(), new SinkClient.WsListener() {
            @Override
            public void upgraded(Channel ch) {
                up(ch);
            }

            @Override
            public void text(Channel ch, String text) {}

            @Override
            public void failed(String why) {
                SessionStreamLeg.this.failed("upload socket: " + why);
            }
        });
    }

    @Override
    void writeChunk(Channel ch, int bytes) {
        ch.write(ClientFrames.zeros(ch.alloc(), bytes), ch.voidPromise());
    }

    @Override
    void writeGoodbye(Channel ch) {
        ch.write(ClientFrames.close(ch.alloc()), ch.voidPromise());
    }
}
