package dev.relay.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.net.MediaStreamsWriter.Layout;
import dev.relay.core.net.MediaStreamsWriter.SidAt;
import dev.relay.core.net.MediaStreamsWriter.Start;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The one Media Streams writer: valid JSON, streamSid where the layout says, every field its caller asked for. */
class MediaStreamsWriterTest {
    private static final String SID = "MZ\"1\"\\é😀";
    private static final byte[] AUDIO = {0, 37, 74, 111, (byte) 148};

    @ParameterizedTest
    @EnumSource(SidAt.class)
    void streamSidStandsWhereTheLayoutPutsIt(SidAt at) throws Exception {
        MediaStreamsWriter w = new MediaStreamsWriter(SID, Layout.everywhere(at));
        Start start = new Start("c", null, null, "audio/x-mulaw", 8000);
        List<String> sequenced = switch (at) {
            case AFTER_EVENT -> List.of("event", "streamSid", "sequenceNumber", "body");
            case AFTER_SEQUENCE -> List.of("event", "sequenceNumber", "streamSid", "body");
            case LAST -> List.of("event", "sequenceNumber", "body", "streamSid");
        };
        List<String> unsequenced = at == SidAt.LAST ? List.of("event", "body", "streamSid")
                : List.of("event", "streamSid", "body");

        assertThat(fields(json(out -> w.start(out, 1, start)), "start")).isEqualTo(sequenced);
        assertThat(fields(json(out -> w.media(out, 2, 1, 0, AUDIO, 0, 5)), "media")).isEqualTo(sequenced);
        assertThat(fields(json(out -> w.mark(out, 3, "m")), "mark")).isEqualTo(sequenced);
        assertThat(fields(json(out -> w.stop(out, 4, "c")), "stop")).isEqualTo(sequenced);
        assertThat(fields(json(out -> w.playMedia(out, AUDIO, 0, 5)), "media")).isEqualTo(unsequenced);
        assertThat(fields(json(out -> w.playMark(out, "m")), "mark")).isEqualTo(unsequenced);
        assertThat(json(w::clear).toString()).isEqualTo("{\"event\":\"clear\",\"streamSid\":\"MZ\\\"1\\\"\\\\é😀\"}");
        for (JsonNode m : List.of(json(out -> w.media(out, 2, 1, 0, AUDIO, 0, 5)), json(w::clear))) {
            assertThat(m.path("streamSid").asText()).isEqualTo(SID);
        }
    }

    @Test
    void startCarriesTheOptionalFieldsOnlyWhenGiven() throws Exception {
        MediaStreamsWriter w = new MediaStreamsWriter(SID, Layout.everywhere(SidAt.LAST));
        JsonNode bare = json(out -> w.start(out, 7, new Start("call", null, null, "audio/l16", 16000))).path("start");
        assertThat(names(bare)).containsExactly("streamSid", "callSid", "tracks", "mediaFormat");
        assertThat(bare.path("mediaFormat").toString())
                .isEqualTo("{\"encoding\":\"audio/l16\",\"sampleRate\":16000,\"channels\":1}");

        Map<String, String> custom = new LinkedHashMap<>();
        custom.put("z", "1");
        custom.put("a", null);
        JsonNode full = json(out -> w.start(out, 7, new Start("call", "id", custom, "audio/l16", 16000)))
                .path("start");
        assertThat(names(full)).containsExactly("streamSid", "callSid", "callId", "tracks", "customParameters",
                "mediaFormat");
        assertThat(full.path("customParameters").toString()).isEqualTo("{\"z\":\"1\",\"a\":null}");
        assertThat(json(out -> w.start(out, 7, new Start("c", null, Map.of(), "e", 1))).path("start")
                .path("customParameters").toString()).isEqualTo("{}");
    }

