package dev.relay.codec.g711;

/**
 * The two G.711 laws as values, for code that picks one at run time (by RTP payload type or WAV
 * format tag) and then runs it per frame without branching on the law itself.
 *
 * <p>Each constant delegates to {@link MuLaw} or {@link ALaw}; stateless and thread-safe.
 */
public enum G711 {
    /** μ-law, RTP payload type 0 (PCMU). */
    MU_LAW(0, MuLaw.SILENCE) {
        @Override
        public short decode(byte code) {
            return MuLaw.decode(code);
        }

        @Override
        public byte encode(int pcm16) {
            return MuLaw.encode(pcm16);
        }

        @Override
        public void decode(byte[] src, int srcOff, short[] dst, int dstOff, int len) {
            MuLaw.decode(src, srcOff, dst, dstOff, len);
        }

        @Override
        public void decode(byte[] src, int srcOff, float[] dst, int dstOff, int len) {
            MuLaw.decode(src, srcOff, dst, dstOff, len);
        }

        @Override
        public void encode(short[] src, int srcOff, byte[] dst, int dstOff, int len) {
            MuLaw.encode(src, srcOff, dst, dstOff, len);
        }
    },

    /** A-law, RTP payload type 8 (PCMA). */
    A_LAW(8, ALaw.SILENCE) {
        @Override
        public short decode(byte code) {
            return ALaw.decode(code);
        }

        @Override
        public byte encode(int pcm16) {
            return ALaw.encode(pcm16);
        }

        @Override
        public void decode(byte[] src, int srcOff, short[] dst, int dstOff, int len) {
            ALaw.decode(src, srcOff, dst, dstOff, len);
        }

        @Override
        public void decode(byte[] src, int srcOff, float[] dst, int dstOff, int len) {
            ALaw.decode(src, srcOff, dst, dstOff, len);
        }

        @Override
        public void encode(short[] src, int srcOff, byte[] dst, int dstOff, int len) {
            ALaw.encode(src, srcOff, dst, dstOff, len);
        }
    };

    private final int rtpPayloadType;
    private final byte silence;

    G711(int rtpPayloadType, byte silence) {
        this.rtpPayloadType = rtpPayloadType;
        this.silence = silence;
    }

    /** The static RTP payload type (RFC 3551): 0 for PCMU, 8 for PCMA. */
    public int rtpPayloadType() {
        return rtpPayloadType;
    }

    /** The code to fill a silent frame with. */
    public byte silence() {
        return silence;
    }

    /** The law for a static RTP payload type, or {@code null} when it is neither 0 nor 8. */
    public static G711 forRtpPayloadType(int payloadType) {
        switch (payloadType) {
            case 0:
                return MU_LAW;
            case 8:
                return A_LAW;
            default:
                return null;
        }
    }

    /** Decodes one code to 16-bit linear PCM. */
    public abstract short decode(byte code);

    /** Encodes one 16-bit linear sample (low 16 bits used). */
    public abstract byte encode(int pcm16);

    /** Bulk decode to 16-bit PCM; see {@link MuLaw#decode(byte[], int, short[], int, int)}. */
    public abstract void decode(byte[] src, int srcOff, short[] dst, int dstOff, int len);

    /** Bulk decode to floats on the 16-bit scale. */
    public abstract void decode(byte[] src, int srcOff, float[] dst, int dstOff, int len);

    /** Bulk encode from 16-bit PCM. */
    public abstract void encode(short[] src, int srcOff, byte[] dst, int dstOff, int len);
}
