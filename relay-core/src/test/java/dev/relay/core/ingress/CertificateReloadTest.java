package dev.relay.core.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.event.CallEvent;
import dev.relay.core.net.ReloadableTls;
import dev.relay.core.testing.MemorySinkFactory.MemorySink;
import dev.relay.core.testing.PemPairs;
import dev.relay.core.testing.RelayTestBase;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.WsClient;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate rotation without a restart (issue 13 item 5): the files are swapped under a live
 * call; new handshakes get the new certificate, the live call keeps streaming on its connection,
 * and a bad pair is refused with the old one kept.
 */
@Timeout(90)
class CertificateReloadTest extends RelayTestBase {
    @TempDir
    Path dir;
    private Path certFile;
    private Path keyFile;

    private void install(Path cert, Path key) throws Exception {
        // As an operator's tooling would: write beside, then rename over (key first).
        Files.copy(key, dir.resolve("tls/next.key"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(dir.resolve("tls/next.key"), keyFile, StandardCopyOption.ATOMIC_MOVE);
        Files.copy(cert, dir.resolve("tls/next.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(dir.resolve("tls/next.crt"), certFile, StandardCopyOption.ATOMIC_MOVE);
    }

    private String url() {
        return "wss://127.0.0.1:" + relay.telephonyAddress().getPort() + "/media";
    }

    /** The serial of the certificate a new connection is served. */
    private BigInteger serialOfANewHandshake() {
        try (WsClient probe = WsClient.connect(url())) {
            return probe.serverCertificate().getSerialNumber();
        } catch (Exception e) {
            return BigInteger.valueOf(-1);
        }
    }

    @Test
    void newHandshakesGetTheNewPairWhileTheLiveCallStreamsOn() throws Exception {
        PemPairs.Pair a = PemPairs.generate(dir, "a");
        PemPairs.Pair b = PemPairs.generate(dir, "b");
        Files.createDirectories(dir.resolve("tls"));
        certFile = dir.resolve("tls/relay.crt");
        keyFile = dir.resolve("tls/relay.key");
        install(a.cert(), a.key());
        start("relay.telephony.tls { enabled = true, cert-file = \"" + certFile + "\", key-file = \"" + keyFile
                + "\" }");
        List<CallEvent> events = new CopyOnWriteArrayList<>();
        relay.events().subscribe(events::add);
        List<byte[]> speech = Speech.packets();
        long reloadedBefore = ReloadableTls.reloaded();

        try (WsClient live = WsClient.connect(url())) {
            assertThat(live.serverCertificate().getSerialNumber()).isEqualTo(a.serial());
            live.sendText("{\"event\":\"connected\",\"callId\":\"live\"}");
            assertThat(live.nextText(5000)).contains("live");
            for (int i = 0; i < 200; i++) {
                live.sendBinary(speech.get(i));
            }
            install(b.cert(), b.key());
            waitUntil(() -> serialOfANewHandshake().equals(b.serial()));
            assertThat(ReloadableTls.reloaded()).isGreaterThan(reloadedBefore);
            for (int i = 200; i < speech.size(); i++) {
                live.sendBinary(speech.get(i));
            }
            MemorySink sink = memory.await("live", 5000);
            waitUntil(() -> sink.samples().length == speech.size() * 320);
            assertThat(live.isOpen()).isTrue();
            assertThat(events).noneMatch(e -> e.type().equals("call.ended"));
            live.sendClose(1000);
            assertThat(live.awaitCloseCode(5000)).isEqualTo(1000);
        }

        // A certificate without its key: refused, and the pair in use stays.
        long failedBefore = ReloadableTls.failed();
        install(a.cert(), b.key());
        waitUntil(() -> ReloadableTls.failed() > failedBefore);
        assertThat(serialOfANewHandshake()).isEqualTo(b.serial());
        // Garbage in the certificate file: the same.
        long failedAgain = ReloadableTls.failed();
        Files.writeString(certFile, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        waitUntil(() -> ReloadableTls.failed() > failedAgain);
        assertThat(relay.reloadCertificates("test")).as("still bad, nothing replaced").isFalse();
        assertThat(serialOfANewHandshake()).isEqualTo(b.serial());
        // The matching pair goes back in: reloaded.
        install(a.cert(), a.key());
        waitUntil(() -> serialOfANewHandshake().equals(a.serial()));
    }
}
