package dev.relay.core.sink.sessionstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Create-session answers: the URL is kept exactly as returned; unusable answers are rejected with a reason. */
class CreatedSessionTest {
    private static CreatedSession parse(String json) throws CreatedSession.Unusable {
        return CreatedSession.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keepsTheUploadUrlExactlyAsReturned() throws Exception {
        String url = "wss://ingest.example.com/v1/stream/st_9f%2Fx?sig=a%3Db&exp=1";
        CreatedSession s = parse("{\"session_id\":\"s-1\",\"upload_url\":\"" + url + "\",\"status\":\"created\"}");
        assertThat(s.sessionId()).isEqualTo("s-1");
        assertThat(s.uploadUrl()).isEqualTo(url);
        assertThat(s.uri().getRawPath()).isEqualTo("/v1/stream/st_9f%2Fx");
        assertThat(s.uri().getRawQuery()).isEqualTo("sig=a%3Db&exp=1");
        assertThat(s.tls()).isTrue();
        assertThat(s.port()).isEqualTo(443);
    }

    @Test
    void plainWsUrlsAreAcceptedWithTheirPort() throws Exception {
        CreatedSession s = parse("{\"session_id\":\"s\",\"upload_url\":\"ws://127.0.0.1:9000/u\"}");
        assertThat(s.tls()).isFalse();
        assertThat(s.port()).isEqualTo(9000);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<html>Bad Gateway</html>",
        "[]",
        "{}",
        "{\"session_id\":\"\",\"upload_url\":\"wss://h/u\"}",
        "{\"session_id\":5,\"upload_url\":\"wss://h/u\"}",
        "{\"session_id\":\"s\"}",
        "{\"session_id\":\"s\",\"upload_url\":\"https://h/u\"}",
        "{\"session_id\":\"s\",\"upload_url\":\"wss:///nohost\"}",
        "{\"session_id\":\"s\",\"upload_url\":\"wss://h/a b\"}",
    })
    void unusableAnswersAreRejected(String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(CreatedSession.Unusable.class);
    }

    @Test
    void sessionIdsBecomeOnePathSegment() {
        assertThat(SessionApi.segment("a/b c?d")).isEqualTo("a%2Fb%20c%3Fd");
        assertThat(SessionApi.segment("sess_123-abc")).isEqualTo("sess_123-abc");
    }

    @Test
    void bodyExcerptsAreBounded() {
        String big = "x".repeat(5000);
        assertThat(BodyText.excerpt(big.getBytes(StandardCharsets.UTF_8))).hasSize(BodyText.EXCERPT_CHARS + 1);
        assertThat(BodyText.excerpt("a\u0000b".getBytes(StandardCharsets.UTF_8))).isEqualTo("a b");
        assertThat(BodyText.jsonObject("{\"a\":[1,{\"b\":null}]}".getBytes(StandardCharsets.UTF_8)))
                .containsKey("a");
        assertThat(BodyText.jsonObject("not json".getBytes(StandardCharsets.UTF_8))).isNull();
    }
}
