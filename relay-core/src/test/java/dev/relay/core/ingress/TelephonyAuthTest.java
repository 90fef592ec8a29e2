package dev.relay.core.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.testing.RelayTestBase;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The media port is not open to strangers by default (SPEC §4.1): with no tokens configured the
 * relay generates one, keeps it in the token file and requires it; {@code auth.open} is the
 * explicit way to run without one.
 */
@Timeout(30)
class TelephonyAuthTest extends RelayTestBase {
    @TempDir
    Path dir;

    private String generatedTokenConfig() {
        return "relay.telephony.auth.open = false\nrelay.telephony.auth.token-file = \""
                + dir.resolve("run/telephony-token") + "\"\n";
    }

    @Test
    void withNoTokensATokenIsGeneratedKeptPrivateAndRequired() throws Exception {
        start(generatedTokenConfig());
        Path file = dir.resolve("run/telephony-token");
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(relay.config().telephony().authTokens()).containsExactly(token);

        long before = TelephonyCounters.rejected("auth_failed");
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            assertThat(ws.awaitCloseCode(5000)).isEqualTo(1008);
        }
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media?token=wrong"))) {
            assertThat(ws.awaitCloseCode(5000)).isEqualTo(1008);
        }
        assertThat(TelephonyCounters.rejected("auth_failed")).isEqualTo(before + 2);
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media?token=" + token))) {
            ws.sendText("{\"event\":\"connected\",\"callId\":\"with-generated\"}");
            assertThat(ws.nextText(5000)).contains("with-generated");
        }
    }

    @Test
    void theTokenFileIsReusedAcrossRestarts() throws Exception {
        start(generatedTokenConfig());
        String first = relay.config().telephony().authTokens().get(0);
        relay.close();
        start(generatedTokenConfig());
        assertThat(relay.config().telephony().authTokens()).containsExactly(first);
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media?token=" + first))) {
            ws.sendText("{\"event\":\"connected\",\"callId\":\"after-restart\"}");
            assertThat(ws.nextText(5000)).contains("after-restart");
        }
    }

    @Test
    void configuredTokensWinAndNoFileIsWritten() throws Exception {
        start(generatedTokenConfig() + "relay.telephony.auth.tokens = [\"mine\"]");
        assertThat(relay.config().telephony().authTokens()).containsExactly("mine");
        assertThat(dir.resolve("run/telephony-token")).doesNotExist();
    }

    @Test
    void openModeAcceptsCallersWithoutATokenAndWritesNoFile() throws Exception {
        start("relay.telephony.auth.open = true\nrelay.telephony.auth.token-file = \""
                + dir.resolve("run/telephony-token") + "\"");
        assertThat(relay.config().telephony().authTokens()).isEmpty();
        assertThat(dir.resolve("run/telephony-token")).doesNotExist();
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            ws.sendText("{\"event\":\"connected\",\"callId\":\"open-port\"}");
            assertThat(ws.nextText(5000)).contains("open-port");
        }
    }
}
