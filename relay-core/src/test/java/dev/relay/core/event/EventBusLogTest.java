package dev.relay.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an event's INFO log line shows: no speech, no per-call webhook URL; everything else. */
class EventBusLogTest {
    @Test
    void speechEventsShowOnlyTheirFieldNames() {
        for (String type : EventBus.SPEECH) {
            CallEvent e = CallEvent.of(type, "c1", Map.of("text", "my pin is 4242", "sink", "aiola"));
            assertThat(String.valueOf(EventBus.atInfo(e))).doesNotContain("4242").contains("text", "sink");
        }
    }

    @Test
    void aWebhookUrlIsLeftOutAndTheRestShown() {
        CallEvent e = CallEvent.of("call.started", "c1",
                Map.of("route", "default", "webhook", "https://h.example/hooks/s3cr3t-path"));
        assertThat(String.valueOf(EventBus.atInfo(e))).doesNotContain("s3cr3t").contains("route=default");
        CallEvent ended = CallEvent.of("call.ended", "c1", Map.of("reason", "hang-up"));
        assertThat(EventBus.atInfo(ended)).isEqualTo(ended.data());
    }
}
