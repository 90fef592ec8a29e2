package dev.relay.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.net.Json;
import dev.relay.core.testing.WsClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay as a process under signals (SPEC §3, §8.1): SIGTERM drains and exits 0 once the last
 * call has ended; a second SIGTERM, or SIGINT, stops now with 1001 to the caller; exit codes as
 * SPEC §3 says; an unknown key given as a system property exits 2.
 */
@Timeout(120)
class SignalDrainProcessTest {
    private static final ObjectMapper JSON = Json.MAPPER;

    private static WsClient call(RelayProcessFixture relay, String callId) throws Exception {
        WsClient ws = WsClient.connect(relay.wsUrl());
        ws.sendText("{\"event\":\"connected\",\"callId\":\"" + callId + "\"}");
        assertThat(ws.nextText(5000)).contains(callId);
        return ws;
    }

    private static String state(RelayProcessFixture relay) throws Exception {
        HttpResponse<String> r = relay.get("/readyz");
        return r == null ? "gone" : JSON.readTree(r.body()).path("state").asText();
    }

    @Test
    void sigtermWithALiveCallExits0OnlyAfterTheCallEnds(@TempDir Path dir) throws Exception {
        try (RelayProcessFixture relay = RelayProcessFixture.start(dir, "relay.drain.accept-grace = 0s")) {
            relay.awaitReady();
            try (WsClient caller = call(relay, "term-1")) {
                relay.signal("TERM");
                relay.await("readyz draining", () -> {
                    try {
                        return state(relay).equals("draining");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                // The grace is over and the relay keeps serving the call: it is what holds the drain.
                relay.await("drain watched", () -> logContains(relay, "drain started by signal"));
                JsonNode calls = JSON.readTree(relay.get("/v1/calls").body());
                assertThat(calls.path("calls")).hasSize(1);
                assertThat(WsClient.upgradeStatus(relay.wsUrl())).as("new calls refused").isEqualTo(503);
                assertThat(caller.isOpen()).isTrue();
                assertThat(relay.process.isAlive()).isTrue();
                caller.sendClose(1000);
                assertThat(caller.awaitCloseCode(5000)).isEqualTo(1000);
            }
            assertThat(relay.awaitExit()).as(relay.log()).isZero();
            String log = relay.log();
            assertThat(log).contains("drain complete", "relay stopped");
            assertThat(log.indexOf("event call.ended callId=term-1")).isLessThan(log.indexOf("drain complete"));
        }
    }

    @Test
    void aSecondSigtermStopsNowWith1001(@TempDir Path dir) throws Exception {
        try (RelayProcessFixture relay = RelayProcessFixture.start(dir, "relay.drain.accept-grace = 0s")) {
            relay.awaitReady();
            try (WsClient caller = call(relay, "term-2")) {
                relay.signal("TERM");
                relay.await("drain started", () -> logContains(relay, "drain started by signal"));
                relay.signal("TERM");
                assertThat(caller.awaitCloseCode(10_000)).isEqualTo(1001);
            }
            assertThat(relay.awaitExit()).as(relay.log()).isZero();
            assertThat(relay.log()).contains("second SIGTERM", "relay stopped");
        }
    }

    @Test
    void sigintStopsNowWith1001(@TempDir Path dir) throws Exception {
        try (RelayProcessFixture relay = RelayProcessFixture.start(dir, "")) {
            relay.awaitReady();
            try (WsClient caller = call(relay, "int-1")) {
                relay.signal("INT");
                assertThat(caller.awaitCloseCode(10_000)).isEqualTo(1001);
            }
            assertThat(relay.awaitExit()).as(relay.log()).isZero();
            assertThat(relay.log()).contains("SIGINT", "relay stopped");
        }
    }

    @Test
    void aSigtermDrainEvictsAtItsTimeoutThenExits0(@TempDir Path dir) throws Exception {
        try (RelayProcessFixture relay = RelayProcessFixture.start(dir,
                "relay.drain { accept-grace = 0s, timeout = 500ms }")) {
            relay.awaitReady();
            try (WsClient caller = call(relay, "evict-1")) {
                relay.signal("TERM");
                assertThat(caller.awaitCloseCode(10_000)).isEqualTo(1001);
                assertThat(caller.closeReason()).isEqualTo("drain timeout");
            }
            assertThat(relay.awaitExit()).as(relay.log()).isZero();
            assertThat(relay.log()).contains("event call.evicted callId=evict-1", "relay stopped");
        }
    }

    @Test
    void anUnknownKeyAsASystemPropertyExits2NamingTheNearestKey(@TempDir Path dir) throws Exception {
        try (RelayProcessFixture relay = RelayProcessFixture.start(dir, "", "-Drelay.telephny.port=1")) {
            assertThat(relay.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(relay.process.exitValue()).isEqualTo(2);
            assertThat(relay.log().strip()).isEqualTo(
                    "config error: relay.telephny.port: unknown key; nearest known key: relay.telephony.port");
        }
    }

    private static boolean logContains(RelayProcessFixture relay, String text) {
        try {
            return relay.log().contains(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
