package dev.relay.core.control.audio;

import dev.relay.codec.transcode.Pcm16ToUlaw8k;
import dev.relay.codec.wav.WavFormat;
import dev.relay.codec.wav.WavFormatException;
import dev.relay.codec.wav.WavHeader;
import dev.relay.codec.wav.WavReader;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a pushed audio body holds, read from its {@code Content-Type} (and WAV header): the bytes
 * of {@code body[offset .. offset+length)} are μ-law 8 kHz, or PCM16 mono at {@link #rateHz}.
 *
 * <p>Accepted types:
 * <ul>
 *   <li>{@code audio/wav} (also {@code audio/x-wav}, {@code audio/wave}, {@code audio/vnd.wave}):
 *       mono μ-law at 8 kHz, or mono 16-bit PCM at 8, 16, 24 or 48 kHz. A data chunk that runs
 *       past the end of the body (a streaming writer's header) plays what is present.</li>
 *   <li>{@code audio/pcmu} (also {@code audio/basic}): raw μ-law; {@code rate}, if given, 8000.</li>
 *   <li>{@code audio/l16;rate=N}: raw 16-bit PCM, N one of 8000, 16000, 24000, 48000. Big-endian
 *       (network order) as RFC 3551 §4.5.11 and RFC 2586 define it, unless
 *       {@code ;endianness=little} is given, for engines that emit little-endian raw PCM.</li>
 * </ul>
 * Any {@code channels} parameter must be 1. Stateless; thread-safe.
 *
 * @param pcm16 false for μ-law 8 kHz, true for 16-bit PCM
 * @param rateHz sample rate of the body's samples
 * @param bigEndian byte order of PCM16 samples
 * @param body the request body, not copied
 * @param offset first audio byte
 * @param length audio bytes (a whole number of samples)
 */
public record PushedAudio(boolean pcm16, int rateHz, boolean bigEndian, byte[] body, int offset, int length) {

    /** Reads {@code body} as {@code contentType} says. */
    public static PushedAudio parse(String contentType, byte[] body) throws AudioRejected {
        if (contentType == null || contentType.isBlank()) {
            throw AudioRejected.unsupported("Content-Type required: audio/wav, audio/pcmu or audio/l16;rate=N");
        }
        String[] parts = contentType.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        Map<String, String> params = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                String value = parts[i].substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                params.put(parts[i].substring(0, eq).trim().toLowerCase(Locale.ROOT), value.toLowerCase(Locale.ROOT));
            }
        }
        String channels = params.get("channels");
        if (channels != null && !channels.equals("1")) {
            throw AudioRejected.unsupported(type + " with " + channels + " channels is not supported: send mono");
        }
        switch (type) {
            case "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave":
                return wav(body);
            case "audio/pcmu", "audio/basic":
                String rate = params.get("rate");
                if (rate != null && !rate.equals("8000")) {
                    throw AudioRejected.unsupported("audio/pcmu must be 8000 Hz, got rate=" + rate);
                }
                return new PushedAudio(false, 8000, false, body, 0, body.length);
            case "audio/l16":
                return l16(params, body);
            default:
                throw AudioRejected.unsupported("unsupported Content-Type " + type
                        + ": send audio/wav, audio/pcmu or audio/l16;rate=N");
        }
    }

    /** Whole samples in the body. */
    public int samples() {
        return pcm16 ? length / 2 : length;
    }

    /**
     * The μ-law 8 kHz mono the provider plays, in a new array (never the body): μ-law is copied,
     * PCM16 goes through relay-codec's {@link Pcm16ToUlaw8k} as one segment, so a clip of
     * {@code n} samples at {@code M × 8 kHz} gives {@code ceil(n / M)} bytes aligned with it.
     */
    public byte[] toUlaw() {
        return pcm16 ? Pcm16ToUlaw8k.clip(body, offset, samples() * 2, rateHz, bigEndian)
                : Arrays.copyOfRange(body, offset, offset + length);
    }

    /** Playing time of {@code ulawBytes} μ-law bytes at 8 kHz, in milliseconds (rounded down). */
    public static long ulawDurationMs(int ulawBytes) {
        return ulawBytes / 8L;
    }

    private static PushedAudio wav(byte[] body) throws AudioRejected {
        WavHeader h;
        try {
            h = WavReader.read(body);
        } catch (WavFormatException e) {
            throw new AudioRejected(400, "bad_wav", e.getMessage());
        }
        WavFormat f = h.format();
        if (f.channels() != 1) {
            throw AudioRejected.unsupported((f.channels() == 2 ? "stereo" : f.channels() + "-channel")
                    + " WAV is not supported: send mono (" + f + ")");
        }
        int length = h.frames() * f.blockAlign();
        switch (f.encoding()) {
            case MULAW:
                if (f.sampleRateHz() != 8000) {
                    throw AudioRejected.unsupported("μ-law WAV must be 8000 Hz, got " + f.sampleRateHz() + " Hz");
                }
                return new PushedAudio(false, 8000, false, body, h.dataOffset(), length);
            case PCM:
                if (f.bitsPerSample() != 16) {
                    throw AudioRejected.unsupported("PCM WAV must be 16-bit, got " + f.bitsPerSample() + "-bit");
                }
                checkPcmRate(f.sampleRateHz(), "PCM16 WAV");
                return new PushedAudio(true, f.sampleRateHz(), false, body, h.dataOffset(), length);
            default:
                throw AudioRejected.unsupported(f.encoding() + " WAV is not supported: send μ-law 8 kHz or PCM16");
        }
    }

    private static PushedAudio l16(Map<String, String> params, byte[] body) throws AudioRejected {
        String rate = params.get("rate");
        if (rate == null) {
            throw AudioRejected.unsupported("audio/l16 needs a rate parameter, e.g. audio/l16;rate=16000");
        }
        int rateHz;
        try {
            rateHz = Integer.parseInt(rate);
        } catch (NumberFormatException e) {
            throw AudioRejected.unsupported("audio/l16 rate must be a number, got " + rate);
        }
        checkPcmRate(rateHz, "audio/l16");
        String endianness = params.getOrDefault("endianness", "big");
        if (!endianness.equals("big") && !endianness.equals("little")) {
            throw AudioRejected.unsupported("audio/l16 endianness must be big or little, got " + endianness);
        }
        if ((body.length & 1) != 0) {
            throw AudioRejected.bad("audio/l16 body has an odd number of bytes (" + body.length + ")");
        }
        return new PushedAudio(true, rateHz, endianness.equals("big"), body, 0, body.length);
    }

    private static void checkPcmRate(int rateHz, String what) throws AudioRejected {
        if (rateHz != 8000 && rateHz != 16000 && rateHz != 24000 && rateHz != 48000) {
            throw AudioRejected.unsupported(what + " sample rate must be 8000, 16000, 24000 or 48000 Hz, got "
                    + rateHz);
        }
    }
}
