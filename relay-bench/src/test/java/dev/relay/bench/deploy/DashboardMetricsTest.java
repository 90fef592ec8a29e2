package dev.relay.bench.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.bench.fakes.FakeSessionStream;
import dev.relay.core.RelayServer;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.ControlHttp;
import dev.relay.core.testing.PromText;
import dev.relay.core.testing.RedisServer;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shipped Grafana dashboard ({@code config/grafana-dashboard.json}, SPEC §8.4) queries only
 * what {@code /metrics} really exports: a relay with the cluster on (a real {@code redis-server})
 * and a network sink (the fake session-stream) takes one call so that the per-sink series exist,
 * then every PromQL expression of the dashboard is parsed and each series name it reads must be a
 * sample name of the scrape, and each label it matches or groups by a label of those samples.
 */
@Timeout(90)
class DashboardMetricsTest {
    private static final String TOKEN = "dashboard-token";
    /** Labels Prometheus adds to every series at scrape time; the relay never exports them. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*(\\w+)\\s*,\\s*(\\w+)\\s*\\)");

    private static RedisServer redis;
    private static FakeSessionStream sink;
    private static RelayServer relay;
    private static PromText scrape;

    @BeforeAll
    static void relayWithOneCall() throws Exception {
        redis = RedisServer.start();
        sink = FakeSessionStream.builder().threads(1).apiKey("dashboard-sink-key").recordAudio(false).start();
        relay = new RelayServer(RelayConfig.from(TestRelays.config("""
                relay.control.token = "%s"
                relay.cluster { enabled = true, redis-url = "%s", node-id = "dash-1", command-timeout = 2s }
                relay.admission.max-cpu = 0
                relay.routes.default = [session-stream]
                relay.sinks.session-stream { base-url = "%s", api-key = "dashboard-sink-key", result-deadline = 0s }
                """.formatted(TOKEN, redis.url(), sink.baseUrl())))).start();
        Await.until("the node joined the cluster", () -> relay.node().cluster().up());
        ControlHttp http = new ControlHttp(TestRelays.controlUrl(relay, ""), TOKEN);
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            ws.sendText("{\"event\":\"connected\",\"callId\":\"dash-call\",\"mobileNo\":\"4155551234\"}");
            ws.nextText(5000);
            for (byte[] packet : Speech.packets()) {
                ws.sendBinary(packet);
            }
            Await.until("sink latency observed", () -> metricsText(http)
                    .contains("relay_sink_latency_seconds_count{sink=\"session-stream\"}"));
            ws.sendClose(1000);
        }
        scrape = PromText.parse(http.get("/metrics").body());
    }

    private static String metricsText(ControlHttp http) {
        try {
            return http.get("/metrics").body();
        } catch (Exception e) {
            return "";
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (relay != null) {
            relay.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void everyDashboardQueryReadsSeriesAndLabelsTheRelayExports() throws Exception {
        Map<String, Set<String>> exported = new TreeMap<>();
        for (PromText.Sample s : scrape.samples()) {
            exported.computeIfAbsent(s.name(), k -> new TreeSet<>()).addAll(s.labels().keySet());
        }
        List<String> problems = new ArrayList<>();
        Set<String> read = new TreeSet<>();
        for (Map.Entry<String, String> q : queries(dashboard()).entrySet()) {
            PromQlRefs refs = PromQlRefs.of(q.getValue());
            if (refs.series.isEmpty()) {
                problems.add(q.getKey() + ": reads no series");
            }
            Set<String> labelsInExpr = new TreeSet<>(TARGET_LABELS);
            refs.series.forEach((name, labels) -> {
                read.add(name);
                Set<String> has = exported.get(name);
                if (has == null) {
                    problems.add(q.getKey() + ": " + name + " is not a series of /metrics" + near(name, exported));
                    return;
                }
                labelsInExpr.addAll(has);
                for (String label : labels) {
                    if (!has.contains(label) && !TARGET_LABELS.contains(label)) {
                        problems.add(q.getKey() + ": " + name + " has no label " + label + " (it has " + has + ")");
                    }
                }
            });
            for (String label : refs.grouping) {
                if (!labelsInExpr.contains(label)) {
                    problems.add(q.getKey() + ": groups by " + label + ", which no series of it has");
                }
            }
        }
        assertThat(problems).as("dashboard queries against /metrics").isEmpty();
        assertThat(read).as("what an operator needs to see").contains("relay_calls_active", "relay_calls_total",
                "relay_admission_rejected_total", "relay_node_state", "relay_drain_evicted_total",
                "relay_frames_total", "relay_frames_dropped_total", "relay_sink_latency_seconds_bucket",
                "relay_cluster_up", "relay_control_forwarded_total", "relay_control_forward_seconds_bucket",
                "jvm_gc_collection_seconds_sum", "relay_transport_info");
    }

    @Test
    void theScannerTellsSeriesFromFunctionsAndLabels() {
        PromQlRefs refs = PromQlRefs.of("histogram_quantile(0.99, sum by (sink, le) "
                + "(rate(relay_sink_latency_seconds_bucket{sink=~\"a|b\", instance=~\"$instance\"}[$__rate_interval])))"
                + " / on (instance) group_left relay_calls_active");
        assertThat(refs.series).containsOnlyKeys("relay_sink_latency_seconds_bucket", "relay_calls_active");
        assertThat(refs.series.get("relay_sink_latency_seconds_bucket")).containsExactly("sink", "instance");
        assertThat(refs.grouping).containsExactlyInAnyOrder("sink", "le", "instance");
        assertThatThrownBy(() -> PromQlRefs.of("rat(relay_calls_total[1m])")).hasMessageContaining("'rat'");
    }

    /** Every PromQL text of the dashboard, keyed by where it is: panel targets and variable queries. */
    private static Map<String, String> queries(JsonNode dashboard) {
        Map<String, String> out = new TreeMap<>();
        collectPanels(dashboard.path("panels"), out);
        for (JsonNode v : dashboard.path("templating").path("list")) {
            String q = v.path("query").isObject() ? v.path("query").path("query").asText() : v.path("query").asText();
            Matcher m = LABEL_VALUES.matcher(q);
            if (m.matches()) {
                // label_values(series, label): the series, with the label as one of its matchers.
                out.put("variable " + v.path("name").asText(), m.group(1) + "{" + m.group(2) + "=\"\"}");
            } else if (v.path("type").asText().equals("query")) {
                out.put("variable " + v.path("name").asText(), q);
            }
        }
        assertThat(out).as("queries in the dashboard").isNotEmpty();
        return out;
    }

    private static void collectPanels(JsonNode panels, Map<String, String> out) {
        for (JsonNode p : panels) {
            collectPanels(p.path("panels"), out);
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(p.path("targets").size()).as("panel '%s' has queries", p.path("title").asText()).isPositive();
            String title = p.path("title").asText();
            for (JsonNode t : p.path("targets")) {
                out.put("panel '" + title + "' " + t.path("refId").asText(), t.path("expr").asText());
            }
        }
    }

    private static JsonNode dashboard() throws Exception {
        Path file = shipped("grafana-dashboard.json");
        return new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** {@code config/<name>} of this repository, as shipped. */
    private static Path shipped(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("config").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("config/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    /** A hint for a failure: exported series sharing the name's first three words. */
    private static String near(String name, Map<String, Set<String>> exported) {
        String[] words = name.split("_");
        String stem = String.join("_", List.of(words).subList(0, Math.min(3, words.length)));
        List<String> close = exported.keySet().stream().filter(n -> n.startsWith(stem)).toList();
        return close.isEmpty() ? "" : " (exported: " + close + ")";
    }
}
