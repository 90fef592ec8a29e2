package dev.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.net.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The generator's hand-made client frames: a valid masked RFC 6455 frame whose unmasked payload is
 * the Alohaa media message in each form, carrying exactly the RTP packet meant (header fields at
 * the sequence wrap, the clip's payload bytes).
 */
class FrameWriterTest {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static SpeechClip clip;

    @BeforeAll
    static void load() throws Exception {
        clip = SpeechClip.load(Path.of(System.getProperty("testdata.dir")));
    }

    @Test
    void clipHasEveryPacketOfTheReferenceFile() {
        assertThat(clip.frameCount()).isEqualTo(426);
        assertThat(clip.frame(0)).hasSize(160);
    }

    @ParameterizedTest
    @EnumSource(value = LoadOptions.Form.class, names = {"BUFFER", "BASE64", "BINARY"})
    void writesAMaskedFrameCarryingTheIntendedRtpPacket(LoadOptions.Form form) throws Exception {
        FrameWriter writer = new FrameWriter(new MediaMessages(clip));
        byte[] prefix = MediaMessages.mediaPrefix("lt0000042");
        ByteBuf frame = writer.write(PooledByteBufAllocator.DEFAULT, prefix, form, 37, 65535, 0xFFFF_FF60L, 0xCAFEBABEL,
                false, 1_700_000_000_123L);
        try {
            byte[] payload = unmask(frame, form == LoadOptions.Form.BINARY ? 0x2 : 0x1);
            byte[] rtp;
            if (form == LoadOptions.Form.BINARY) {
                rtp = payload;
            } else {
                JsonNode msg = JSON.readTree(new String(payload, StandardCharsets.US_ASCII));
                assertThat(msg.path("event").asText()).isEqualTo("media");
                assertThat(msg.path("callId").asText()).isEqualTo("lt0000042");
                assertThat(msg.path("timestamp").asLong()).isEqualTo(1_700_000_000_123L);
                JsonNode p = msg.path("payload");
                if (form == LoadOptions.Form.BASE64) {
                    rtp = Base64.getDecoder().decode(p.asText());
                } else {
                    assertThat(p.path("type").asText()).isEqualTo("Buffer");
                    rtp = new byte[p.path("data").size()];
                    for (int i = 0; i < rtp.length; i++) {
                        rtp[i] = (byte) p.path("data").get(i).asInt();
                    }
                }
            }
            assertThat(rtp).hasSize(172);
            assertThat(Arrays.copyOfRange(rtp, 0, 12)).containsExactly(
                    0x80, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x60, 0xCA, 0xFE, 0xBA, 0xBE);
            assertThat(Arrays.copyOfRange(rtp, 12, 172)).isEqualTo(clip.frame(37));
        } finally {
            frame.release();
        }
    }

    @Test
    void markerIsSetWhenAsked() throws Exception {
        FrameWriter writer = new FrameWriter(new MediaMessages(clip));
        ByteBuf frame = writer.write(PooledByteBufAllocator.DEFAULT, MediaMessages.mediaPrefix("x"),
                LoadOptions.Form.BINARY, 0, 7, 0, 1, true, 0);
        try {
            assertThat(unmask(frame, 0x2)[1] & 0xFF).isEqualTo(0x80);
        } finally {
            frame.release();
        }
    }

    /** Checks the frame header (FIN, opcode, MASK bit, length) and returns the unmasked payload. */
    private static byte[] unmask(ByteBuf frame, int opcode) {
        assertThat(frame.getByte(0) & 0xFF).isEqualTo(0x80 | opcode);
        int b1 = frame.getByte(1) & 0xFF;
        assertThat(b1 & 0x80).as("client frames are masked").isEqualTo(0x80);
        int len = b1 & 0x7F;
        int at = 2;
        if (len == 126) {
            len = frame.getUnsignedShort(2);
            at = 4;
        }
        assertThat(frame.readableBytes()).isEqualTo(at + 4 + len);
        byte[] mask = new byte[4];
        frame.getBytes(at, mask);
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            out[i] = (byte) (frame.getByte(at + 4 + i) ^ mask[i & 3]);
        }
        return out;
    }
}
