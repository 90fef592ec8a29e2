package dev.relay.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A relay the generator did not start ({@code --target URL}): metrics only when
 * {@code --target-metrics} is given, CPU and RSS only with {@code --target-pid} on this host.
 */
final class ExternalRelay implements RelayUnderTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

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
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public ProcStat proc() {
        return pid > 0 ? ProcStat.read(Long.toString(pid)) : null;
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
