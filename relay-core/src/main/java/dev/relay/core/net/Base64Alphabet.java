package dev.relay.core.net;

import java.util.Arrays;

/**
 * Base64 tables (RFC 4648 §4 and §5), shared by the inbound decoder and the
 * envelope encoder.
 */
public final class Base64Alphabet {
    /** Standard alphabet, used when encoding (what Twilio-style peers expect). */
    public static final byte[] ENCODE = new byte[64];

    /**
     * Sextet value of each byte, or -1. Both the standard ({@code +/}) and the
     * URL-safe ({@code -_}) alphabets decode, because peers differ and both are
     * unambiguous; {@code =} is -1 and handled by the decoder.
     */
    public static final byte[] DECODE = new byte[256];

    static {
        final String standard = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        Arrays.fill(DECODE, (byte) -1);
        for (int i = 0; i < 64; i++) {
            ENCODE[i] = (byte) standard.charAt(i);
            DECODE[standard.charAt(i)] = (byte) i;
        }
        DECODE['-'] = 62;
        DECODE['_'] = 63;
    }

    private Base64Alphabet() {}
}
