package dev.relay.core.node;

import dev.relay.core.config.RelayConfig;
import dev.relay.core.config.Settings;

/**
 * {@code relay.drain} (SPEC §8.1): how a drain treats new and live calls.
 *
 * @param acceptGraceMs new telephony upgrades are still accepted this long after a drain starts
 *     (the time a load balancer needs to notice); refused with 503 after it
 * @param timeoutMs calls still live this long after the drain started are closed with 1001 and a
 *     {@code call.evicted} event; 0 evicts at once
 */
public record DrainConfig(long acceptGraceMs, long timeoutMs) {

    public static DrainConfig from(RelayConfig config) {
        Settings s = new Settings(config.raw(), "").at("relay").at("drain");
        return new DrainConfig(s.millisAtLeast("accept-grace", 0), s.millisAtLeast("timeout", 0));
    }
}
