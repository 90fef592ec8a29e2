package dev.relay.core.node;

import com.typesafe.config.ConfigException;
import dev.relay.core.config.ConfigError;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.config.Settings;

/**
 * {@code relay.admission} (SPEC §8.2): the limits past which new telephony upgrades are refused.
 *
 * @param maxCalls calls (upgraded sockets, registered or not) this relay takes; 0 means derive it
 *     from the open-file limit ({@link CallCapacity})
 * @param maxCpuRatio refuse while the relay's CPU over the last 5 s is above this fraction of the
 *     cores it may use; 0 means no CPU limit
 * @param agentPort TCP port of the HAProxy agent-check responder; 0 means off
 */
public record AdmissionConfig(int maxCalls, double maxCpuRatio, int agentPort) {

    public static AdmissionConfig from(RelayConfig config) {
        Settings s = new Settings(config.raw(), "").at("relay").at("admission");
        return new AdmissionConfig(
                s.intIn("max-calls", 0, 10_000_000),
                ratio(s, "max-cpu"),
                s.intIn("agent-port", 0, 65535));
    }

    private static double ratio(Settings s, String path) {
        double value;
        try {
            value = s.raw().getDouble(path);
        } catch (ConfigException.Missing e) {
            throw new ConfigError(s.key(path), "missing");
        } catch (ConfigException e) {
            throw new ConfigError(s.key(path), "invalid value (" + e.getMessage() + ")");
        }
        if (!(value >= 0 && value <= 1)) {
            throw new ConfigError(s.key(path), "must be in [0, 1] (a fraction of the usable cores; 0 = off), got "
                    + value);
        }
        return value;
    }
}
