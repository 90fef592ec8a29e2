package dev.relay.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.event.CallEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventWireTest {

    @Test
    void roundTripsAnEventWithItsNode() {
        CallEvent event = new CallEvent("call.ended", "c-1", 1_700_000_000_000L,
                Map.of("stats", Map.of("framesOut", 500), "reason", "hangup", "sinks", List.of("recorder")));
        String text = EventWire.encode("node-a", event);
        assertThat(text).startsWith(
                "{\"node\":\"node-a\",\"type\":\"call.ended\",\"callId\":\"c-1\",\"ts\":1700000000000,");
        assertThat(EventWire.decode(text)).isEqualTo(new ClusterEvent("node-a", event));
    }

    @Test
    void anEventWithoutCallIdOrDataDecodes() {
        assertThat(EventWire.decode("{\"node\":\"n\",\"type\":\"sink.down\",\"callId\":null,\"ts\":5}"))
                .isEqualTo(new ClusterEvent("n", new CallEvent("sink.down", null, 5, Map.of())));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not json",
        "[]",
        "\"text\"",
        "{\"type\":\"x\",\"callId\":\"c\",\"ts\":1}",
        "{\"node\":\"\",\"type\":\"x\",\"callId\":\"c\",\"ts\":1}",
        "{\"node\":7,\"type\":\"x\",\"callId\":\"c\",\"ts\":1}",
        "{\"node\":\"n\",\"callId\":\"c\",\"ts\":1}",
        "{\"node\":\"n\",\"type\":\"x\",\"callId\":5,\"ts\":1}",
        "{\"node\":\"n\",\"type\":\"x\",\"callId\":\"c\"}",
        "{\"node\":\"n\",\"type\":\"x\",\"callId\":\"c\",\"ts\":\"soon\"}",
        "{\"node\":\"n\",\"type\":\"x\",\"callId\":\"c\",\"ts\":1,\"data\":[1]}",
        "{\"node\":\"n\",\"type\":\"x\",\"callId\":\"c\",\"ts\":1",
    })
    void whatIsNotAnEventDecodesToNull(String text) {
        assertThat(EventWire.decode(text)).isNull();
    }
}
