package dev.relay.core.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.net.Json;
import dev.relay.core.net.JsonStrings;
import dev.relay.core.net.MediaStreamsWriter;
import dev.relay.core.net.MediaStreamsWriter.Layout;
import dev.relay.core.net.MediaStreamsWriter.SidAt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Before EnvelopeOutbound goes: the one Media Streams writer, sid after the event, writes its bytes
 * for every sid without control characters or surrogates, and the same JSON for control characters
 * and supplementary characters (JsonOut wrote those as {@code \u005Cu00xx} and raw UTF-8, Jackson as
 * short escapes and escaped pairs). A lone surrogate, which the old UTF-8 conversion turned into
 * {@code ?}, is now sent back as the peer sent it.
 */
class EnvelopeOutboundEquivalenceTest {
    private static final Layout TELEPHONY = Layout.everywhere(SidAt.AFTER_EVENT);

    @Test
    void everyMessageIsByteForByteTheSameForOrdinarySids() throws Exception {
        compare(false, 44);
    }

    @Test
    void controlCharactersAndSurrogatesInASidGiveTheSameJson() throws Exception {
        compare(true, 45);
    }

    private static void compare(boolean exotic, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 2000; round++) {
            String sid = JsonStrings.random(random, 40, exotic, exotic);
            if (hasLoneSurrogate(sid)) {
                continue;
            }
            byte[] sidUtf8 = sid.getBytes(StandardCharsets.UTF_8);
            MediaStreamsWriter now = new MediaStreamsWriter(sid, TELEPHONY);
            int length = random.nextInt(700);
            byte[] audio = new byte[length + 2];
            random.nextBytes(audio);
            String name = "relay-" + random.nextInt(1_000_000);
            byte[] nameUtf8 = name.getBytes(StandardCharsets.UTF_8);

            same(exotic, written(out -> EnvelopeOutbound.writeMedia(out, sidUtf8, audio, 2, length)),
                    written(out -> now.playMedia(out, audio, 2, length)));
            same(exotic, written(out -> EnvelopeOutbound.writeMark(out, sidUtf8, nameUtf8)),
                    written(out -> now.playMark(out, name)));
            same(exotic, written(out -> EnvelopeOutbound.writeClear(out, sidUtf8)), written(now::clear));
            int max = random.nextInt(1 << 16);
            assertThat(now.maxPlayBytesPerMessage(max))
                    .isEqualTo(EnvelopeOutbound.maxAudioBytesPerMessage(max, sidUtf8.length));
        }
    }

    @Test
    void aLoneSurrogateInASidIsSentBackAsThePeerSentIt() throws Exception {
        String sid = "a\ud800b";
        MediaStreamsWriter now = new MediaStreamsWriter(sid, TELEPHONY);
        byte[] json = written(now::clear);
        assertThat(new String(json, StandardCharsets.US_ASCII))
                .isEqualTo("{\"event\":\"clear\",\"streamSid\":\"a\\uD800b\"}");
        assertThat(Json.MAPPER.readTree(json).path("streamSid").asText()).isEqualTo(sid);
        byte[] old = written(out -> EnvelopeOutbound.writeClear(out, sid.getBytes(StandardCharsets.UTF_8)));
        assertThat(Json.MAPPER.readTree(old).path("streamSid").asText()).isEqualTo("a?b");
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static void same(boolean exotic, byte[] old, byte[] now) throws Exception {
        if (exotic) {
            assertThat(Json.MAPPER.readTree(now)).isEqualTo(Json.MAPPER.readTree(old));
        } else {
            assertThat(now).isEqualTo(old);
        }
    }

    private static byte[] written(Consumer<ByteBuf> writer) {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.heapBuffer(16);
        try {
            writer.accept(out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
