package dev.relay.core.sink.bot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.net.Json;
import dev.relay.core.scanner.MediaEventRejection;
import dev.relay.core.scanner.MediaEventScanner;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one text message from the bot. {@code media} goes through the telephony side's
 * {@link MediaEventScanner} (no tree, base64 decoded into a per-IO-thread scratch array, which is
 * safe to share because a message is handled to the end before the loop reads the next one); the
 * rare control messages ({@code mark}, {@code clear}) are re-parsed with Jackson. The bot's
 * {@code streamSid} is not checked: there is one stream per connection. IO loop only.
 */
final class BotReader {
    private static final ObjectMapper JSON = Json.MAPPER;

    /** What a message means, told to the connection. */
    interface Listener {
        /** Audio in the stream's encoding, valid until this returns. */
        void media(byte[] payload, int off, int len);

        void mark(String name);

        void clear();

        /** A known event with nothing to do here. */
        void ignored(String event);

        /** Well-formed, but an event this relay does not know. */
        void unknown(ByteBuf content);

        /** Not usable; {@code reason} is a stable snake_case label. */
        void invalid(String reason, ByteBuf content);
    }

    private static final class Scratch {
        final MediaEventScanner scanner = new MediaEventScanner();
        byte[] payload = new byte[0];
    }

    private static final FastThreadLocal<Scratch> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    private final int maxPayloadBytes;

    /** @param maxMessageBytes the largest message the connection accepts */
    BotReader(int maxMessageBytes) {
        // Base64 carries 3 bytes in 4 characters; the envelope around it only makes it smaller.
        this.maxPayloadBytes = maxMessageBytes / 4 * 3 + 3;
    }

    void read(ByteBuf content, Listener listener) {
        Scratch s = SCRATCH.get();
        if (s.payload.length < maxPayloadBytes) {
            s.payload = new byte[maxPayloadBytes];
        }
        MediaEventScanner scanner = s.scanner;
        MediaEventRejection rejection = scanner.scan(content, s.payload, 0);
        if (rejection != MediaEventRejection.NONE) {
            listener.invalid(rejection.label(), content);
            return;
        }
        switch (scanner.event()) {
            case MEDIA -> {
                if (scanner.payloadLength() == 0) {
                    listener.invalid("empty_payload", content);
                } else {
                    listener.media(s.payload, 0, scanner.payloadLength());
                }
            }
            case MARK -> {
                JsonNode tree = parse(content);
                JsonNode name = tree == null ? null : tree.path("mark").path("name");
                if (name == null || !name.isTextual()) {
                    listener.invalid("mark_without_name", content);
                } else {
                    listener.mark(name.asText());
                }
            }
            case CONNECTED -> listener.ignored("connected");
            case START -> listener.ignored("start");
            case STOP -> listener.ignored("stop");
            case DTMF -> listener.ignored("dtmf");
            default -> {
                JsonNode tree = parse(content);
                if (tree != null && "clear".equals(tree.path("event").asText(null))) {
                    listener.clear();
                } else {
                    listener.unknown(content);
                }
            }
        }
    }

    private static JsonNode parse(ByteBuf content) {
        try (InputStream in = new ByteBufInputStream(content.duplicate())) {
            return JSON.readTree(in);
        } catch (IOException e) {
            return null;
        }
    }
}
