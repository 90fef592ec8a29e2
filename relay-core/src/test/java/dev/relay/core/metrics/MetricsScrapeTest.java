package dev.relay.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.RelayServer;
import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.MemorySinkFactory.MemorySink;
import dev.relay.core.testing.PromText;
import dev.relay.core.testing.PromText.Sample;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /metrics} scraped through {@link MetricsRoute} and parsed strictly, around a real call. */
@Timeout(60)
class MetricsScrapeTest {
    /** Every family the control-plane issue names, with its TYPE. */
    private static final Map<String, String> FAMILIES = Map.ofEntries(
            Map.entry("relay_calls_active", "gauge"),
            Map.entry("relay_calls_total", "counter"),
            Map.entry("relay_frames_total", "counter"),
            Map.entry("relay_frames_dropped_total", "counter"),
            Map.entry("relay_frames_concealed_total", "counter"),
            Map.entry("relay_sink_queue_depth", "gauge"),
            Map.entry("relay_sink_reconnects_total", "counter"),
            Map.entry("relay_sink_bytes_total", "counter"),
            Map.entry("relay_telephony_rejected_total", "counter"),
            Map.entry("relay_rtp_rejected_total", "counter"),
            Map.entry("relay_rtp_payload_type_dropped_total", "counter"),
            Map.entry("relay_rtp_reordered_total", "counter"),
            Map.entry("relay_rtp_duplicates_total", "counter"),
            Map.entry("relay_rtp_late_total", "counter"),
            Map.entry("relay_jitter_resets_total", "counter"),
            Map.entry("relay_ingress_dropped_total", "counter"),
            Map.entry("relay_dtmf_events_total", "counter"),
            Map.entry("relay_outbound_messages_total", "counter"),
            Map.entry("relay_outbound_audio_bytes_total", "counter"),
            Map.entry("relay_outbound_dropped_total", "counter"),
            Map.entry("relay_latency_seconds", "histogram"),
            Map.entry("relay_netty_direct_memory_used_bytes", "gauge"),
            Map.entry("relay_netty_direct_memory_max_bytes", "gauge"),
            Map.entry("relay_netty_allocator_used_bytes", "gauge"),
            Map.entry("relay_netty_pooled_arenas", "gauge"),
            Map.entry("relay_netty_pooled_thread_local_caches", "gauge"),
            Map.entry("jvm_memory_used_bytes", "gauge"),
            Map.entry("jvm_threads_current", "gauge"),
            Map.entry("process_cpu_seconds_total", "counter"));

    private final MemorySinkFactory memory = new MemorySinkFactory();
    private RelayServer relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void freshRelayExportsEveryFamilyWithZeroedCallCounters() throws Exception {
        relay = TestRelays.start("", memory);
        ControlResponse response = scrapeResponse();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        PromText p = PromText.parse(new String(response.body(), StandardCharsets.UTF_8));
        FAMILIES.forEach((family, type) -> assertThat(p.type(family)).as(family).isEqualTo(type));
        assertThat(p.value("relay_calls_active")).isZero();
        assertThat(p.value("relay_calls_total")).isZero();
        assertThat(p.value("relay_frames_total", "direction", "in", "sink", "")).isZero();
        assertThat(p.value("relay_frames_total", "direction", "out", "sink", "memory")).isZero();
        assertThat(p.value("relay_sink_queue_depth", "sink", "memory")).isZero();
        assertThat(p.value("relay_sink_reconnects_total", "sink", "memory")).isZero();
        assertThat(p.value("relay_frames_dropped_total", "sink", "memory")).isZero();
        assertThat(p.value("relay_latency_seconds_count", "stage", "first_frame")).isZero();
        assertThat(p.samples("relay_rtp_rejected_total")).extracting(s -> s.labels().get("reason"))
                .contains("truncated_header", "bad_version", "empty_payload").doesNotContain("none");
        assertThat(p.value("relay_telephony_rejected_total", "reason", "auth_failed")).isGreaterThanOrEqualTo(0);
        assertThat(p.value("relay_netty_direct_memory_max_bytes")).isPositive();
        assertThat(p.samples("relay_netty_allocator_used_bytes")).isNotEmpty()
                .allSatisfy(s -> assertThat(s.value()).isGreaterThanOrEqualTo(0));
        assertThat(p.samples("jvm_memory_used_bytes")).anySatisfy(s -> assertThat(s.value()).isPositive());
    }

    @Test
    void aScrapeLeavesOutTheDeadlockGaugesWhoseCallbacksStopTheWorld() throws Exception {
        relay = TestRelays.start("", memory);

        PromText p = scrape();

        RelayMetrics.STOPS_THE_WORLD.forEach(family -> assertThat(p.type(family)).as(family).isNull());
        assertThat(p.type("jvm_threads_current")).isEqualTo("gauge");
        assertThat(p.type("jvm_threads_state")).isEqualTo("gauge");
        assertThat(relay.metrics().registry().scrape().stream().map(m -> m.getMetadata().getPrometheusName()))
                .as("still registered: only the scrape leaves them out")
                .containsAll(RelayMetrics.STOPS_THE_WORLD);
    }

