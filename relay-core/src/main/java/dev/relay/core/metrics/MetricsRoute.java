package dev.relay.core.metrics;

import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import dev.relay.core.net.http.ControlRoute;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code GET /metrics}: the Prometheus text exposition format (0.0.4). The scrape walks the live
 * calls and reads JVM MXBeans, so it runs on {@code executor}, never on the admin server's IO loop.
 */
public final class MetricsRoute implements ControlRoute {
    private final RelayMetrics metrics;
    private final Executor executor;

    /** @param executor where scrapes run (e.g. a small shared worker pool) */
    public MetricsRoute(RelayMetrics metrics, Executor executor) {
        this.metrics = metrics;
        this.executor = executor;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String pattern() {
        return "/metrics";
    }

    @Override
    public CompletableFuture<ControlResponse> handle(ControlRequest request) {
        return CompletableFuture.supplyAsync(
                () -> new ControlResponse(200, metrics.contentType(), metrics.scrapeText()), executor);
    }
}
