package dev.relay.core.sink.aiola;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.WsClient;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code https://} to the npm socket.io server behind a self-signed certificate for
 * {@code localhost}: the host name goes through the off-loop resolver, the certificate and host
 * name are verified; an untrusted certificate is a retried TLS failure, never a connection.
 */
@Timeout(60)
class AiolaTlsTest extends AiolaRelayHarness {
    private static final String PASSWORD = "aiola-test";

    @TempDir
    static Path dir;
    static Path pfx;
    static X509Certificate cert;

    @BeforeAll
    static void certificate() throws Exception {
        pfx = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", pfx.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pfx)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        cert = (X509Certificate) ks.getCertificate("server");
    }

    private AiolaServer tlsServer() throws Exception {
        return AiolaServer.start("--token", AiolaServer.TOKEN, "--tls-pfx", pfx.toString(), "--tls-pass", PASSWORD);
    }

    @Test
    void streamsOverTlsToAVerifiedHostName() throws Exception {
        try (AiolaServer server = tlsServer()) {
            SslContext trusting = SslContextBuilder.forClient().trustManager(cert).build();
            startRelay("https://localhost:" + server.port, "relay.sinks.aiola.token = \"" + AiolaServer.TOKEN + "\"\n",
                    trusting);
            WsClient ws = register("tls1");
            server.await("connect", 10_000);
            server.command("emit", "event", "transcript", "args", List.of(Map.of("transcript", "over tls")));
            awaitEvent("transcript", "tls1", e -> "over tls".equals(e.data().get("text")));
            sendPackets(ws, 0, 100);
            hangUp(ws);
            server.await("disconnect", AiolaFaultsTest::graceful, 10_000);
            assertSameAudio(server.audio("tls1", dir), pipelineBytes("tls1"));
        }
    }

    @Test
    void anUntrustedCertificateIsATlsFailureThatIsRetried() throws Exception {
        try (AiolaServer server = tlsServer()) {
            // The default context: the JDK's trust store, which does not know this certificate.
            startRelay("https://localhost:" + server.port, "relay.sinks.aiola.token = \"" + AiolaServer.TOKEN + "\"\n",
                    null);
            WsClient ws = register("tls2");
            CallEvent down = awaitEvent("sink.down", "tls2");
            assertThat(down.data()).containsEntry("retrying", true);
            assertThat((String) down.data().get("reason")).contains("network").contains("TLS");
            hangUp(ws);
            awaitEvent("call.ended", "tls2");
            assertThat(server.all("connect")).isEmpty();
        }
    }
}
