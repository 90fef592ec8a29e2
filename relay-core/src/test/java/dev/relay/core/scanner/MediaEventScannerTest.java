package dev.relay.core.scanner;

import static dev.relay.core.scanner.TelephonyFrames.CALL_ID;
import static dev.relay.core.scanner.TelephonyFrames.alohaaMedia;
import static dev.relay.core.scanner.TelephonyFrames.base64Json;
import static dev.relay.core.scanner.TelephonyFrames.bufferJson;
import static dev.relay.core.scanner.TelephonyFrames.envelopeMedia;
import static dev.relay.core.scanner.TelephonyFrames.rtpPacket;
import static dev.relay.core.scanner.TelephonyFrames.scanAllWays;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.scanner.TelephonyFrames.Scanned;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class MediaEventScannerTest {
    private static final byte[] RTP = rtpPacket();

    @Test
    void decodesAlohaaBufferJsonMediaStraightIntoTheDestination() {
        final Scanned s = scanAllWays(alohaaMedia('"' + CALL_ID + '"', bufferJson(RTP), "1649433600000"));

        assertThat(RTP).hasSize(172);
        assertThat(s.rejection()).isEqualTo(MediaEventRejection.NONE);
        assertThat(s.event()).isEqualTo(MediaEventKind.MEDIA);
        assertThat(s.callId()).isEqualTo(CALL_ID);
        assertThat(s.form()).isEqualTo(PayloadForm.BUFFER_JSON);
        assertThat(s.payload()).isEqualTo(RTP);
        assertThat(s.hasTimestamp()).isTrue();
        assertThat(s.timestamp()).isEqualTo(1649433600000L);
        assertThat(s.track()).isEqualTo(MediaTrack.NONE);
    }

    @Test
    void decodesAlohaaBase64Media() {
        final Scanned s = scanAllWays(alohaaMedia('"' + CALL_ID + '"', base64Json(RTP), "7"));

        assertThat(s.accepted()).isTrue();
        assertThat(s.form()).isEqualTo(PayloadForm.BASE64);
        assertThat(s.payload()).isEqualTo(RTP);
        assertThat(s.timestamp()).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"5\"", "5"})
    void decodesEnvelopeMediaWithStreamSidAsTheIdAndTimestampAsNumberOrDigitString(String timestamp) {
        final String sid = "MZ18ad3ab5a668481ce02b83e7395059f0";
        final Scanned s = scanAllWays(envelopeMedia(sid, Base64.getEncoder().encodeToString(RTP), timestamp));

        assertThat(s.accepted()).isTrue();
        assertThat(s.event()).isEqualTo(MediaEventKind.MEDIA);
        assertThat(s.callId()).isEqualTo(sid);
        assertThat(s.payload()).isEqualTo(RTP);
        assertThat(s.timestamp()).isEqualTo(5);
        assertThat(s.track()).isEqualTo(MediaTrack.INBOUND);
    }

    @Test
    void reportsTheEnvelopeTrack() {
        final String outbound = "{\"event\":\"media\",\"streamSid\":\"S\",\"media\":{\"track\":\"outbound\","
                + "\"payload\":\"AAAA\"}}";
        final String other = outbound.replace("outbound", "both");

        assertThat(scanAllWays(outbound).track()).isEqualTo(MediaTrack.OUTBOUND);
        assertThat(scanAllWays(other).track()).isEqualTo(MediaTrack.OTHER);
        assertThat(scanAllWays(other).hasTimestamp()).isFalse();
    }

    static Stream<Arguments> memberOrders() {
        final String[] members = {
            "\"event\":\"media\"", "\"callId\":\"" + CALL_ID + "\"", "\"payload\":PAYLOAD", "\"timestamp\":42"
        };
        final List<Arguments> out = new ArrayList<>();
        permute(members, 0, out);
        return out.stream();
    }

    private static void permute(String[] a, int k, List<Arguments> out) {
        if (k == a.length) {
            out.add(Arguments.of("{" + String.join(",", a) + "}"));
            return;
        }
        for (int i = k; i < a.length; i++) {
            String t = a[k];
            a[k] = a[i];
            a[i] = t;
            permute(a, k + 1, out);
            a[i] = a[k];
            a[k] = t;
        }
    }

    @ParameterizedTest
    @MethodSource("memberOrders")
    void acceptsMembersInAnyOrder(String template) {
        for (String payload : new String[] {bufferJson(RTP), base64Json(RTP),
                "{\"data\":" + bufferJson(RTP).substring(24, bufferJson(RTP).length() - 1) + ",\"type\":\"Buffer\"}"}) {
            final Scanned s = scanAllWays(template.replace("PAYLOAD", payload));

            assertThat(s.accepted()).as(template).isTrue();
            assertThat(s.callId()).isEqualTo(CALL_ID);
            assertThat(s.payload()).isEqualTo(RTP);
            assertThat(s.timestamp()).isEqualTo(42);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"event\":\"media\",\"callId\":\"c\",\"payload\":{\"type\":\"Buffer\",\"data\":[7,8]},\"timestamp\":3}",
        "{\"event\":\"media\",\"callId\": \"c\",\"payload\":{\"type\":\"Buffer\",\"data\": [7,8]},\"timestamp\":3}",
        "{ \"event\":\"media\",\"callId\":\"c\",\"payload\":{ \"type\":\"Buffer\",\"data\":[7,8]},\"timestamp\":3}",
        "{\"event\" :\"media\",\"callId\":\"c\",\"payload\":{\"type\" :\"Buffer\",\"data\":[7,8]},\"timestamp\":3}",
        "{\"ev\\u0065nt\":\"media\",\"callId\":\"c\""
            + ",\"payload\":{\"type\":\"Buff\\u0065r\",\"data\":[7,8]},\"timestamp\":3}",
    })
    void readsTheUsualAlohaaAndBufferHeadsLikeAnyOtherSpelling(String json) {
        final Scanned s = scanAllWays(json);

        assertThat(s.accepted()).isTrue();
        assertThat(s.event()).isEqualTo(MediaEventKind.MEDIA);
        assertThat(s.callId()).isEqualTo("c");
        assertThat(s.payload()).containsExactly(7, 8);
        assertThat(s.timestamp()).isEqualTo(3);
    }

    @Test
    void acceptsWhitespaceBetweenEveryToken() {
        final String ws = " \n\t\r ";
        final String json = ws + "{" + ws + "\"event\"" + ws + ":" + ws + "\"media\"" + ws + "," + ws
                + "\"payload\"" + ws + ":" + ws + "{" + ws + "\"type\"" + ws + ":" + ws + "\"Buffer\"" + ws + ","
                + ws + "\"data\"" + ws + ":" + ws + "[" + ws + "0" + ws + "," + ws + "255" + ws + "]" + ws + "}"
                + ws + "," + ws + "\"timestamp\"" + ws + ":" + ws + "-3" + ws + "}" + ws;
        final Scanned s = scanAllWays(json);

        assertThat(s.accepted()).isTrue();
        assertThat(s.payload()).containsExactly(0, 255);
        assertThat(s.timestamp()).isEqualTo(-3);
    }

    static Stream<Arguments> escapedCallIds() {
        return Stream.of(
                Arguments.of("\"a\\\"b\"", "a\"b"),
                Arguments.of("\"a\\\\b\"", "a\\b"),
                Arguments.of("\"\\u0041BC\"", "ABC"),
                Arguments.of("\"abcdefghij\\u0041klmnopq\\\\r\"", "abcdefghijAklmnopq\\r"),
                Arguments.of("\"\\/x\\/\"", "/x/"),
                Arguments.of("\"caf\\u00e9\"", "café"),
                Arguments.of("\"\\u20AC\"", "€"),
                Arguments.of("\"\\uD83D\\uDE00x\"", "\uD83D\uDE00x"),
                Arguments.of("\"x\\uD83Dy\"", "x\uFFFDy"),
                Arguments.of("\"\\uDE00\"", "\uFFFD"),
                Arguments.of("\"caf\u00e9 \uD83D\uDE00\"", "café \uD83D\uDE00"));
    }

    @ParameterizedTest
    @MethodSource("escapedCallIds")
    void unescapesTheCallIdAndComparesItsUtf8WithoutTheFrame(String callIdJson, String expected) {
        final String json = alohaaMedia(callIdJson, "\"AAAA\"", "1");
        final Scanned s = scanAllWays(json);
        assertThat(s.accepted()).isTrue();
        assertThat(s.callId()).isEqualTo(expected);

        final MediaEventScanner scanner = new MediaEventScanner();
        final ByteBuf frame = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
        try {
            scanner.scan(frame, new byte[8], 0);
        } finally {
            frame.release();
        }
        final byte[] utf8 = expected.getBytes(StandardCharsets.UTF_8);
        assertThat(scanner.callIdEquals(utf8)).isTrue();
        assertThat(scanner.callIdEquals((expected + "!").getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(scanner.callIdLength()).isEqualTo(utf8.length);
        assertThat(scanner.callIdHasEscapes()).isEqualTo(callIdJson.contains("\\"));
        final byte[] copy = new byte[MediaEventScanner.MAX_CALL_ID_BYTES];
        assertThat(scanner.copyCallId(copy, 0)).isEqualTo(utf8.length);
        assertThat(new String(copy, 0, utf8.length, StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void acceptsCallIdsUpToTheLimit() {
        final String longest = "x".repeat(MediaEventScanner.MAX_CALL_ID_BYTES);
        assertThat(scanAllWays(alohaaMedia('"' + longest + '"', "\"AAAA\"", "1")).callId()).isEqualTo(longest);
        final String escaped = "\\u00e9".repeat(MediaEventScanner.MAX_CALL_ID_BYTES / 2); // 2 UTF-8 bytes each
        assertThat(scanAllWays(alohaaMedia('"' + escaped + '"', "\"AAAA\"", "1")).accepted()).isTrue();
    }

    @Test
    void preferesCallIdOverStreamSidWhicheverComesFirst() {
        assertThat(scanAllWays("{\"event\":\"stop\",\"streamSid\":\"S\",\"callId\":\"C\"}").callId()).isEqualTo("C");
        assertThat(scanAllWays("{\"event\":\"stop\",\"callId\":\"C\",\"streamSid\":\"S\"}").callId()).isEqualTo("C");
        assertThat(scanAllWays("{\"event\":\"stop\",\"streamSid\":\"S\"}").callId()).isEqualTo("S");
    }

    @Test
    void skipsUnknownMembersIncludingNestedObjectsAndArrays() {
        final String json = "{\"x\":{\"a\":[1,{\"b\":[]},{}],\"c\":null,\"event\":\"stop\",\"payload\":5},"
                + "\"event\":\"media\",\"sequenceNumber\":\"3\",\"callId\":\"" + CALL_ID + "\","
                + "\"y\":[true,false,-1.5e3,0,1E+2,\"s\\\"]}\",[[]]],\"payload\":" + bufferJson(RTP) + ","
                + "\"media\":{\"chunk\":\"1\",\"extra\":{\"payload\":\"!!!\"}},\"timestamp\":1}";
        final Scanned s = scanAllWays(json);

        assertThat(s.accepted()).isTrue();
        assertThat(s.event()).isEqualTo(MediaEventKind.MEDIA);
        assertThat(s.payload()).isEqualTo(RTP);
    }

    static Stream<Arguments> controlEvents() {
        return Stream.of(
                Arguments.of("{\"event\":\"connected\",\"callId\":\"call_123456789\",\"mobileNo\":\"4155551234\"}",
                        MediaEventKind.CONNECTED, "call_123456789"),
                Arguments.of("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}",
                        MediaEventKind.CONNECTED, null),
                Arguments.of("{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"streamSid\":\"X\","
                        + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1},"
                        + "\"customParameters\":{\"payload\":1}},\"streamSid\":\"MZ1\"}", MediaEventKind.START, "MZ1"),
                Arguments.of("{\"event\":\"mark\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"m1\"}}",
                        MediaEventKind.MARK, "MZ1"),
                Arguments.of("{\"event\":\"stop\",\"callId\":\"c\"}", MediaEventKind.STOP, "c"),
                Arguments.of("{\"streamSid\":\"MZ1\",\"event\":\"dtmf\",\"dtmf\":{\"digit\":\"1\"}}",
                        MediaEventKind.DTMF, "MZ1"),
                Arguments.of("{\"event\":\"st\\u006fp\"}", MediaEventKind.STOP, null),
                Arguments.of("{\"event\":\"greeting\",\"payload\":\"audioBuffer\"}", MediaEventKind.UNKNOWN, null),
                Arguments.of("{\"event\":\"MEDIA\"}", MediaEventKind.UNKNOWN, null),
                Arguments.of("{\"event\":\"\"}", MediaEventKind.UNKNOWN, null));
    }

    @ParameterizedTest
    @MethodSource("controlEvents")
    void classifiesControlEventsWithoutDecodingTheirPayload(String json, MediaEventKind kind, String id) {
        final Scanned s = scanAllWays(json);

        assertThat(s.accepted()).isTrue();
        assertThat(s.event()).isEqualTo(kind);
        assertThat(s.callId()).isEqualTo(id);
        assertThat(s.form()).isEqualTo(PayloadForm.NONE);
    }

    @ParameterizedTest
    @EnumSource(value = MediaEventKind.class, names = "UNKNOWN",
            mode = EnumSource.Mode.EXCLUDE)
    void mapsEachLowerCaseEventNameToItsKind(MediaEventKind kind) {
        final String name = kind.name().toLowerCase(Locale.ROOT);
        assertThat(scanAllWays("{\"event\":\"" + name + "\",\"payload\":\"AAAA\"}").event()).isEqualTo(kind);
    }

    @Test
    void ignoresBadPayloadAndTimestampOfControlEvents() {
        final Scanned s = scanAllWays("{\"payload\":\"!!!\",\"event\":\"stop\",\"timestamp\":\"x\"}");

        assertThat(s.accepted()).isTrue();
        assertThat(s.hasTimestamp()).isFalse();
    }

    static Stream<Arguments> base64Variants() {
        final byte[] bytes = {(byte) 0xFB, (byte) 0xFF, (byte) 0xBF, 0x01};
        return Stream.of(
                Arguments.of("\"+/+/AQ==\"", bytes),
                Arguments.of("\"-_-_AQ==\"", bytes),
                Arguments.of("\"+/+/AQ\"", bytes),
                Arguments.of("\"+\\/+\\/AQ==\"", bytes),
                Arguments.of("\"\\u002B/+/A\\u0051==\"", bytes),
                Arguments.of("\"QUI=\"", "AB".getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("\"QUI\"", "AB".getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("\"QUJD\"", "ABC".getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("\"\"", new byte[0]));
    }

    @ParameterizedTest
    @MethodSource("base64Variants")
    void decodesBase64InEitherAlphabetWithOrWithoutPadding(String payload, byte[] expected) {
        final Scanned s = scanAllWays(alohaaMedia("\"c\"", payload, "1"));

        assertThat(s.accepted()).isTrue();
        assertThat(s.payload()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"Buffer\",\"data\":[]}",
        "{\"data\":[],\"type\":\"Buffer\"}",
        "{\"type\":\"Buffer\",\"data\":[  ],\"extra\":{\"data\":[300]}}",
        "{\"type\":\"Buff\\u0065r\",\"d\\u0061ta\":[]}"
    })
    void acceptsBufferJsonVariants(String payload) {
        final Scanned s = scanAllWays(alohaaMedia("\"c\"", payload, "1"));

        assertThat(s.accepted()).isTrue();
        assertThat(s.form()).isEqualTo(PayloadForm.BUFFER_JSON);
        assertThat(s.payload()).isEmpty();
    }

    static Stream<Arguments> timestamps() {
        return Stream.of(
                Arguments.of("0", true, 0L),
                Arguments.of("-0", true, 0L),
                Arguments.of("\"007\"", true, 7L),
                Arguments.of("12345678901234567", true, 12345678901234567L),
                Arguments.of("-12345678901234567", true, -12345678901234567L),
                Arguments.of("123456789012345678", true, 123456789012345678L),
                Arguments.of("9223372036854775807", true, Long.MAX_VALUE),
                Arguments.of("-9223372036854775808", true, Long.MIN_VALUE),
                Arguments.of("\"-9223372036854775808\"", true, Long.MIN_VALUE),
                Arguments.of("null", false, 0L));
    }

    @ParameterizedTest
    @MethodSource("timestamps")
    void parsesTimestampsAsLongs(String timestamp, boolean present, long expected) {
        final Scanned s = scanAllWays(alohaaMedia("\"c\"", "\"AAAA\"", timestamp));

        assertThat(s.accepted()).isTrue();
        assertThat(s.hasTimestamp()).isEqualTo(present);
        assertThat(s.timestamp()).isEqualTo(expected);
    }

    @Test
    void acceptsMediaWithoutTimestamp() {
        final Scanned s = scanAllWays("{\"event\":\"media\",\"payload\":\"AAAA\"}");

        assertThat(s.accepted()).isTrue();
        assertThat(s.hasTimestamp()).isFalse();
        assertThat(s.callId()).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 160, 172, 8192})
    void decodesPayloadsThatExactlyFillTheDestination(int size) {
        final byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        for (String payload : new String[] {bufferJson(data), base64Json(data)}) {
            final Scanned s = scanAllWays(alohaaMedia("\"c\"", payload, "1"), size);

            assertThat(s.accepted()).isTrue();
            assertThat(s.payload()).isEqualTo(data);
        }
    }

    @Test
    void acceptsNestingUpToTheLimit() {
        final int inner = MediaEventScanner.MAX_DEPTH - 1; // the top-level object is the first level
        final String json = "{\"event\":\"stop\",\"x\":" + "[".repeat(inner) + "]".repeat(inner) + "}";

        assertThat(scanAllWays(json).accepted()).isTrue();
    }
}
