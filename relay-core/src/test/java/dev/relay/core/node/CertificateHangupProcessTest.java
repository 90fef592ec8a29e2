package dev.relay.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.testing.PemPairs;
import dev.relay.core.testing.WsClient;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP reloads the telephony certificate (issue 13 item 5) in a relay process. The configured
 * files are symlinks into another directory whose files are rewritten in place: the relay's file
 * watch sees nothing in the configured directory, so only the signal can make it read them.
 */
@Timeout(90)
class CertificateHangupProcessTest {
    @Test
    void sighupMakesNewHandshakesUseTheRewrittenPair(@TempDir Path dir) throws Exception {
        PemPairs.Pair a = PemPairs.generate(dir, "a");
        PemPairs.Pair b = PemPairs.generate(dir, "b");
        Path store = Files.createDirectories(dir.resolve("store"));
        Files.copy(a.cert(), store.resolve("relay.crt"));
        Files.copy(a.key(), store.resolve("relay.key"));
        Path live = Files.createDirectories(dir.resolve("live"));
        Files.createSymbolicLink(live.resolve("relay.crt"), store.resolve("relay.crt"));
        Files.createSymbolicLink(live.resolve("relay.key"), store.resolve("relay.key"));
        String tls = "relay.telephony.tls { enabled = true, cert-file = \"" + live.resolve("relay.crt")
                + "\", key-file = \"" + live.resolve("relay.key") + "\" }";
        try (RelayProcessFixture relay = RelayProcessFixture.start(dir, tls)) {
            relay.awaitReady();
            String url = "wss://127.0.0.1:" + relay.telephonyPort + "/media";
            assertThat(serial(url)).isEqualTo(a.serial());
            Files.write(store.resolve("relay.key"), Files.readAllBytes(b.key()));
            Files.write(store.resolve("relay.crt"), Files.readAllBytes(b.cert()));
            relay.signal("HUP");
            relay.await("reloaded on SIGHUP", () -> logContains(relay, "TLS certificate reloaded (SIGHUP)"));
            assertThat(serial(url)).isEqualTo(b.serial());
            assertThat(relay.process.isAlive()).as("SIGHUP no longer stops the relay").isTrue();
            relay.signal("TERM");
            assertThat(relay.awaitExit()).isZero();
        }
    }

    private static BigInteger serial(String url) throws Exception {
        try (WsClient probe = WsClient.connect(url)) {
            return probe.serverCertificate().getSerialNumber();
        }
    }

    private static boolean logContains(RelayProcessFixture relay, String text) {
        try {
            return relay.log().contains(text);
        } catch (Exception e) {
            return false;
        }
    }
}
