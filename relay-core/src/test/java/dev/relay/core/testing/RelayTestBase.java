package dev.relay.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.RelayServer;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;

/** A test that starts one relay (stopped after each test) with an in-memory sink on its default route. */
public abstract class RelayTestBase {
    protected final MemorySinkFactory memory = new MemorySinkFactory();
    protected RelayServer relay;

    @AfterEach
    void stopRelay() {
        if (relay != null) {
            relay.close();
        }
    }

    /** Starts the relay with {@code overrides} (HOCON) on top of {@link TestRelays#config}. */
    protected RelayServer start(String overrides) throws InterruptedException {
        relay = TestRelays.start(overrides, memory);
        return relay;
    }

    /** Connects to {@code /media} and registers {@code callId} as an Alohaa peer. */
    protected WsClient register(String callId) throws Exception {
        WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"));
        ws.sendText("{\"event\":\"connected\",\"callId\":\"" + callId + "\"}");
        assertThat(ws.nextText(5000)).contains(callId);
        return ws;
    }

    /**
     * {@link Await#until(String, BooleanSupplier)} without a description, for the tests of branches
     * written before it; new tests say what they wait for.
     */
    public static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        Await.until("condition", condition);
    }
}
