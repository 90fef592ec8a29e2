package dev.relay.core.net.http;

import java.util.concurrent.CompletableFuture;

/**
 * One endpoint of the admin API. The server matches {@link #method()} and {@link #pattern()}
 * (literal segments and {@code {name}} placeholders, e.g. {@code /v1/calls/{callId}/audio}),
 * checks auth, bounds the body, and renders the response or error.
 *
 * <p>{@link #handle} runs on an IO loop and must not block: slow work (upstream HTTP, file I/O,
 * transcoding of large bodies) completes the returned future from elsewhere. The future must
 * always complete (give upstream calls a timeout): the connection serves nothing else until it
 * does. An exception, thrown or in the future, becomes 500 {@code internal_error}.
 */
public interface ControlRoute {
    /** HTTP method, upper case. */
    String method();

    /** True when this route serves {@code method} (upper case); by default only {@link #method()}. */
    default boolean accepts(String method) {
        return method().equals(method);
    }

    /** Path pattern with {@code {name}} placeholders. */
    String pattern();

    CompletableFuture<ControlResponse> handle(ControlRequest request);

    /**
     * Whether the bearer token is checked for this route (when one is configured). Only probes
     * that reveal nothing ({@code /healthz}, {@code /readyz}) answer without it, so load balancers
     * and orchestrators can call them.
     */
    default boolean requiresAuth() {
        return true;
    }
}
