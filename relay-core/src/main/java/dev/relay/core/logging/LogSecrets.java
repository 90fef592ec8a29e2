package dev.relay.core.logging;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import dev.relay.core.config.RelayConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells the {@link Redactor} every secret a relay was configured with: the values behind
 * {@link RelayConfig#SECRET_ENV} (whether they came from the environment or a file), the
 * telephony tokens, the Alohaa webhook token, and the event webhook URL (whose secret may be a
 * path segment rather than a {@code token=} parameter). Called once per relay at construction.
 */
public final class LogSecrets {
    private LogSecrets() {}

    public static void register(RelayConfig config) {
        Config raw = config.raw();
        List<String> values = new ArrayList<>();
        for (String key : RelayConfig.SECRET_ENV.values()) {
            if (raw.hasPath(key) && raw.getValue(key).valueType() == ConfigValueType.STRING) {
                values.add(raw.getString(key));
            }
        }
        values.addAll(config.telephony().authTokens());
        values.add(config.alohaa().webhookToken());
        values.add(config.events().webhookUrl());
        Redactor.addSecrets(values);
    }
}
