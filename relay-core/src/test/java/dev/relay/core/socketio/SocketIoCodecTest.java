package dev.relay.core.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Socket.IO v5 text forms, both ways, against the socket.io-parser grammar; the Engine.IO handshake. */
class SocketIoCodecTest {

    @Test
    void encodesWhatAClientSends() {
        // Socket.IO packets only: the Engine.IO message prefix 4 is EngineIoHandler's.
        assertThat(SocketIoCodec.connect("/events", null)).isEqualTo("0/events,");
        assertThat(SocketIoCodec.connect("/", "{\"token\":\"x\"}")).isEqualTo("0{\"token\":\"x\"}");
        assertThat(SocketIoCodec.disconnect("/events")).isEqualTo("1/events,");
        assertThat(SocketIoCodec.event("/events", "[\"set_keywords\",{\"a\":\"b\"}]"))
                .isEqualTo("2/events,[\"set_keywords\",{\"a\":\"b\"}]");
        assertThat(SocketIoCodec.ack("/events", 12, "[]")).isEqualTo("3/events,12[]");
        assertThat(new String(SocketIoCodec.binaryEventHeader("/events", "binary_data"), StandardCharsets.UTF_8))
                .isEqualTo("51-/events,[\"binary_data\",{\"_placeholder\":true,\"num\":0}]");
        assertThat(new String(SocketIoCodec.binaryEventHeader("/", "a\"b\\c\n"), StandardCharsets.UTF_8))
                .isEqualTo("51-[\"a\\\"b\\\\c\\u000a\",{\"_placeholder\":true,\"num\":0}]");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // text after the Engine.IO 4 | type | attachments | namespace | ack id | json
                "0/events,{\"sid\":\"abc\"}|0|0|/events|-1|{\"sid\":\"abc\"}",
                "0|0|0|/|-1|",
                "1/events,|1|0|/events|-1|",
                "1/events|1|0|/events|-1|",
                "2/events,[\"transcript\",{\"transcript\":\"hi\"}]|2|0|/events|-1|[\"transcript\",{\"transcript\":"
                        + "\"hi\"}]",
                "2/events,7[\"x\"]|2|0|/events|7|[\"x\"]",
                "2[\"x\",1]|2|0|/|-1|[\"x\",1]",
                "213[\"x\"]|2|0|/|13|[\"x\"]",
                "3/events,7[]|3|0|/events|7|[]",
                "4/events,{\"message\":\"unauthorized\"}|4|0|/events|-1|{\"message\":\"unauthorized\"}",
                "4\"old style\"|4|0|/|-1|\"old style\"",
                "52-/events,[\"a\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":"
                        + "1}]|5|2|/events|-1|[\"a\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":"
                        + "1}]",
                "61-/events,4[{\"_placeholder\":true,\"num\":0}]|6|1|/events|4|[{\"_placeholder\":true,\"num\":0}]",
            })
    void decodesWhatAServerSends(String text, int type, int attachments, String namespace, long ackId, String json)
            throws Exception {
        SocketIoPacket p = SocketIoCodec.decode(text);
        assertThat(p.type()).isEqualTo(type);
        assertThat(p.attachments()).isEqualTo(attachments);
        assertThat(p.namespace()).isEqualTo(namespace);
        assertThat(p.ackId()).isEqualTo(ackId);
        assertThat(p.json()).isEqualTo(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "7", "x", "9/events,[]",
        "2/events,{\"not\":\"an array\"}", "2/events,", "2/events,\"str\"",
        "1/events,[]", "0/events,[1]", "4/events,", "4/events,[]",
        "5/events,[\"a\"]", "5-/events,[\"a\"]", "50-/events,[\"a\"]", "51234-/events,[\"a\"]",
        "2/events,1234567890123456[\"x\"]",
    })
    void rejectsWhatIsNotSocketIo(String text) {
        assertThatThrownBy(() -> SocketIoCodec.decode(text)).isInstanceOf(SocketIoProtocolException.class);
    }

    @Test
    void readsTheEngineIoHandshake() throws Exception {
        EngineOpen open = EngineOpen.parse(
                "{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,"
                        + "\"maxPayload\":1000000}");
        assertThat(open).isEqualTo(new EngineOpen("lv_VI97HAXpY6yYWAAAC", 25_000, 20_000, 1_000_000));
        assertThat(EngineOpen.parse("{\"sid\":\"s\",\"pingInterval\":1,\"pingTimeout\":2}").maxPayloadBytes())
                .isEqualTo(EngineOpen.DEFAULT_MAX_PAYLOAD);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json", "[]", "{}", "{\"sid\":\"\",\"pingInterval\":1,\"pingTimeout\":1}",
        "{\"sid\":\"s\",\"pingInterval\":0,\"pingTimeout\":1}",
        "{\"sid\":\"s\",\"pingInterval\":\"x\",\"pingTimeout\":1}",
        "{\"sid\":\"s\",\"pingInterval\":1,\"pingTimeout\":6000000}",
    })
    void rejectsAnUnusableHandshake(String json) {
        assertThatThrownBy(() -> EngineOpen.parse(json)).isInstanceOf(SocketIoProtocolException.class);
    }

    @Test
    void buildsTheUpgradeUriWithEncodedQueryInOrder() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("execution_id", "abc123");
        q.put("vad_config", "{\"vad_threshold\": 0.5}");
        q.put("keywords", "{\"eye ola\":\"aiOla\"}");
        SocketIoOptions o = new SocketIoOptions(URI.create("https://apis.aiola.ai"), "/api/voice-streaming/socket.io",
                q, Map.of(), "/events", null, 1000, sslForTest(), 1024);
        assertThat(o.path()).isEqualTo("/api/voice-streaming/socket.io/");
        assertThat(o.port()).isEqualTo(443);
        assertThat(o.webSocketUri().toString()).isEqualTo("wss://apis.aiola.ai:443/api/voice-streaming/socket.io/"
                + "?EIO=4&transport=websocket&execution_id=abc123"
                + "&vad_config=%7B%22vad_threshold%22%3A%200.5%7D&keywords=%7B%22eye%20ola%22%3A%22aiOla%22%7D");
        SocketIoOptions plain = new SocketIoOptions(URI.create("http://[::1]:8080"), "/p/", Map.of(), Map.of(), "/",
                null, 1, null, 1);
        assertThat(plain.webSocketUri().toString()).isEqualTo("ws://[::1]:8080/p/?EIO=4&transport=websocket");
        assertThatThrownBy(() -> new SocketIoOptions(URI.create("https://h"), "/p/", Map.of(), Map.of(), "/", null, 1,
                null, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static SslContext sslForTest() {
        try {
            return SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void recognisesRefusedCredentialsInConnectErrors() {
        assertThat(SocketIoClose.connectErrorKind("unauthorized: invalid token"))
                .isEqualTo(SocketIoClose.Kind.AUTH_REFUSED);
        assertThat(SocketIoClose.connectErrorKind("Authentication error")).isEqualTo(SocketIoClose.Kind.AUTH_REFUSED);
        assertThat(SocketIoClose.connectErrorKind("JWT expired")).isEqualTo(SocketIoClose.Kind.AUTH_REFUSED);
        assertThat(SocketIoClose.connectErrorKind("Invalid namespace")).isEqualTo(SocketIoClose.Kind.REFUSED);
        assertThat(SocketIoClose.connectErrorKind("server busy")).isEqualTo(SocketIoClose.Kind.REFUSED);
    }
}
