package dev.relay.core.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.RelayServer;
import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Outbound calls remembered at start and matched to their route when the provider's socket registers. */
@Timeout(30)
class AlohaaPendingCallsTest {
    private final AtomicLong nanos = new AtomicLong(1_000);
    private RelayServer relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void takeReturnsTheEntryOnce() {
        PendingCalls pending = new PendingCalls(10, 1000, nanos::get);
        pending.put("c1", new PendingCalls.Pending("sales", "https://hook.example/x"));
        assertThat(pending.peek("c1")).isEqualTo(new PendingCalls.Pending("sales", "https://hook.example/x"));
        assertThat(pending.take("c1")).isEqualTo(new PendingCalls.Pending("sales", "https://hook.example/x"));
        assertThat(pending.take("c1")).isNull();
        assertThat(pending.take("never-started")).isNull();
    }

    @Test
    void entriesExpireAfterTheirTtl() {
        PendingCalls pending = new PendingCalls(10, 1000, nanos::get);
        pending.put("c1", new PendingCalls.Pending("default", null));
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
        assertThat(pending.peek("c1")).isNotNull();
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(pending.take("c1")).isNull();
        pending.put("c2", new PendingCalls.Pending("default", null));
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1000));
        pending.put("c3", new PendingCalls.Pending("default", null));
        assertThat(pending.size()).as("expired c2 evicted on put").isEqualTo(1);
    }

    @Test
    void boundedByEvictingTheOldestEntry() {
        PendingCalls pending = new PendingCalls(3, 60_000, nanos::get);
        for (int i = 0; i < 5; i++) {
            pending.put("c" + i, new PendingCalls.Pending("r" + i, null));
        }
        assertThat(pending.size()).isEqualTo(3);
        assertThat(pending.peek("c0")).isNull();
        assertThat(pending.peek("c1")).isNull();
        assertThat(pending.peek("c4").route()).isEqualTo("r4");
        pending.put("c2", new PendingCalls.Pending("again", null));
        assertThat(pending.size()).isEqualTo(3);
        assertThat(pending.peek("c2").route()).isEqualTo("again");
    }

    @Test
    void registrationOfAPendingCallIdUsesThePendingRouteAndConsumesIt() throws Exception {
        relay = TestRelays.start("relay.routes.sales = [memory]", new MemorySinkFactory());
        BlockingQueue<CallEvent> started = new LinkedBlockingQueue<>();
        relay.events().subscribe(e -> {
            if (e.type().equals("call.started")) {
                started.add(e);
            }
        });
        relay.pendingCalls().put("out-1", new PendingCalls.Pending("sales", "https://hook.example/x"));
        try (WsClient outbound = WsClient.connect(TestRelays.wsUrl(relay, "/media"));
                WsClient inbound = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            outbound.sendText("{\"event\":\"connected\",\"callId\":\"out-1\",\"mobileNo\":\"7700000000\"}");
            outbound.nextText(5000);
            inbound.sendText("{\"event\":\"connected\",\"callId\":\"in-1\",\"mobileNo\":\"7700000001\"}");
            inbound.nextText(5000);
            assertThat(relay.calls().get("out-1").context().route()).isEqualTo("sales");
            assertThat(relay.calls().get("in-1").context().route()).isEqualTo("default");
            assertThat(relay.pendingCalls().peek("out-1")).isNull();
            CallEvent first = started.poll(5, TimeUnit.SECONDS);
            CallEvent second = started.poll(5, TimeUnit.SECONDS);
            assertThat(first.callId()).isEqualTo("out-1");
            assertThat(first.data()).containsEntry("route", "sales").containsEntry("outbound", true)
                    .containsEntry("webhook", "https://hook.example/x");
            assertThat(second.data()).containsEntry("route", "default").containsEntry("outbound", false)
                    .doesNotContainKey("webhook");
        }
    }

    @Test
    void pendingRouteWinsOverThePathRoute() throws Exception {
        relay = TestRelays.start("relay.routes.sales = [memory]\nrelay.routes.support = [memory]",
                new MemorySinkFactory());
        relay.pendingCalls().put("out-2", new PendingCalls.Pending("support", null));
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media/sales"))) {
            ws.sendText("{\"event\":\"connected\",\"callId\":\"out-2\",\"mobileNo\":\"7700000000\"}");
            ws.nextText(5000);
            assertThat(relay.calls().get("out-2").context().route()).isEqualTo("support");
        }
    }
}
