package dev.relay.core.node;

import static dev.relay.core.testing.ControlHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.relay.core.net.Transport;
import dev.relay.core.testing.ControlHttp;
import dev.relay.core.testing.MemorySinkFactory.MemorySink;
import dev.relay.core.testing.PromText;
import dev.relay.core.testing.RelayTestBase;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code relay.transport} end to end: a relay on each transport this machine runs carries a call's
 * audio to its sink, and says which transport it runs in {@code /v1/admin/status} and
 * {@code relay_transport_info}.
 */
@Timeout(60)
class TransportStatusTest extends RelayTestBase {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRelayOnEachTransportCarriesACallAndReportsItsTransport(Transport transport) throws Exception {
        assumeTrue(transport.available(), () -> transport.label() + ": " + transport.unavailability());
        start("relay.transport = " + transport.label());
        assertThat(relay.transport().transport()).isEqualTo(transport);
        List<byte[]> packets = Speech.packets().subList(0, 10);
        try (WsClient call = register("transport-" + transport.label().replace('_', '-'))) {
            for (byte[] p : packets) {
                call.sendBinary(p);
            }
            MemorySink sink = memory.await("transport-" + transport.label().replace('_', '-'), 5000);
            waitUntil(() -> sink.framesIn() >= packets.size() - 3);
        }
        ControlHttp http = new ControlHttp(TestRelays.controlUrl(relay, ""), null);
        assertThat(json(http.get("/v1/admin/status")).path("transport").asText()).isEqualTo(transport.label());
        PromText metrics = PromText.parse(http.get("/metrics").body());
        assertThat(metrics.value("relay_transport_info", "transport", transport.label(), "requested",
                transport.label())).isEqualTo(1.0);
    }
}
