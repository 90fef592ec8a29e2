package dev.relay.core.net;

import java.util.SplittableRandom;

/** Random strings for the JSON writers' tests: quotes, escapes, control characters and all of Unicode's widths. */
public final class JsonStrings {
    /** One-char pieces every JSON quoting agrees on, and the ones that need care. */
    private static final String[] PIECES = {
        "a", "Z", "0", "9", "-", "_", " ", "/", "\"", "\\", "é", "中", "\u2028", "\u007f",
    };
    private static final String[] CONTROL = {"\n", "\t", "\r", "\b", "\f", "\u0000", "\u0001", "\u001f"};
    private static final String[] SURROGATES = {"\ud83d\ude00", "\ud800", "\udfff"};

    private JsonStrings() {}

    /**
     * A string of up to {@code maxChars} pieces; with {@code control}, control characters may occur,
     * with {@code surrogates}, supplementary characters and lone surrogates.
     */
    public static String random(SplittableRandom random, int maxChars, boolean control, boolean surrogates) {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(maxChars + 1);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(10);
            if (kind == 0 && control) {
                b.append(CONTROL[random.nextInt(CONTROL.length)]);
            } else if (kind == 1 && surrogates) {
                b.append(SURROGATES[random.nextInt(SURROGATES.length)]);
            } else {
                b.append(PIECES[random.nextInt(PIECES.length)]);
            }
        }
        return b.toString();
    }
}
