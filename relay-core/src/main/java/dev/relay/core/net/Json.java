package dev.relay.core.net;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * The relay's one Jackson configuration, for every JSON it reads or writes off the media path
 * (control API, webhooks, sinks' control messages, cluster wire, Engine.IO handshakes, tests and
 * tools). Media never goes through it: the scanner and the envelope writers work on bytes.
 *
 * <p>The configuration is Jackson's defaults, which every one of the former per-class mappers used:
 * unknown properties fail data binding, a duplicated key keeps its last value, non-ASCII is written
 * as UTF-8 (supplementary characters as escaped surrogate pairs), control characters as the short
 * escapes or {@code \u005Cu00XX}. {@link #STRICT_READER} differs on purpose, see there.
 *
 * <p>Thread-safe: Jackson's mapper and readers may be shared once configured. Never reconfigure
 * {@link #MAPPER} (a change would reach every user); derive an {@link ObjectReader} or
 * {@code ObjectWriter} from it instead, as {@link #STRICT_READER} does.
 */
public final class Json {
    /** The shared mapper: Jackson's defaults. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * {@link #MAPPER}'s configuration, but a duplicated key is an error: for client input where a
     * silently dropped value would change the request's meaning (the keywords route, where
     * {@code {"a":"x","a":"y"}} would otherwise set one keyword instead of failing).
     */
    public static final ObjectReader STRICT_READER =
            MAPPER.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private Json() {}
}
