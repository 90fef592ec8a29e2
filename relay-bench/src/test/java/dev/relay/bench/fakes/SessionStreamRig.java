package dev.relay.bench.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.RelayServer;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.event.CallEvent;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import dev.relay.core.sink.SinkFactory;
import dev.relay.core.sink.SinkLatency;
import dev.relay.core.sink.Sinks;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * A relay whose default route is {@code [session-stream, memory]} in front of a
 * {@link FakeSessionStream}, with short timeouts so fault tests take a second or two, every call
 * event recorded, and the session-stream sink instances kept for their counters.
 */
final class SessionStreamRig implements AutoCloseable {
    static final String API_KEY = "test-key";

    final FakeSessionStream fake;
    final MemorySinkFactory memory = new MemorySinkFactory();
    final List<CallEvent> events = new CopyOnWriteArrayList<>();
    final List<Sink> sinks = new CopyOnWriteArrayList<>();
    final RelayServer relay;

    /** @param overrides HOCON on top of the rig's settings ({@code relay.sinks.session-stream.*} etc.) */
    SessionStreamRig(FakeSessionStream fake, String overrides) throws Exception {
        this.fake = fake;
        // The rig's settings first: in one HOCON document the later value of a key wins.
        RelayConfig config = RelayConfig.from(TestRelays.config("""
                relay.routes.default = [session-stream, memory]
                relay.sinks.session-stream {
                  base-url = "%s"
                  api-key = "%s"
                  reconnect.initial = 20ms
                  reconnect.max = 200ms
                  connect-timeout = 1s
                  http-timeout = 2s
                  flush-timeout = 1s
                  result-poll-interval = 50ms
                  result-deadline = 3s
                }
                """.formatted(fake.baseUrl(), API_KEY) + overrides));
        Map<String, SinkFactory> factories = new HashMap<>(Sinks.standard(config));
        factories.put("session-stream", new Capturing(factories.get("session-stream"), sinks));
        factories.put("memory", memory);
        relay = new RelayServer(config, factories).start();
        relay.events().subscribe(events::add);
    }

    /** Runs one Alohaa call carrying the reference speech clip; {@code beforePacket} runs before each packet. */
    void call(String callId, long pauseMs, IntConsumer beforePacket) throws Exception {
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            ws.sendText("{\"event\":\"connected\",\"callId\":\"" + callId + "\"}");
            assertThat(ws.nextText(5000)).contains(callId);
            List<byte[]> packets = Speech.packets();
            for (int i = 0; i < packets.size(); i++) {
                beforePacket.accept(i);
                ws.sendBinary(packets.get(i));
                if (pauseMs > 0) {
                    Thread.sleep(pauseMs);
                }
            }
            ws.sendClose(1000);
            ws.awaitCloseCode(5000);
        }
    }

    void call(String callId) throws Exception {
        call(callId, 0, i -> { });
    }

    /** The first event of {@code type} matching {@code filter}, waiting up to {@code timeoutMs}. */
    CallEvent await(String type, Predicate<CallEvent> filter, long timeoutMs) throws InterruptedException {
        return Await.value("a matching " + type + " event", Duration.ofMillis(timeoutMs),
                () -> events.stream().filter(e -> e.type().equals(type) && filter.test(e)).findFirst().orElse(null),
                () -> events);
    }

    CallEvent await(String type, long timeoutMs) throws InterruptedException {
        return await(type, e -> true, timeoutMs);
    }

    List<CallEvent> all(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    @Override
    public void close() {
        relay.close();
        fake.close();
    }

    /** Delegates to the real factory and keeps every sink it makes. */
    private record Capturing(SinkFactory inner, List<Sink> made) implements SinkFactory {
        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public Sink create(CallContext call) {
            Sink s = inner.create(call);
            made.add(s);
            return s;
        }

        @Override
        public SinkLatency latency() {
            return inner.latency();
        }

        @Override
        public void shutdown(long timeoutMs) {
            inner.shutdown(timeoutMs);
        }
    }
}
