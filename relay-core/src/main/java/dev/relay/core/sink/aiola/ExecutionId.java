package dev.relay.core.sink.aiola;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * aiOla's {@code execution_id} (4-24 alphanumerics) for a call, the same on every reconnect of the
 * call so aiOla sees one session:
 *
 * <ul>
 *   <li>a call id that already is 4-24 ASCII letters and digits is used as it is;
 *   <li>any other call id becomes its first (up to 11) ASCII letters and digits followed by 13
 *       base-36 digits of the first 64 bits of its SHA-256, so that ids differing only in
 *       punctuation or beyond the 11th character still map apart (13-24 characters).
 * </ul>
 */
public final class ExecutionId {
    static final int MIN = 4;
    static final int MAX = 24;
    private static final int PREFIX = 11;
    private static final int HASH_DIGITS = 13;

    private ExecutionId() {}

    public static String of(String callId) {
        if (callId.length() >= MIN && callId.length() <= MAX && alphanumeric(callId)) {
            return callId;
        }
        StringBuilder sb = new StringBuilder(MAX);
        for (int i = 0; i < callId.length() && sb.length() < PREFIX; i++) {
            char c = callId.charAt(i);
            if (isAlnum(c)) {
                sb.append(c);
            }
        }
        String hash = Long.toUnsignedString(sha256Prefix(callId), 36);
        sb.append("0".repeat(HASH_DIGITS - hash.length())).append(hash);
        return sb.toString();
    }

    private static boolean alphanumeric(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isAlnum(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static long sha256Prefix(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = v << 8 | (d[i] & 0xFF);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
