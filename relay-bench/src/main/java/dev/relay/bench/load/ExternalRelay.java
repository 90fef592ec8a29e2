package dev.relay.bench.load;

import java.net.URI;

/**
 * A relay the generator did not start ({@code --target URL}): metrics only when
 * {@code --target-metrics} is given, CPU and RSS only with {@code --target-pid} on this host.
 */
final class ExternalRelay implements RelayUnderTest {
    private final URI mediaUrl;
    private final URI metrics;
    private final long pid;
    private final URI control;

    ExternalRelay(LoadOptions o) {
        this.mediaUrl = URI.create(o.target);
        this.metrics = o.targetMetrics == null ? null : URI.create(o.targetMetrics);
        this.pid = o.targetPid;
        this.control = o.targetControl == null ? null : URI.create(o.targetControl);
        String scheme = mediaUrl.getScheme();
        if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
            throw new LoadOptions.BadArgument("--target must be a ws:// or wss:// URL, got " + o.target);
        }
    }

    @Override
    public URI mediaUrl() {
        return mediaUrl;
    }

    @Override
    public URI controlUrl() {
        return control;
    }

    @Override
    public String describe() {
        return "external " + mediaUrl + (pid > 0 ? " pid " + pid : "");
    }

    @Override
    public String scrape() {
        if (metrics == null) {
            return null;
        }
        return MetricsText.fetch(metrics);
    }

    @Override
    public String pid() {
        return pid > 0 ? Long.toString(pid) : null;
    }

    @Override
    public boolean procIsRelayOnly() {
        return true;
    }

    @Override
    public void close() {}
}
