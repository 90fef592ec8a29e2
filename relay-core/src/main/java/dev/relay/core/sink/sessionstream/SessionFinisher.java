package dev.relay.core.sink.sessionstream;

import dev.relay.core.sink.Backoff;
import dev.relay.core.sink.sessionstream.SessionApi.Answer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of one session, after its upload socket is closed: {@code POST …/end} (retried on a
 * server error or no answer, with backoff, {@code end-retries} times), then {@code GET …} about
 * once per {@code result-poll-interval} while it answers 202 (or fails transiently), until the
 * {@code result-deadline}; the final body becomes a {@code session.result} event, any failure a
 * {@code session.error} naming the step.
 *
 * <p>Runs off the IO loops, on the HTTP client's executor with {@link CompletableFuture#delayedExecutor}
 * for the pauses: it touches only its own fields, one step at a time, and carries on when a relay
 * shutdown has already stopped the call's loop (which would cancel anything scheduled there).
 */
final class SessionFinisher {
    private static final Logger log = LoggerFactory.getLogger(SessionFinisher.class);

    private final SessionApi api;
    private final SessionStreamConfig config;
    private final Executor executor;
    private final Backoff backoff;
    private final String callId;
    private final String sessionId;
    private final BiConsumer<String, Map<String, Object>> publish;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private long deadlineNanos;

    /** @param publish publishes a call event (type, data) for this call's sink */
    SessionFinisher(SessionApi api, SessionStreamConfig config, Executor executor, String callId, String sessionId,
            BiConsumer<String, Map<String, Object>> publish) {
        this.api = api;
        this.config = config;
        this.executor = executor;
        this.backoff = new Backoff(config.stream().reconnectInitialMs(), config.stream().reconnectMaxMs());
        this.callId = callId;
        this.sessionId = sessionId;
        this.publish = publish;
    }

    /** Starts; the future completes (never exceptionally) once the result or a failure is published. */
    CompletableFuture<Void> run() {
        deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.resultDeadlineMs());
        guarded(() -> end(0));
        return done;
    }

    private void end(int attempt) {
        api.end(sessionId).whenComplete((answer, error) -> guarded(() -> ended(attempt, answer)));
    }

    private void ended(int attempt, Answer answer) {
        if (answer.ok()) {
            if (config.resultDeadlineMs() == 0) {
                done.complete(null);
            } else {
                poll(1);
            }
            return;
        }
        if (answer.retryable() && attempt < config.endRetries()) {
            long delay = backoff.delayMs(attempt);
            log.info("session-stream callId={} session={}: end answered {}, retry {} in {} ms",
                    callId, sessionId, answer.describe(), attempt + 1, delay);
            later(delay, () -> end(attempt + 1));
            return;
        }
        error("end", answer, "end session failed after " + (attempt + 1) + " attempt(s): " + answer.describe());
    }

    private void poll(int polls) {
        api.get(sessionId).whenComplete((answer, error) -> guarded(() -> polled(polls, answer)));
    }

    private void polled(int polls, Answer answer) {
        boolean pending = answer.status() == 202 || answer.retryable();
        if (!pending) {
            if (answer.ok()) {
                result(polls, answer);
            } else {
                error("result", answer, "get session failed: " + answer.describe());
            }
            return;
        }
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (leftMs <= 0) {
            error("result", answer, "no final result within " + config.resultDeadlineMs() + " ms (" + polls
                    + " polls, last " + answer.describe() + ")");
            return;
        }
        later(Math.min(config.resultPollIntervalMs(), leftMs), () -> poll(polls + 1));
    }

    private void result(int polls, Answer answer) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("sessionId", sessionId);
        data.put("status", answer.status());
        data.put("polls", polls);
        Map<String, Object> json = BodyText.jsonObject(answer.body());
        if (json != null) {
            data.put("result", json);
        } else {
            data.put("body", BodyText.excerpt(answer.body()));
        }
        publish.accept("session.result", data);
        done.complete(null);
    }

    private void error(String step, Answer answer, String message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("step", step);
        data.put("sessionId", sessionId);
        data.put("status", answer.status());
        data.put("error", message);
        data.put("body", BodyText.excerpt(answer.body()));
        data.put("retrying", false);
        publish.accept("session.error", data);
        done.complete(null);
    }

    private void later(long delayMs, Runnable step) {
        try {
            CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS, executor).execute(() -> guarded(step));
        } catch (RuntimeException e) {
            // The executor is gone (factory shut down): give up rather than leave the call hanging.
            log.warn("session-stream callId={} session={}: cannot continue finishing", callId, sessionId, e);
            done.complete(null);
        }
    }

    /** A step that throws must still end the chain, or the call's sink would never finish. */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RejectedExecutionException e) {
            log.warn(
                    "session-stream callId={} session={}: given up (end or result pending), the relay is shutting down",
                    callId,
                    sessionId);
            done.complete(null);
        } catch (RuntimeException e) {
            log.error("session-stream callId={} session={}: finishing failed", callId, sessionId, e);
            done.complete(null);
        }
    }
}
