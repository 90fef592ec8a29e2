package dev.relay.core.control.events;

import dev.relay.core.config.ConfigError;
import dev.relay.core.config.EventsConfig;
import dev.relay.core.event.CallEvent;
import dev.relay.core.event.EventBus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs every call event as {@link EventJson} to {@code relay.events.webhook-url}.
 *
 * <p>Publishers only append to a bounded queue ({@code relay.events.webhook-queue}); when it is
 * full the oldest event is dropped and counted. Sending happens off the IO and DSP loops: one
 * {@code relay-webhook} thread starts requests on the JDK {@link HttpClient}, whose own threads
 * complete them. Up to {@value #MAX_IN_FLIGHT} requests run at once, so events can arrive out of
 * order; receivers order by {@code ts}. A connection error, timeout, 408, 429 or 5xx is retried
 * with exponential backoff and jitter, {@value #ATTEMPTS} attempts in all; other statuses are
 * final. Failures are logged and counted. Thread-safe.
 */
public final class EventWebhook implements Consumer<CallEvent>, AutoCloseable {
    static final int ATTEMPTS = 3;
    static final int MAX_IN_FLIGHT = 4;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(EventWebhook.class);

    private final URI url;
    private final long retryBaseMs;
    private final HttpClient client;
    private final LinkedBlockingDeque<CallEvent> queue;
    private final ScheduledThreadPoolExecutor sender;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean pumpScheduled = new AtomicBoolean();
    private final Runnable pumpTask = this::pump;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AutoCloseable subscription;

    /**
     * Subscribes to {@code bus} and starts delivering.
     *
     * @throws ConfigError when the URL is not an absolute http(s) URL
     */
    public EventWebhook(EventBus bus, EventsConfig config) {
        this(bus, parse(config.webhookUrl()), config.webhookQueue(), 250);
    }

    EventWebhook(EventBus bus, URI url, int queueCapacity, long retryBaseMs) {
        this.url = url;
        this.retryBaseMs = retryBaseMs;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.queue = new LinkedBlockingDeque<>(queueCapacity);
        this.sender = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "relay-webhook");
            t.setDaemon(true);
            return t;
        });
        this.subscription = bus.subscribe(this);
    }

    private static URI parse(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("need an absolute http or https URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigError("relay.events.webhook-url", "invalid URL '" + url + "': " + e.getMessage());
        }
    }

    /** From any publisher thread: queues the event, dropping the oldest when full. */
    @Override
    public void accept(CallEvent event) {
        while (!queue.offerLast(event)) {
            if (queue.pollFirst() != null) {
                dropped.increment();
            }
        }
        schedulePump();
    }

    private void schedulePump() {
        if (pumpScheduled.compareAndSet(false, true)) {
            try {
                sender.execute(pumpTask);
            } catch (RejectedExecutionException e) {
                pumpScheduled.set(false); // closed
            }
        }
    }

    /** On the sender thread: starts deliveries while slots are free. */
    private void pump() {
        pumpScheduled.set(false);
        while (inFlight.get() < MAX_IN_FLIGHT) {
            CallEvent event = queue.pollFirst();
            if (event == null) {
                return;
            }
            inFlight.incrementAndGet();
            send(event, 1);
        }
    }

    private void send(CallEvent event, int attempt) {
        byte[] body;
        try {
            body = EventJson.toJson(event);
        } catch (IllegalArgumentException e) {
            log.warn("webhook: event not serialisable type={} callId={}", event.type(), event.callId(), e);
            finish(false);
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "relay-events")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            int status = response == null ? 0 : response.statusCode();
            if (error == null && status / 100 == 2) {
                finish(true);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            String why = cause != null ? cause.toString() : "HTTP " + status;
            boolean retryable = error != null || status == 408 || status == 429 || status >= 500;
            if (retryable && attempt < ATTEMPTS && !sender.isShutdown()) {
                long delayMs = (retryBaseMs << (attempt - 1)) + ThreadLocalRandom.current().nextLong(retryBaseMs / 4
                        + 1);
                log.debug("webhook attempt {} failed ({}), retrying in {} ms type={} callId={}",
                        attempt, why, delayMs, event.type(), event.callId());
                try {
                    sender.schedule(() -> send(event, attempt + 1), delayMs, TimeUnit.MILLISECONDS);
                    return;
                } catch (RejectedExecutionException closed) {
                    // Shutting down: counts as failed below.
                }
            }
            log.warn("webhook delivery failed after {} attempt(s): {} type={} callId={}",
                    attempt, why, event.type(), event.callId());
            finish(false);
        });
    }

    private void finish(boolean ok) {
        (ok ? delivered : failed).increment();
        inFlight.decrementAndGet();
        schedulePump();
    }

    /** Events the webhook answered with 2xx. */
    public long delivered() {
        return delivered.sum();
    }

    /** Events dropped because the queue was full (oldest first). */
    public long dropped() {
        return dropped.sum();
    }

    /** Events given up on after their attempts, or refused with a final status. */
    public long failed() {
        return failed.sum();
    }

    /** Events waiting to be sent. */
    public int queued() {
        return queue.size();
    }

    /** Stops taking events, waits up to {@code waitMs} for queued ones to be delivered, then stops. */
    public void close(long waitMs) {
        try {
            subscription.close();
        } catch (Exception e) {
            log.warn("webhook unsubscribe failed", e);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while ((!queue.isEmpty() || inFlight.get() > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        sender.shutdownNow();
        int left = queue.size() + inFlight.get();
        if (left > 0) {
            log.warn("webhook stopped with {} event(s) undelivered", left);
        }
    }

    @Override
    public void close() {
        close(0);
    }
}
