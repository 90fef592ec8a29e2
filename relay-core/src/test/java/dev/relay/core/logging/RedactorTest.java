package dev.relay.core.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the log redaction masks, what it leaves alone, and that both encoders see only its output. */
class RedactorTest {
    private static final String SECRET = "cfg-secret-7f3a9c";

    static {
        Redactor.addSecrets(List.of(SECRET, "short", ""));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            webhook url token      | POST https://h.example/r?token=tok-123&x=1 | POST https://h.example/r?token=***&x=1
            api_key parameter      | GET /x?a=1&api_key=K-99 | GET /x?a=1&api_key=***
            bearer header          | Authorization: Bearer abc.def-ghi | Authorization: ***
            bare bearer            | sent bearer xyz123 to peer | sent bearer *** to peer
            json field             | {"api_value":"per-call-9","x":1} | {"api_value":"***","x":1}
            header field           | x-metro-api-key=abc123, status 401 | x-metro-api-key=***, status 401
            header line            | sent X-Api-Key: abc123 | sent X-Api-Key: ***
            url password           | redis://:p4ss@10.0.0.1:6379/0 down | redis://:***@10.0.0.1:6379/0 down
            jwt                    | 401 for eyJhbGciOi.eyJzdWIiOiJ4.c2ln sent | 401 for *** sent
            configured secret      | got cfg-secret-7f3a9c back | got *** back
            mobile field           | {route=default, mobileNo=9876543210} | {route=default, mobileNo=******3210}
            json mobile field      | {"mobile_number":"9876543210"} | {"mobile_number":"******3210"}
            e164                   | dialling +919876543210 now | dialling +********3210 now
            bare mobile            | customer 9876543210 hung up | customer ******3210 hung up
            with 91 prefix         | customer 919876543210 hung up | customer ********3210 hung up
            """)
    void masks(String what, String in, String out) {
        assertThat(Redactor.redact(in)).as(what).isEqualTo(out.strip());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            epoch millis           | ts=1733512345678 durationMs=61234
            rtp timestamp          | gap at 4294967295 (ts 3000000000)
            counts                 | packetsIn=426 framesOut=1277 bytes=5242880
            short secrets          | route short of frames
            keywords               | keywords set for callId=abc-1
            prose                  | webhooks accepted without a token: set relay.alohaa.webhook-token
            call id                | recording callId=rec_1 to ./recordings/rec_1-20260101-000000.wav
            """)
    void leavesOrdinaryTextAlone(String what, String in) {
        assertThat(Redactor.redact(in)).as(what).isEqualTo(in);
    }

    @Test
    void theCallIdInTheTextBecomesAnMdcField() {
        LoggerContext ctx = new LoggerContext();
        Captured json = capture(ctx, jsonAsShipped());
        Logger log = ctx.getLogger("test");
        log.info("sink aiola down callId=call-7: token=abc refused");
        log.info("relay listening");
        ctx.stop();
        List<JsonNode> lines = json.lines();
        assertThat(lines.get(0).path("mdc").path("callId").asText()).isEqualTo("call-7");
        assertThat(lines.get(0).path("formattedMessage").asText())
                .isEqualTo("sink aiola down callId=call-7: token=*** refused");
        assertThat(lines.get(1).path("mdc").path("callId").isMissingNode()).isTrue();
    }

    @Test
    void argumentsAndExceptionMessagesAreRedactedInJsonAndText() {
        for (boolean asJson : new boolean[] {true, false}) {
            LoggerContext ctx = new LoggerContext();
            PatternLayoutEncoder pattern = new PatternLayoutEncoder();
            pattern.setPattern("%msg %ex%n");
            Captured out = capture(ctx, asJson ? new JsonEncoder() : pattern); // JSON with every field on
            IOException cause = new IOException("upstream said 403 for key=" + SECRET);
            RuntimeException e = new RuntimeException("POST http://h/hook?token=" + SECRET + " failed", cause);
            e.addSuppressed(new IllegalStateException("caller 9876543210"));
            ctx.getLogger("test").atWarn().addKeyValue("apiKey", SECRET).log("webhook {} for {} failed",
                    "http://h/hook?token=" + SECRET, "9876543210", e);
            ctx.stop();
            String text = out.text();
            assertThat(text).as(asJson ? "json" : "text").doesNotContain(SECRET).doesNotContain("9876543210")
                    .contains("******3210").contains("403 for key=***");
        }
    }

    /** The JSON encoder as logback.xml configures it. */
    private static JsonEncoder jsonAsShipped() {
        JsonEncoder json = new JsonEncoder();
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithFormattedMessage(true);
        return json;
    }

    private record Captured(ByteArrayOutputStream bytes) {
        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        List<JsonNode> lines() {
            ObjectMapper json = new ObjectMapper();
            return text().lines().map(l -> {
                try {
                    return json.readTree(l);
                } catch (IOException e) {
                    throw new AssertionError("not JSON: " + l, e);
                }
            }).toList();
        }
    }

    /** ctx's root → RedactingAppender → an output stream with {@code encoder}, as logback.xml wires it. */
    private static Captured capture(LoggerContext ctx, Encoder<ILoggingEvent> encoder) {
        ctx.setMDCAdapter(new LogbackMDCAdapter()); // what logback's own start-up gives a context
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        encoder.setContext(ctx);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> sink = new OutputStreamAppender<>();
        sink.setContext(ctx);
        sink.setEncoder(encoder);
        sink.setOutputStream(bytes);
        sink.start();
        RedactingAppender redact = new RedactingAppender();
        redact.setContext(ctx);
        redact.addAppender(sink);
        redact.start();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(redact);
        return new Captured(bytes);
    }
}
