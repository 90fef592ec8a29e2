package dev.relay.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.RelayServer;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.testing.RelayTestBase;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HAProxy agent-check responder over TCP, in each state of the node. */
@Timeout(60)
class AgentCheckTest extends RelayTestBase {
    private volatile double cpu;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Connects as HAProxy does (optionally sending agent-send text) and reads the whole reply. */
    private String ask(String send) throws IOException {
        InetSocketAddress agent = relay.node().agentAddress();
        try (Socket s = new Socket()) {
            s.connect(agent, 5000);
            s.setSoTimeout(5000);
            if (send != null) {
                OutputStream out = s.getOutputStream();
                out.write(send.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void answersReadyWithFreeCapacityThenZeroWhenFullThenDrain() throws Exception {
        RelayConfig config = RelayConfig.from(TestRelays.config(
                "relay.admission { max-calls = 4, max-cpu = 0.5, agent-port = " + freePort() + " }"));
        relay = new RelayServer(config, Map.of("memory", memory), () -> cpu).start();
        assertThat(relay.node().agentAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(ask(null)).isEqualTo("ready 100%\n");
        try (WsClient a = register("agent-1")) {
            assertThat(a.isOpen()).isTrue();
            assertThat(ask("hello\n")).isEqualTo("ready 75%\n");
            cpu = 0.25;
            assertThat(ask(null)).as("CPU headroom 50 % is smaller than the free slots").isEqualTo("ready 50%\n");
            cpu = 0.6;
            assertThat(ask(null)).isEqualTo("ready 0%\n");
            cpu = 0;
            relay.node().drains().drain(Availability.Origin.API);
            assertThat(ask(null)).isEqualTo("drain\n");
            relay.node().drains().undrain();
            assertThat(ask(null)).isEqualTo("ready 75%\n");
        }
    }

    @Test
    void isOffByDefault() throws Exception {
        start("");
        assertThat(relay.node().agentAddress()).isNull();
    }
}
