package dev.relay.core.control.audio;

import dev.relay.core.call.Call;
import dev.relay.core.call.CallRegistry;
import dev.relay.core.control.ControlWorkers;
import dev.relay.core.control.calls.CallRoutes;
import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import dev.relay.core.net.http.ControlRoute;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code POST /v1/calls/{callId}/audio} and {@code …/greeting}: plays a pushed clip into the call.
 * The body ({@link PushedAudio} lists the types) is transcoded to μ-law 8 kHz on the
 * {@link ControlWorkers}, never on the IO loop, then handed to the call, which splits it into
 * messages within the provider's size limit. {@code ?interrupt=true} first interrupts whatever
 * is playing; the interrupt reaches the caller before the new audio.
 *
 * <p>Answers 202 {@code {"callId","queuedMs","bytes"}}: the μ-law duration and size queued.
 */
public final class AudioRoute implements ControlRoute {
    /** What the clip becomes in the call. */
    public enum Target {
        /** Outbound {@code media}. */
        AUDIO("/v1/calls/{callId}/audio"),
        /** The provider's {@code greeting}. */
        GREETING("/v1/calls/{callId}/greeting");

        private final String pattern;

        Target(String pattern) {
            this.pattern = pattern;
        }
    }

    private final CallRegistry registry;
    private final ControlWorkers workers;
    private final Target target;

    public AudioRoute(CallRegistry registry, ControlWorkers workers, Target target) {
        this.registry = registry;
        this.workers = workers;
        this.target = target;
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public String pattern() {
        return target.pattern;
    }

    @Override
    public CompletableFuture<ControlResponse> handle(ControlRequest request) {
        String callId = request.pathParams().get("callId");
        Call call = registry.get(callId);
        if (call == null || call.released()) {
            return done(CallRoutes.notFound(callId));
        }
        if (!call.canPlayAudio()) {
            return done(ControlResponse.error(409, "call_cannot_play",
                    "call " + callId + " streams raw PCM, which has no way back to the caller"));
        }
        if (request.body().length == 0) {
            return done(ControlResponse.error(400, "empty_body", "no audio in the request body"));
        }
        String interruptParam = request.queryParam("interrupt");
        boolean interrupt = "true".equals(interruptParam) || "1".equals(interruptParam);
        if (interruptParam != null && !interrupt && !"false".equals(interruptParam) && !"0".equals(interruptParam)) {
            return done(ControlResponse.error(400, "bad_request", "interrupt must be true or false"));
        }
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        try {
            return workers.submit(() -> play(call, contentType, request.body(), interrupt));
        } catch (RejectedExecutionException e) {
            return done(ControlResponse.error(503, "busy", "audio workers busy; retry shortly"));
        }
    }

    /** On a worker thread. */
    private ControlResponse play(Call call, String contentType, byte[] body, boolean interrupt) {
        byte[] ulaw;
        try {
            ulaw = PushedAudio.parse(contentType, body).toUlaw();
        } catch (AudioRejected e) {
            return e.toResponse();
        }
        if (ulaw.length == 0) {
            return ControlResponse.error(400, "bad_audio", "the body holds no audio samples");
        }
        if (call.released()) {
            return CallRoutes.notFound(call.callId());
        }
        if (interrupt) {
            call.interrupt();
        }
        if (target == Target.GREETING) {
            call.playGreeting(ulaw);
        } else {
            call.playAudio(ulaw);
        }
        return ControlResponse.json(202, ControlResponse.fields(
                "callId", call.callId(),
                "queuedMs", PushedAudio.ulawDurationMs(ulaw.length),
                "bytes", ulaw.length));
    }

    private static CompletableFuture<ControlResponse> done(ControlResponse r) {
        return CompletableFuture.completedFuture(r);
    }
}
