package dev.relay.core.control.alohaa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSecretsTest {
    private final AtomicLong nowMs = new AtomicLong(1_800_000_000_000L);
    private final WebhookSecrets secrets = new WebhookSecrets("fleet-seed", nowMs::get);

    @Test
    void aSecretVerifiesOnAnyNodeWithTheSameSeedAndIsUniquePerCall() {
        String a = secrets.issue();
        String b = secrets.issue();
        assertThat(a).isNotEqualTo(b);
        assertThat(new WebhookSecrets("fleet-seed", nowMs::get).verify(a)).isTrue();
        assertThat(new WebhookSecrets("other-seed", nowMs::get).verify(a)).isFalse();
    }

    @Test
    void aSecretExpiresAfterItsLifetime() {
        String s = secrets.issue();
        nowMs.addAndGet(WebhookSecrets.LIFETIME_MS - 1000);
        assertThat(secrets.verify(s)).isTrue();
        nowMs.addAndGet(2000);
        assertThat(secrets.verify(s)).isFalse();
    }

    @Test
    void aLaterExpiryCannotBeForged() {
        String s = secrets.issue();
        String[] p = s.split("\\.");
        String forged = p[0] + "." + Long.toHexString(Long.parseLong(p[1], 16) + 86_400) + "." + p[2] + "." + p[3];
        assertThat(secrets.verify(forged)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v1", "v1.a.b", "v1.a.b.c.d", "v2.1.2.3", "v1.zz.AAAA.AAAA"})
    void malformedSecretsAreRefused(String presented) {
        assertThat(secrets.verify(presented)).isFalse();
    }
}
