package dev.relay.bench.load;

import com.typesafe.config.ConfigFactory;
import dev.relay.bench.floor.FloorRelay;
import dev.relay.core.config.RelayConfig;
import java.net.URI;
import javax.net.ssl.SSLException;

/**
 * The floor inside the generator's JVM ({@code --floor} or {@code --compare-floor} with
 * {@code --in-process}): quick, for tests; its CPU is then the whole process's, so the figures
 * compare nothing. A floor for measuring runs as a separate JVM ({@link RelayProcess}).
 */
final class InProcessFloor implements RelayUnderTest {
    private final FloorRelay floor;
    private final URI mediaUrl;

    private InProcessFloor(FloorRelay floor, URI mediaUrl) {
        this.floor = floor;
        this.mediaUrl = mediaUrl;
    }

    static InProcessFloor start(RelayConfigText text) throws InterruptedException, SSLException {
        RelayConfig config = RelayConfig.from(ConfigFactory.parseString(text.text())
                .withFallback(ConfigFactory.defaultReference()).resolve());
        return new InProcessFloor(FloorRelay.start(config), text.mediaUrl());
    }

    @Override
    public URI mediaUrl() {
        return mediaUrl;
    }

    @Override
    public URI controlUrl() {
        return null;
    }

    @Override
    public String describe() {
        return "floor, in-process (java " + Runtime.version().feature() + ", shares the generator's CPU and heap)";
    }

    @Override
    public String scrape() {
        return floor.metricsText();
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
    public void close() {
        floor.close();
    }
}
