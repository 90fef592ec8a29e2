package dev.relay.codec.wav;

import java.io.IOException;

/**
 * The bytes are not a WAV file this package can read; the message names exactly what is wrong
 * (for example {@code "fmt chunk missing"} or {@code "sample rate 0"}). It is the only exception
 * {@link WavReader} throws for any byte input.
 */
public final class WavFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** An exception with the given message. */
    public WavFormatException(String message) {
        super(message);
    }
}
