package dev.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Matching a session-stream session to its simulated call by the create body. */
class SinkFakesTest {
    private static final SimCall CALL = new SimCall(42, "lt0000042", 1, LoadOptions.Form.BUFFER, 0, 1, 0, 0);

    @Test
    void findsTheCallNamedInTheCreateBody() {
        String body = "{\"upload_type\":\"stream\",\"relay_call_id\" : \"lt0000042\",\"sample_rate\":16000}";
        assertThat(SinkFakes.callOf(body, Map.of("lt0000042", CALL)::get)).isSameAs(CALL);
    }

    @Test
    void bodiesWithoutTheFieldOrWithAnUnknownCallMatchNothing() {
        assertThat(SinkFakes.callOf("{\"upload_type\":\"stream\"}", Map.of("lt0000042", CALL)::get)).isNull();
        assertThat(SinkFakes.callOf("{\"relay_call_id\":\"other\"}", Map.of("lt0000042", CALL)::get)).isNull();
        assertThat(SinkFakes.callOf(null, Map.of("lt0000042", CALL)::get)).isNull();
    }
}
