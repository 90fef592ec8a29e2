package dev.relay.bench.floor;

import dev.relay.core.config.ConfigError;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.config.Settings;
import dev.relay.core.sink.aiola.AiolaConfig;
import dev.relay.core.sink.sessionstream.SessionStreamConfig;
import java.net.URI;
import java.util.List;

/**
 * What the floor takes from the relay's own configuration, so that it runs with exactly the
 * options of the relay it is compared with: the telephony listener (host, port, path, TLS), the
 * control port, the transport and IO loops, the default route's sinks and each sink's server and
 * {@code chunk-ms}. Immutable.
 *
 * @param relay the relay's validated configuration (telephony, control, transport, dsp)
 * @param sinks the default route's sinks, in order: {@code aiola} and/or {@code session-stream}
 * @param aiola aiOla's settings, or null when the route has no {@code aiola}
 * @param sessionStream session-stream's settings, or null when the route has no {@code session-stream}
 */
record FloorSettings(RelayConfig relay, List<String> sinks, AiolaConfig aiola, SessionStreamConfig sessionStream) {
    /** The sinks the floor has a stand-in for. */
    static final List<String> SUPPORTED = List.of("aiola", "session-stream");

    /**
     * The floor's settings for {@code relay}.
     *
     * @throws ConfigError for a default route with a sink the floor cannot stand in for, or a
     *     session-stream wire other than raw (the floor writes binary frames only)
     */
    static FloorSettings from(RelayConfig relay) {
        List<String> sinks = relay.routes().get("default");
        for (String s : sinks) {
            if (!SUPPORTED.contains(s)) {
                throw new ConfigError("relay.routes.default", "the floor forwards to " + SUPPORTED + " only, not '"
                        + s + "'");
            }
        }
        AiolaConfig aiola = sinks.contains("aiola") ? AiolaConfig.from(relay) : null;
        SessionStreamConfig session = null;
        if (sinks.contains("session-stream")) {
            session = SessionStreamConfig.from(new Settings(relay.raw(), "").at("relay.sinks.session-stream"));
            if (session.wire() != SessionStreamConfig.Wire.RAW) {
                throw new ConfigError("relay.sinks.session-stream.wire", "the floor writes raw binary frames only");
            }
            if (!session.configured()) {
                throw new ConfigError("relay.sinks.session-stream.base-url", "required");
            }
        }
        return new FloorSettings(relay, List.copyOf(sinks), aiola, session);
    }

    /** IO loops: {@code relay.dsp.io-threads}, 0 meaning one per core, as the relay counts them. */
    int ioThreads() {
        int n = relay.dsp().ioThreads();
        return n > 0 ? n : Runtime.getRuntime().availableProcessors();
    }

    /** The session-stream create URL, {@code {base}/voice/v1/sessions}. */
    URI sessionsUrl() {
        return URI.create(sessionStream.baseUrl() + "/voice/v1/sessions");
    }
}
