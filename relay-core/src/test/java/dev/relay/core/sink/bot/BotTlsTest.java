package dev.relay.core.sink.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.WsClient;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code wss://}: the bot's certificate is checked against {@code tls.ca-file}, host name included. */
@Timeout(60)
class BotTlsTest {
    private static final String PASSWORD = "bot-test";

    @TempDir
    static Path dir;
    static Path pfx;
    static Path pem;
    static Path otherPfx;
    static Path otherPem;

    @BeforeAll
    static void certificate() throws Exception {
        pfx = dir.resolve("bot.p12");
        pem = dir.resolve("bot.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "bot", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", pfx.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        exportPem(pfx, pem);
        otherPfx = dir.resolve("other.p12");
        otherPem = dir.resolve("other.pem");
        run(keytool, "-genkeypair", "-alias", "bot", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=bot.example.com", "-ext", "SAN=dns:bot.example.com", "-storetype", "PKCS12",
                "-keystore", otherPfx.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        exportPem(otherPfx, otherPem);
    }

    /** The keystore's certificate as PEM, read in-process (one keytool start fewer per certificate). */
    private static void exportPem(Path store, Path pemFile) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(ks.getCertificate("bot").getEncoded());
        Files.writeString(pemFile, "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static BotPeer tlsBot() throws Exception {
        return new BotPeer("--tls-pfx", pfx.toString(), "--tls-pass", PASSWORD);
    }

    @Test
    void certificateForAnotherHostIsRefusedEvenWhenTrusted() throws Exception {
        try (BotPeer bot = new BotPeer("--tls-pfx", otherPfx.toString(), "--tls-pass", PASSWORD);
                BotRelay r = new BotRelay("wss://127.0.0.1:" + bot.port() + "/bot",
                        "relay.sinks.media-stream.tls.ca-file = \"" + otherPem + "\"")) {
            try (WsClient caller = r.call("bot-wrong-host")) {
                CallEvent down = r.event("sink.down", e -> true);
                assertThat((String) down.data().get("reason")).containsIgnoringCase("127.0.0.1");
                assertThat(caller.isOpen()).isTrue();
            }
            assertThat(bot.seen("upgrade")).isEmpty();
        }
    }

    @Test
    void audioFlowsBothWaysOverWssWithTheConfiguredCa() throws Exception {
        try (BotPeer bot = tlsBot();
                BotRelay r = new BotRelay("wss://127.0.0.1:" + bot.port() + "/bot",
                        "relay.sinks.media-stream.tls.ca-file = \"" + pem + "\"")) {
            try (WsClient caller = r.call("bot-tls")) {
                bot.await("start", l -> true, 10_000);
                List<byte[]> packets = Speech.packets();
                for (int i = 0; i < 20; i++) {
                    caller.sendBinary(packets.get(i));
                }
                bot.reportUntil(rep -> rep.path("media").asInt() >= 15, 10_000);
                byte[] tone = BotSinkTest.tone(800, 3);
                bot.sendMedia(tone, 160);
                bot.send("mark", "name", "tls");
                assertThat(BotRelay.hear(caller, tone.length, 5000).audio()).isEqualTo(tone);
                bot.await("mark", l -> true, 5000);
            }
        }
    }

    @Test
    void untrustedCertificateIsRetriedNotAccepted() throws Exception {
        try (BotPeer bot = tlsBot();
                BotRelay r = new BotRelay("wss://127.0.0.1:" + bot.port() + "/bot", "")) {
            try (WsClient caller = r.call("bot-untrusted")) {
                CallEvent down = r.event("sink.down", e -> true);
                assertThat(down.data()).containsEntry("retrying", true);
                assertThat(caller.isOpen()).isTrue();
            }
            assertThat(bot.seen("upgrade")).isEmpty();
        }
    }
}
