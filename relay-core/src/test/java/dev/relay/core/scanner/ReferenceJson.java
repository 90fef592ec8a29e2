package dev.relay.core.scanner;


/**
 * A deliberately plain recursive-descent JSON (RFC 8259) validator, written
 * independently of {@link JsonSyntax}, used as the oracle in differential tests.
 * Reports the first problem in document order, like the scanner.
 */
public final class ReferenceJson {
    public enum Verdict { VALID, INVALID, TOO_DEEP }

    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final Verdict verdict;

        Stop(Verdict verdict) {
            super(null, null, false, false);
            this.verdict = verdict;
        }
    }

    private final byte[] b;
    private final int end;
    private final int maxDepth;
    private int p;

    private ReferenceJson(byte[] b, int off, int len, int maxDepth) {
        this.b = b;
        this.p = off;
        this.end = off + len;
        this.maxDepth = maxDepth;
    }

    /** Verdict on {@code b[off..off+len)} as one document with at most {@code maxDepth} nested containers. */
    public static Verdict validate(byte[] b, int off, int len, int maxDepth) {
        final ReferenceJson r = new ReferenceJson(b, off, len, maxDepth);
        try {
            r.ws();
            r.value(0);
            r.ws();
            return r.p == r.end ? Verdict.VALID : Verdict.INVALID;
        } catch (Stop s) {
            return s.verdict;
        }
    }

    private int peek() {
        return p < end ? b[p] & 0xFF : -1;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new Stop(Verdict.INVALID);
        }
        p++;
    }

    private void ws() {
        while (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r') {
            p++;
        }
    }

    private void value(int depth) {
        final int c = peek();
        if (c == '{' || c == '[') {
            if (depth + 1 > maxDepth) {
                throw new Stop(Verdict.TOO_DEEP);
            }
            container(c == '{', depth + 1);
        } else if (c == '"') {
            string();
        } else if (c == 't') {
            literal("true");
        } else if (c == 'f') {
            literal("false");
        } else if (c == 'n') {
            literal("null");
        } else {
            number();
        }
    }

    private void container(boolean object, int depth) {
        p++;
        ws();
        final char close = object ? '}' : ']';
        if (peek() == close) {
            p++;
            return;
        }
        while (true) {
            if (object) {
                string();
                ws();
                expect(':');
                ws();
            }
            value(depth);
            ws();
            if (peek() == ',') {
                p++;
                ws();
                continue;
            }
            expect(close);
            return;
        }
    }

    private void string() {
        expect('"');
        while (true) {
            final int c = peek();
            if (c < 0 || c < 0x20) {
                throw new Stop(Verdict.INVALID);
            }
            p++;
            if (c == '"') {
                return;
            }
            if (c == '\\') {
                final int e = peek();
                p++;
                if (e == 'u') {
                    for (int i = 0; i < 4; i++) {
                        if (Character.digit(peek(), 16) < 0) {
                            throw new Stop(Verdict.INVALID);
                        }
                        p++;
                    }
                } else if ("\"\\/bfnrt".indexOf(e) < 0 || e < 0) {
                    throw new Stop(Verdict.INVALID);
                }
            }
        }
    }

    private void literal(String word) {
        for (int i = 0; i < word.length(); i++) {
            expect(word.charAt(i));
        }
    }

    private void number() {
        if (peek() == '-') {
            p++;
        }
        if (peek() == '0') {
            p++;
        } else {
            digits();
        }
        if (peek() == '.') {
            p++;
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            p++;
            if (peek() == '+' || peek() == '-') {
                p++;
            }
            digits();
        }
    }

    private void digits() {
        if (peek() < '0' || peek() > '9') {
            throw new Stop(Verdict.INVALID);
        }
        while (peek() >= '0' && peek() <= '9') {
            p++;
        }
    }
}
