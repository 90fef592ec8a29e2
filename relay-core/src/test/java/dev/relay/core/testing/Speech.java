package dev.relay.core.testing;

import dev.relay.codec.resample.HalfBandUpsampler;
import dev.relay.codec.testing.TestData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The reference speech clip as RTP packets, and the comparison of relay output with sox's. */
public final class Speech {
    public static final String RTP_FILE = "speech_8k_pcmu_rtp.bin";
    public static final String REF_16K = "speech_16k_ref_s16le.raw";

    private Speech() {}

    /** The 426 RTP packets of {@code speech_8k_pcmu_rtp.bin} (RFC 4571 framing removed). */
    public static List<byte[]> packets() {
        byte[] all = TestData.bytes(RTP_FILE);
        List<byte[]> packets = new ArrayList<>();
        for (int off = 0; off + 2 <= all.length; ) {
            int len = ((all[off] & 0xFF) << 8) | (all[off + 1] & 0xFF);
            packets.add(Arrays.copyOfRange(all, off + 2, off + 2 + len));
            off += 2 + len;
        }
        return packets;
    }

    /**
     * SNR in dB of {@code out} against the sox 16 kHz reference, aligned by the upsampler's delay,
     * skipping 1000 samples at each end (where both filters see the clip's edges).
     */
    public static double snrAgainstReference(short[] out) {
        short[] ref = TestData.s16le(REF_16K);
        int delay = HalfBandUpsampler.delaySamples();
        int skip = 1000;
        int end = Math.min(ref.length, out.length - delay) - skip;
        double signal = 0;
        double noise = 0;
        for (int n = skip; n < end; n++) {
            double r = ref[n];
            double e = out[n + delay] - r;
            signal += r * r;
            noise += e * e;
        }
        if (end - skip < ref.length / 2) {
            throw new AssertionError("output too short: " + out.length + " samples for " + ref.length);
        }
        return 10 * Math.log10(signal / Math.max(noise, 1e-9));
    }
}
