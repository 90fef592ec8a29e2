package dev.relay.core.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into a byte array, up to a bound: an upstream that answers with more
 * (a misconfigured base URL serving a web page, say) fails the exchange instead of filling the heap.
 * Shared by the HTTP clients to external services (Alohaa, the aiOla token exchange).
 */
public final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    /** The body went past the bound. */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(int maxBytes) {
            super("response body over " + maxBytes + " bytes");
        }
    }

    private final int maxBytes;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private BoundedBody(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public static HttpResponse.BodyHandler<byte[]> handler(int maxBytes) {
        return info -> new BoundedBody(maxBytes);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            if (bytes.size() + b.remaining() > maxBytes) {
                subscription.cancel();
                result.completeExceptionally(new TooLarge(maxBytes));
                return;
            }
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            bytes.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(bytes.toByteArray());
    }
}
