package dev.relay.core.scanner;

import static dev.relay.core.scanner.TelephonyFrames.alohaaMedia;
import static dev.relay.core.scanner.TelephonyFrames.scanAllWays;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class MediaEventRejectionTest {
    /** Every rejection case scans into a destination of this many bytes. */
    private static final int DST = 160;

    private static String media(String payload) {
        return alohaaMedia("\"c\"", payload, "1");
    }

    private static String buffer(String data) {
        return media("{\"type\":\"Buffer\",\"data\":" + data + "}");
    }

    private static String nested(int levels, char open, char close) {
        return String.valueOf(open).repeat(levels) + String.valueOf(close).repeat(levels);
    }

    private static String objects(int levels) {
        return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    }

    static Stream<Arguments> cases() {
        final int tooDeepInner = MediaEventScanner.MAX_DEPTH; // plus the top-level object: one too many
        return Stream.of(
                Arguments.of(MediaEventRejection.INVALID_JSON, ""),
                Arguments.of(MediaEventRejection.INVALID_JSON, " \n "),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"event\":\"media\", \"x\": [1,2,}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"event\":\"stop\"} x"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"event\":\"stop\"}}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"event\":\"stop\""),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"event\":\"st"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"event\":\"st\\qp\"}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"event\":\"st\\u00zzp\"}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"event\":\"st\\u00"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"event\":\"st\top\"}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"event\":\"stop\",}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{,\"event\":\"stop\"}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{event:\"stop\"}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{'event':'stop'}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"event\":\"stop\" \"a\":1}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"event\" \"stop\"}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"a\":01,\"event\":\"stop\"}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"a\":1.,\"event\":\"stop\"}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"a\":-,\"event\":\"stop\"}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"a\":1e,\"event\":\"stop\"}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"a\":+1,\"event\":\"stop\"}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"a\":tru,\"event\":\"stop\"}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"a\":[1 2],\"event\":\"stop\"}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"a\":{\"b\"},\"event\":\"stop\"}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"a\":{1:2},\"event\":\"stop\"}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"a\":[}],\"event\":\"stop\"}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "[1,2"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "nul"),
                Arguments.of(MediaEventRejection.INVALID_JSON, buffer("[1,,2]")),
                Arguments.of(MediaEventRejection.INVALID_JSON, buffer("[1,]")),
                Arguments.of(MediaEventRejection.INVALID_JSON, buffer("[,1]")),
                Arguments.of(MediaEventRejection.INVALID_JSON, buffer("[01]")),
                Arguments.of(MediaEventRejection.INVALID_JSON, buffer("[1 2]")),
                Arguments.of(MediaEventRejection.INVALID_JSON, buffer("[1.]")),
                Arguments.of(MediaEventRejection.INVALID_JSON, buffer("[1")),
                Arguments.of(MediaEventRejection.INVALID_JSON, media("\"AAAA")),
                Arguments.of(MediaEventRejection.INVALID_JSON, media("\"AA\\qA\"")),
                Arguments.of(MediaEventRejection.INVALID_JSON, media("\"AA\u0001A\"")),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"payload\":\"AAAA\",\"event\":\"media\",}"),

                Arguments.of(MediaEventRejection.NOT_AN_OBJECT, "[]"),
                Arguments.of(MediaEventRejection.NOT_AN_OBJECT, "[{\"event\":\"media\"}]"),
                Arguments.of(MediaEventRejection.NOT_AN_OBJECT, "\"event\""),
                Arguments.of(MediaEventRejection.NOT_AN_OBJECT, " 42 "),
                Arguments.of(MediaEventRejection.NOT_AN_OBJECT, "null"),

                Arguments.of(MediaEventRejection.MISSING_EVENT, "{}"),
                Arguments.of(MediaEventRejection.MISSING_EVENT, "{\"callId\":\"x\",\"payload\":\"AAAA\"}"),
                Arguments.of(MediaEventRejection.MISSING_EVENT, "{\"event\":5}"),
                Arguments.of(MediaEventRejection.MISSING_EVENT, "{\"event\":null,\"callId\":\"x\"}"),
                Arguments.of(MediaEventRejection.MISSING_EVENT, "{\"Event\":\"media\"}"),
                Arguments.of(MediaEventRejection.MISSING_EVENT, "{\"media\":{\"event\":\"media\"}}"),

                Arguments.of(MediaEventRejection.TOO_DEEP,
                        "{\"event\":\"stop\",\"x\":" + nested(tooDeepInner, '[', ']') + "}"),
                Arguments.of(MediaEventRejection.TOO_DEEP,
                        "{\"x\":" + objects(tooDeepInner) + ",\"event\":\"stop\"}"),
                Arguments.of(MediaEventRejection.TOO_DEEP, nested(MediaEventScanner.MAX_DEPTH + 1, '[', ']')),
                Arguments.of(MediaEventRejection.TOO_DEEP, media("{\"type\":\"Buffer\",\"data\":[],\"x\":"
                        + nested(tooDeepInner - 1, '[', ']') + "}")),

                Arguments.of(MediaEventRejection.DUPLICATE_KEY, "{\"event\":\"stop\",\"event\":\"stop\"}"),
                Arguments.of(MediaEventRejection.DUPLICATE_KEY, "{\"event\":\"stop\",\"ev\\u0065nt\":\"media\"}"),
                Arguments.of(MediaEventRejection.DUPLICATE_KEY,
                "{\"callId\":\"a\",\"event\":\"stop\",\"callId\":\"b\"}"),
                Arguments.of(MediaEventRejection.DUPLICATE_KEY,
                        "{\"event\":\"media\",\"payload\":\"AAAA\",\"media\":{\"payload\":\"AAAA\"}}"),
                Arguments.of(MediaEventRejection.DUPLICATE_KEY,
                        "{\"event\":\"media\",\"media\":{\"timestamp\":1,\"timestamp\":2,\"payload\":\"AAAA\"}}"),
                Arguments.of(MediaEventRejection.DUPLICATE_KEY, "{\"event\":\"media\",\"timestamp\":1,"
                        + "\"media\":{\"timestamp\":2,\"payload\":\"AAAA\"}}"),
                Arguments.of(MediaEventRejection.DUPLICATE_KEY,
                        media("{\"type\":\"Buffer\",\"type\":\"Buffer\",\"data\":[]}")),
                Arguments.of(MediaEventRejection.DUPLICATE_KEY,
                        media("{\"type\":\"Buffer\",\"data\":[],\"data\":[]}")),

                // Frames that begin exactly as Alohaa's do (the scanner takes that head in one step).
                Arguments.of(MediaEventRejection.DUPLICATE_KEY,
                        "{\"event\":\"media\",\"callId\":\"a\",\"event\":\"stop\"}"),
                Arguments.of(MediaEventRejection.DUPLICATE_KEY,
                        "{\"event\":\"media\",\"callId\":\"a\",\"callId\":\"b\"}"),
                Arguments.of(MediaEventRejection.DUPLICATE_KEY, buffer("[1],\"type\":\"Buffer\"")),
                Arguments.of(MediaEventRejection.DUPLICATE_KEY, buffer("[1],\"data\":[2]")),
                Arguments.of(MediaEventRejection.BAD_CALL_ID,
                        "{\"event\":\"media\",\"callId\":5,\"payload\":\"AAAA\"}"),
                Arguments.of(MediaEventRejection.INVALID_JSON, "{\"event\":\"media\",\"callId\":"),
                Arguments.of(MediaEventRejection.INVALID_JSON, buffer("")),
                Arguments.of(MediaEventRejection.BAD_CALL_ID, "{\"event\":\"stop\",\"callId\":5}"),
                Arguments.of(MediaEventRejection.BAD_CALL_ID, "{\"event\":\"stop\",\"callId\":null}"),
                Arguments.of(MediaEventRejection.BAD_CALL_ID, "{\"event\":\"stop\",\"callId\":\"\"}"),
                Arguments.of(MediaEventRejection.BAD_CALL_ID, "{\"event\":\"stop\",\"streamSid\":true}"),

                Arguments.of(MediaEventRejection.CALL_ID_TOO_LONG,
                        "{\"event\":\"stop\",\"callId\":\"" + "a".repeat(129) + "\"}"),
                Arguments.of(MediaEventRejection.CALL_ID_TOO_LONG,
                        "{\"event\":\"stop\",\"callId\":\"" + "\u00e9".repeat(65) + "\"}"),
                Arguments.of(MediaEventRejection.CALL_ID_TOO_LONG,
                        "{\"event\":\"stop\",\"streamSid\":\"" + "\\u20ac".repeat(43) + "\"}"),

                Arguments.of(MediaEventRejection.CALL_ID_CONTROL_CHARS, "{\"event\":\"stop\",\"callId\":\"\\u0000\"}"),
                Arguments.of(MediaEventRejection.CALL_ID_CONTROL_CHARS, "{\"event\":\"stop\",\"callId\":\"a\\nb\"}"),
                Arguments.of(MediaEventRejection.CALL_ID_CONTROL_CHARS, "{\"event\":\"stop\",\"callId\":\"a\u007f\"}"),
                Arguments.of(MediaEventRejection.CALL_ID_CONTROL_CHARS,
                        "{\"event\":\"stop\",\"callId\":\"abcdefg\u007fhijklmnop\"}"),
                Arguments.of(MediaEventRejection.CALL_ID_CONTROL_CHARS, "{\"callId\":\"\\u001F\",\"event\":\"media\"}"),

                Arguments.of(MediaEventRejection.BAD_PAYLOAD_TYPE, media("5")),
                Arguments.of(MediaEventRejection.BAD_PAYLOAD_TYPE, media("[1,2]")),
                Arguments.of(MediaEventRejection.BAD_PAYLOAD_TYPE, "{\"payload\":true,\"event\":\"media\"}"),

                Arguments.of(MediaEventRejection.BAD_BUFFER_JSON, media("{\"type\":\"buffer\",\"data\":[]}")),
                Arguments.of(MediaEventRejection.BAD_BUFFER_JSON, media("{\"type\":5,\"data\":[]}")),
                Arguments.of(MediaEventRejection.BAD_BUFFER_JSON, media("{\"data\":[1]}")),
                Arguments.of(MediaEventRejection.BAD_BUFFER_JSON, media("{\"type\":\"Buffer\"}")),
                Arguments.of(MediaEventRejection.BAD_BUFFER_JSON, media("{}")),
                Arguments.of(MediaEventRejection.BAD_BUFFER_JSON, media("{\"type\":\"Buffer\",\"data\":\"AAAA\"}")),
                Arguments.of(MediaEventRejection.BAD_BUFFER_JSON, buffer("[256]")),
                Arguments.of(MediaEventRejection.BAD_BUFFER_JSON, buffer("[1,99999999999999999999]")),
                Arguments.of(MediaEventRejection.BAD_BUFFER_JSON, buffer("[-1]")),
                Arguments.of(MediaEventRejection.BAD_BUFFER_JSON, buffer("[1.5]")),
                Arguments.of(MediaEventRejection.BAD_BUFFER_JSON, buffer("[1e2]")),
                Arguments.of(MediaEventRejection.BAD_BUFFER_JSON, buffer("[\"1\"]")),
                Arguments.of(MediaEventRejection.BAD_BUFFER_JSON, buffer("[null]")),
                Arguments.of(MediaEventRejection.BAD_BUFFER_JSON, buffer("[[1]]")),

                Arguments.of(MediaEventRejection.BAD_BASE64, media("\"!!!!\"")),
                Arguments.of(MediaEventRejection.BAD_BASE64, media("\"QUJD=A\"")),
                Arguments.of(MediaEventRejection.BAD_BASE64, media("\"Q\"")),
                Arguments.of(MediaEventRejection.BAD_BASE64, media("\"QUJDQ\"")),
                Arguments.of(MediaEventRejection.BAD_BASE64, media("\"QQ=\"")),
                Arguments.of(MediaEventRejection.BAD_BASE64, media("\"QUJD===\"")),
                Arguments.of(MediaEventRejection.BAD_BASE64, media("\"====\"")),
                Arguments.of(MediaEventRejection.BAD_BASE64, media("\"QUJD\\n\"")),
                Arguments.of(MediaEventRejection.BAD_BASE64, media("\"QU JD\"")),
                Arguments.of(MediaEventRejection.BAD_BASE64, media("\"QUJ\u00e9\"")),
                Arguments.of(MediaEventRejection.BAD_BASE64, media("\"QUJ\\u00e9\"")),
                Arguments.of(MediaEventRejection.BAD_BASE64, "{\"payload\":\"QU*D\",\"event\":\"media\"}"),

                Arguments.of(MediaEventRejection.MISSING_PAYLOAD, "{\"event\":\"media\",\"callId\":\"c\"}"),
                Arguments.of(MediaEventRejection.MISSING_PAYLOAD, media("null")),
                Arguments.of(MediaEventRejection.MISSING_PAYLOAD,
                        "{\"event\":\"media\",\"streamSid\":\"S\",\"media\":{\"timestamp\":\"5\"}}"),
                Arguments.of(MediaEventRejection.MISSING_PAYLOAD,
                        "{\"event\":\"media\",\"streamSid\":\"S\",\"media\":\"AAAA\"}"),
                Arguments.of(MediaEventRejection.MISSING_PAYLOAD,
                        "{\"event\":\"media\",\"x\":{\"payload\":\"AAAA\"}}"),

                Arguments.of(MediaEventRejection.PAYLOAD_TOO_LARGE,
                        media(TelephonyFrames.base64Json(new byte[DST + 1]))),
                Arguments.of(MediaEventRejection.PAYLOAD_TOO_LARGE,
                media(TelephonyFrames.base64Json(new byte[DST + 2]))),
                Arguments.of(MediaEventRejection.PAYLOAD_TOO_LARGE,
                media(TelephonyFrames.base64Json(new byte[DST + 3]))),
                Arguments.of(MediaEventRejection.PAYLOAD_TOO_LARGE,
                media(TelephonyFrames.bufferJson(new byte[DST + 1]))),
                Arguments.of(MediaEventRejection.PAYLOAD_TOO_LARGE, "{\"payload\":"
                        + TelephonyFrames.bufferJson(new byte[4 * DST]) + ",\"event\":\"media\"}"),

                Arguments.of(MediaEventRejection.BAD_TIMESTAMP, alohaaMedia("\"c\"", "\"AAAA\"", "1.5")),
                Arguments.of(MediaEventRejection.BAD_TIMESTAMP, alohaaMedia("\"c\"", "\"AAAA\"", "1e3")),
                Arguments.of(MediaEventRejection.BAD_TIMESTAMP, alohaaMedia("\"c\"", "\"AAAA\"", "-0.0")),
                Arguments.of(MediaEventRejection.BAD_TIMESTAMP,
                        alohaaMedia("\"c\"", "\"AAAA\"", "9223372036854775808")),
                Arguments.of(MediaEventRejection.INVALID_JSON, alohaaMedia("\"c\"", "\"AAAA\"", "01")),
                Arguments.of(MediaEventRejection.INVALID_JSON, alohaaMedia("\"c\"", "\"AAAA\"", "-")),
                Arguments.of(MediaEventRejection.INVALID_JSON, alohaaMedia("\"c\"", "\"AAAA\"", "12x")),
                Arguments.of(MediaEventRejection.BAD_TIMESTAMP, alohaaMedia("\"c\"", "\"AAAA\"", "\"12a\"")),
                Arguments.of(MediaEventRejection.BAD_TIMESTAMP, alohaaMedia("\"c\"", "\"AAAA\"", "\"\"")),
                Arguments.of(MediaEventRejection.BAD_TIMESTAMP, alohaaMedia("\"c\"", "\"AAAA\"", "\"-\"")),
                Arguments.of(MediaEventRejection.BAD_TIMESTAMP, alohaaMedia("\"c\"", "\"AAAA\"", "\"\\u0031\"")),
                Arguments.of(MediaEventRejection.BAD_TIMESTAMP, alohaaMedia("\"c\"", "\"AAAA\"", "true")),
                Arguments.of(MediaEventRejection.BAD_TIMESTAMP, alohaaMedia("\"c\"", "\"AAAA\"", "{}")),
                Arguments.of(MediaEventRejection.BAD_TIMESTAMP,
                        alohaaMedia("\"c\"", "\"AAAA\"", "9223372036854775808")),
                Arguments.of(MediaEventRejection.BAD_TIMESTAMP,
                        alohaaMedia("\"c\"", "\"AAAA\"", "-9223372036854775809")),
                Arguments.of(MediaEventRejection.BAD_TIMESTAMP,
                        alohaaMedia("\"c\"", "\"AAAA\"", "99999999999999999999999")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void rejectsWithTheExpectedReason(MediaEventRejection expected, String json) {
        assertThat(scanAllWays(json, DST).rejection()).isEqualTo(expected);
    }

    @Test
    void coversEveryRejectionWithAtLeastTwoInputs() {
        final Map<MediaEventRejection, Long> counts = new EnumMap<>(MediaEventRejection.class);
        cases().forEach(a -> counts.merge((MediaEventRejection) a.get()[0], 1L, Long::sum));

        final List<MediaEventRejection> thin = Stream.of(MediaEventRejection.values())
                .filter(MediaEventRejection::isRejection)
                .filter(r -> counts.getOrDefault(r, 0L) < 2)
                .collect(Collectors.toList());
        assertThat(thin).isEmpty();
    }

    @Test
    void labelsAreDistinctLowerCaseTokens() {
        final Set<String> labels = new HashSet<>();
        for (MediaEventRejection r : MediaEventRejection.values()) {
            assertThat(r.label()).matches("[a-z0-9_]+").isEqualTo(r.name().toLowerCase(Locale.ROOT));
            assertThat(r.description()).isNotBlank();
            assertThat(labels.add(r.label())).isTrue();
            assertThat(MediaEventRejection.ofFailCode(r.failCode())).isSameAs(r);
        }
    }

    @Test
    void keepsTheEventKindOfARejectedFrameForMetrics() {
        final MediaEventScanner scanner = new MediaEventScanner();
        final byte[] doc = media("\"!!!!\"").getBytes(StandardCharsets.UTF_8);

        assertThat(scanner.scan(doc, 0, doc.length, new byte[DST], 0)).isEqualTo(MediaEventRejection.BAD_BASE64);
        assertThat(scanner.event()).isEqualTo(MediaEventKind.MEDIA);
        assertThat(scanner.payloadForm()).isEqualTo(PayloadForm.NONE);
        assertThat(scanner.hasCallId()).isFalse();
    }
}