    @ParameterizedTest(name = "dsp {0}")
    @ValueSource(strings = {"dedicated", "inline"})
    void callCountersGrowWhileStreamingAndNeverGoBackwardsWhenTheCallEnds(String mode) throws Exception {
        relay = TestRelays.start("relay.dsp.mode = " + mode, memory);
        String callId = "metrics-" + mode;
        List<byte[]> packets = Speech.packets();
        int half = packets.size() / 2;
        PromText during;
        MemorySink sink;
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            ws.sendText("{\"event\":\"connected\",\"callId\":\"" + callId + "\",\"mobileNo\":\"4155551234\"}");
            ws.nextText(5000);
            ws.sendText("{\"event\":\"no-such-event\",\"callId\":\"" + callId + "\"}");
            for (int i = 0; i < half; i++) {
                ws.sendBinary(packets.get(i));
            }
            sink = memory.await(callId, 5000);
            // The jitter buffer may still hold a few frames; the packet counter must have them all.
            Await.until("the first half counted in and (but for the jitter buffer) at the sink",
                    () -> sink.framesIn() >= half - 3 && framesCountedIn() == half);
            during = scrape();
            assertThat(during.value("relay_calls_active")).isEqualTo(1);
            assertThat(during.value("relay_frames_total", "direction", "in", "sink", "")).isEqualTo(half);
            assertThat(during.value("relay_frames_total", "direction", "out", "sink", "memory")).isPositive();
            for (int i = half; i < packets.size(); i++) {
                ws.sendBinary(packets.get(i));
            }
            ws.sendClose(1000);
            sink.awaitClose(5000);
        }
        Await.until("no call in flight", () -> relay.metrics().callsInFlight() == 0);
        PromText after = scrape();
        assertThat(after.value("relay_calls_active")).isZero();
        assertThat(after.value("relay_calls_total")).isEqualTo(1);
        assertThat(after.value("relay_frames_total", "direction", "in", "sink", "")).isEqualTo(packets.size());
        assertThat(after.value("relay_frames_total", "direction", "out", "sink", "memory"))
                .isEqualTo(sink.framesIn()).isPositive();
        assertThat(after.value("relay_frames_concealed_total")).isZero();
        assertThat(after.value("relay_frames_dropped_total", "sink", "memory")).isZero();
        assertThat(after.value("relay_sink_queue_depth", "sink", "memory")).isZero();
        assertThat(after.value("relay_outbound_messages_total")).isZero();
        assertThat(after.value("relay_telephony_rejected_total", "reason", "unknown_event")).isGreaterThanOrEqualTo(1);
        assertThat(after.value("relay_latency_seconds_count", "stage", "first_frame")).isEqualTo(1);
        double firstFrameS = after.value("relay_latency_seconds_sum", "stage", "first_frame");
        assertThat(firstFrameS).isGreaterThan(0).isLessThan(1);
        assertThat(after.value("relay_latency_seconds_bucket", "stage", "first_frame", "le", "+Inf")).isEqualTo(1);
        assertNoCounterWentBackwards(during, after);
    }

    @Test
    void eachRelayCountsOnlyItsOwnCalls() throws Exception {
        relay = TestRelays.start("", memory);
        try (RelayServer other = TestRelays.start("", new MemorySinkFactory());
                WsClient ws = WsClient.connect(TestRelays.wsUrl(other, "/media"))) {
            ws.sendText("{\"event\":\"connected\",\"callId\":\"elsewhere\",\"mobileNo\":\"4155551234\"}");
            ws.nextText(5000);
            assertThat(PromText.parse(new String(other.metrics().scrapeText(), StandardCharsets.UTF_8))
                    .value("relay_calls_total")).isEqualTo(1);
            assertThat(scrape().value("relay_calls_total")).isZero();
        }
    }

    @Test
    void latencyHookObservesIntoItsOwnStage() throws Exception {
        relay = TestRelays.start("", memory);
        relay.metrics().latency("sink_send").observe(0.003);
        relay.metrics().latency("sink_send").observe(0.2);
        PromText p = scrape();
        assertThat(p.value("relay_latency_seconds_count", "stage", "sink_send")).isEqualTo(2);
        assertThat(p.value("relay_latency_seconds_bucket", "stage", "sink_send", "le", "0.005")).isEqualTo(1);
        assertThat(p.value("relay_latency_seconds_sum", "stage", "sink_send")).isCloseTo(0.203, Offset.offset(1e-9));
    }

    private static void assertNoCounterWentBackwards(PromText before, PromText after) {
        Map<String, Double> later = new HashMap<>();
        for (Sample s : after.samples()) {
            later.put(s.name() + s.labels(), s.value());
        }
        for (Sample s : before.samples()) {
            String family = before.familyOf(s.name());
            if (family.startsWith("relay_") && "counter".equals(before.type(family))) {
                assertThat(later.get(s.name() + s.labels())).as(s.name()
                        + s.labels()).isGreaterThanOrEqualTo(s.value());
            }
        }
    }


    private ControlResponse scrapeResponse() throws Exception {
        MetricsRoute route = new MetricsRoute(relay.metrics(), Runnable::run);
        assertThat(route.method()).isEqualTo("GET");
        assertThat(route.pattern()).isEqualTo("/metrics");
        return route.handle(new ControlRequest("GET", "/metrics", Map.of(), Map.of(), EmptyHttpHeaders.INSTANCE,
                new byte[0])).get(5, TimeUnit.SECONDS);
    }

    private double framesCountedIn() {
        try {
            return scrape().value("relay_frames_total", "direction", "in", "sink", "");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private PromText scrape() throws Exception {
        return PromText.parse(new String(scrapeResponse().body(), StandardCharsets.UTF_8));
    }
}
