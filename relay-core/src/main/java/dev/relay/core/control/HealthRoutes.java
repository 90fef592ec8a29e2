package dev.relay.core.control;

import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import dev.relay.core.net.http.ControlRoute;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /healthz} (the process answers) and {@code GET /readyz} (it should get new calls).
 * Neither needs the token: they reveal nothing and are what load balancers and orchestrators poll.
 */
public final class HealthRoutes {
    private HealthRoutes() {}

    /**
     * @param ready true once every listener is bound
     * @param draining true once a graceful shutdown has begun (wins over {@code ready})
     */
    public static List<ControlRoute> create(BooleanSupplier ready, BooleanSupplier draining) {
        return create(() -> {
            if (draining.getAsBoolean()) {
                return ControlResponse.error(503, "draining", "relay is shutting down");
            }
            if (!ready.getAsBoolean()) {
                return ControlResponse.error(503, "not_ready", "listeners not bound yet");
            }
            return ControlResponse.json(200, ControlResponse.fields("status", "ready"));
        });
    }

    /** @param readiness the whole {@code /readyz} answer (the node's state decides it) */
    public static List<ControlRoute> create(Supplier<ControlResponse> readiness) {
        return List.of(
                new Probe("/healthz", () -> ControlResponse.json(200, ControlResponse.fields("status", "ok"))),
                new Probe("/readyz", readiness));
    }

    private record Probe(String pattern, Supplier<ControlResponse> answer) implements ControlRoute {
        @Override
        public String method() {
            return "GET";
        }

        @Override
        public CompletableFuture<ControlResponse> handle(ControlRequest request) {
            return CompletableFuture.completedFuture(answer.get());
        }

        @Override
        public boolean requiresAuth() {
            return false;
        }
    }
}
