package dev.relay.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The audio every simulated call loops: the 20 ms μ-law payloads (160 bytes each) of the reference
 * speech clip {@code speech_8k_pcmu_rtp.bin} (RFC 4571 framed RTP, see the testdata README). The
 * RTP headers are dropped: each call writes its own (SSRC, sequence, timestamp).
 */
public final class SpeechClip {
    public static final String RTP_FILE = "speech_8k_pcmu_rtp.bin";
    /** μ-law bytes per 20 ms frame at 8 kHz. */
    public static final int FRAME_BYTES = 160;

    private final byte[][] frames;
    private final String source;

    private SpeechClip(byte[][] frames, String source) {
        this.frames = frames;
        this.source = source;
    }

    /** The clip from {@code dir/speech_8k_pcmu_rtp.bin}. */
    public static SpeechClip load(Path dir) throws IOException {
        Path file = dir.resolve(RTP_FILE);
        byte[] all = Files.readAllBytes(file);
        List<byte[]> payloads = new ArrayList<>();
        for (int off = 0; off + 2 <= all.length; ) {
            int len = ((all[off] & 0xFF) << 8) | (all[off + 1] & 0xFF);
            if (off + 2 + len > all.length || len != 12 + FRAME_BYTES || (all[off + 2] & 0xC0) != 0x80) {
                throw new IOException(file + ": record at " + off + " is not a 172-byte RTP packet");
            }
            byte[] payload = new byte[FRAME_BYTES];
            System.arraycopy(all, off + 2 + 12, payload, 0, FRAME_BYTES);
            payloads.add(payload);
            off += 2 + len;
        }
        if (payloads.isEmpty()) {
            throw new IOException(file + ": no packets");
        }
        return new SpeechClip(payloads.toArray(new byte[0][]), file.toString());
    }

    /**
     * The first testdata directory that holds the clip: {@code explicit} when given, else the
     * {@code testdata.dir} system property, else {@code ../shared/testdata} beside the repository.
     */
    public static Path locate(Path explicit, Path repoRoot) {
        if (explicit != null) {
            return explicit;
        }
        String prop = System.getProperty("testdata.dir");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        return repoRoot.resolve("../shared/testdata").normalize();
    }

    public int frameCount() {
        return frames.length;
    }

    /** Payload of clip frame {@code i} (not copied: do not modify). */
    public byte[] frame(int i) {
        return frames[i];
    }

    public String source() {
        return source;
    }
}
