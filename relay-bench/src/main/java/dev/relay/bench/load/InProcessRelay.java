package dev.relay.bench.load;

import com.typesafe.config.ConfigFactory;
import dev.relay.core.RelayServer;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.sink.AudioSpan;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import dev.relay.core.sink.SinkFactory;
import dev.relay.core.sink.Sinks;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The relay inside the generator's JVM ({@code --in-process}): quick to start and what the CI
 * smoke test uses, but CPU and RSS are then the whole process's. Offers one extra sink,
 * {@code probe}, which measures the relay's media path alone: intended send to the frame's
 * hand-off to the sinks, with no sink socket in between.
 */
final class InProcessRelay implements RelayUnderTest {
    private final RelayServer relay;
    private final URI mediaUrl;

    private InProcessRelay(RelayServer relay, URI mediaUrl) {
        this.relay = relay;
        this.mediaUrl = mediaUrl;
    }

    /**
     * @param probe the meter of the {@code probe} sink, or null when it is not under test
     * @param calls the simulated call behind a call id (null when unknown)
     */
    static InProcessRelay start(RelayConfigText text, SinkMeter probe, Function<String, SimCall> calls)
            throws InterruptedException {
        RelayConfig config = RelayConfig.from(ConfigFactory.parseString(text.text())
                .withFallback(ConfigFactory.defaultReference()).resolve());
        Map<String, SinkFactory> sinks = new HashMap<>(Sinks.standard(config));
        if (probe != null) {
            sinks.put("probe", new ProbeFactory(probe, calls));
        }
        RelayServer relay = new RelayServer(config, sinks).start();
        return new InProcessRelay(relay, text.mediaUrl());
    }

    @Override
    public URI mediaUrl() {
        return mediaUrl;
    }

    @Override
    public URI controlUrl() {
        return URI.create("http://127.0.0.1:" + relay.controlAddress().getPort() + "/");
    }

    @Override
    public String describe() {
        return "in-process (java " + Runtime.version().feature() + ", shares the generator's CPU and heap)";
    }

    @Override
    public String scrape() {
        return new String(relay.metrics().scrapeText(), StandardCharsets.UTF_8);
    }

    @Override
    public String pid() {
        return "self";
    }

    @Override
    public boolean procIsRelayOnly() {
        return false;
    }

    @Override
    public boolean forceGc() {
        System.gc();
        return true;
    }

    @Override
    public void close() {
        relay.close();
    }

    /** Makes {@code probe} sinks. */
    private record ProbeFactory(SinkMeter meter, Function<String, SimCall> calls) implements SinkFactory {
        @Override
        public String name() {
            return "probe";
        }

        @Override
        public Sink create(CallContext call) {
            return new ProbeSink(meter, calls.apply(call.callId()));
        }
    }

    /** Records each frame's hand-off on the media thread; keeps nothing. */
    private static final class ProbeSink implements Sink {
        private final SinkMeter meter;
        private final SimCall call;
        private long frames;

        ProbeSink(SinkMeter meter, SimCall call) {
            this.meter = meter;
            this.call = call;
        }

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public void open(CallContext context) {}

        @Override
        public void onAudio(AudioSpan frame) {
            frames++;
            if (call == null) {
                meter.unknownCall();
            } else {
                meter.onAudio(call, frame.samples16k(), frame.samples16k() * 2, System.nanoTime());
            }
        }

        @Override
        public void close(String reason) {}

        @Override
        public long framesDropped() {
            return 0;
        }

        @Override
        public long framesIn() {
            return frames;
        }

        @Override
        public long bytesOut() {
            return 0;
        }
    }
}