    @Test
    void mediaCarriesCountersAsStringsAndTheAudioAsBase64() throws Exception {
        MediaStreamsWriter w = new MediaStreamsWriter(SID, Layout.everywhere(SidAt.AFTER_EVENT));
        JsonNode m = json(out -> w.media(out, Long.MAX_VALUE, 0, 860, AUDIO, 1, 4));
        assertThat(m.path("sequenceNumber").textValue()).isEqualTo(Long.toString(Long.MAX_VALUE));
        assertThat(m.path("media").toString())
                .isEqualTo("{\"track\":\"inbound\",\"chunk\":\"0\",\"timestamp\":\"860\",\"payload\":\"JUpvlA==\"}");
        assertThatThrownBy(() -> json(out -> w.media(out, 1, -1, 0, AUDIO, 0, 5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The session-stream path (audio in a buffer) writes what the array path writes, for every kind of buffer. */
    @Test
    void mediaFromABufferIsMediaFromItsBytesAndLeavesTheBufferAlone() {
        MediaStreamsWriter w = new MediaStreamsWriter(SID, Layout.everywhere(SidAt.LAST));
        SplittableRandom random = new SplittableRandom(3);
        for (int length : new int[] {0, 1, 2, 3, 4, 640, 641, 3200, 5, 9600}) {
            byte[] pcm = new byte[length];
            random.nextBytes(pcm);
            for (ByteBuf audio : buffers(pcm)) {
                int readerIndex = audio.readerIndex();
                try {
                    byte[] fromBuffer = bytes(out -> w.media(out, 9, 8, 7, audio));
                    byte[] fromArray = bytes(out -> w.media(out, 9, 8, 7, pcm, 0, length));
                    assertThat(fromBuffer).isEqualTo(fromArray);
                    assertThat(fromBuffer.length).isLessThanOrEqualTo(w.mediaLength(length));
                    assertThat(audio.readerIndex()).isEqualTo(readerIndex);
                    assertThat(audio.readableBytes()).isEqualTo(length);
                } finally {
                    audio.release();
                }
            }
        }
    }

    @Test
    void playMediaLengthIsExact() {
        SplittableRandom random = new SplittableRandom(5);
        for (int round = 0; round < 200; round++) {
            MediaStreamsWriter w = new MediaStreamsWriter(JsonStrings.random(random, 30, true, true),
                    Layout.everywhere(SidAt.AFTER_EVENT));
            int length = random.nextInt(100);
            assertThat(bytes(out -> w.playMedia(out, new byte[length], 0, length))).hasSize(w.playMediaLength(length));
        }
    }

    @Test
    void stopCarriesTheReasonWhenGiven() throws Exception {
        MediaStreamsWriter w = new MediaStreamsWriter(SID, Layout.everywhere(SidAt.AFTER_SEQUENCE));
        assertThat(json(out -> w.stop(out, 1, "c")).path("stop").toString()).isEqualTo("{\"callSid\":\"c\"}");
        assertThat(json(out -> w.stop(out, 1, "c", "gone")).path("stop").toString())
                .isEqualTo("{\"callSid\":\"c\",\"reason\":\"gone\"}");
        assertThat(json(MediaStreamsWriter::connected).toString())
                .isEqualTo("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
    }

    private static List<ByteBuf> buffers(byte[] pcm) {
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        int half = pcm.length / 2;
        composite.addComponent(true, Unpooled.directBuffer(half + 1).writeBytes(pcm, 0, half));
        composite.addComponent(true, Unpooled.buffer(pcm.length - half + 1).writeBytes(pcm, half, pcm.length - half));
        return List.of(Unpooled.wrappedBuffer(pcm),
                PooledByteBufAllocator.DEFAULT.directBuffer(pcm.length + 24).writeZero(24).writeBytes(pcm)
                        .skipBytes(24),
                PooledByteBufAllocator.DEFAULT.heapBuffer(pcm.length + 3).writeZero(3).writeBytes(pcm).skipBytes(3),
                composite);
    }

    /** The top-level field names, with the event's own object as {@code body}. */
    private static List<String> fields(JsonNode message, String body) {
        List<String> out = new ArrayList<>();
        message.fieldNames().forEachRemaining(n -> out.add(n.equals(body) ? "body" : n));
        return out;
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static JsonNode json(Consumer<ByteBuf> writer) throws Exception {
        byte[] b = bytes(writer);
        JsonNode node = Json.MAPPER.readTree(b);
        if (node.has("media") && node.path("media").has("payload")) {
            assertThat(Base64.getDecoder().decode(node.path("media").path("payload").asText())).isNotNull();
        }
        return node;
    }

    /** What {@code writer} appends to a heap and to a direct buffer, which must be the same. */
    private static byte[] bytes(Consumer<ByteBuf> writer) {
        byte[] heap = appended(Unpooled.buffer(1), writer);
        byte[] direct = appended(PooledByteBufAllocator.DEFAULT.directBuffer(1), writer);
        assertThat(direct).isEqualTo(heap);
        return heap;
    }

    private static byte[] appended(ByteBuf out, Consumer<ByteBuf> writer) {
        try {
            writer.accept(out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
