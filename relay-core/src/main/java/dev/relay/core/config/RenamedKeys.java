package dev.relay.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigOrigin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys that were renamed and whose old names are still read, so that an operator's existing
 * config keeps working across an upgrade: the old name is used with a warning naming both keys,
 * and setting both is a config error (which one was meant cannot be known). Stateless.
 */
public final class RenamedKeys {
    /** How long a stop-now shutdown lets sinks flush. */
    static final String FLUSH_TIMEOUT = "relay.shutdown.flush-timeout";
    /**
     * Its old name: a "drain" now means letting calls finish (relay.drain.*), which this key
     * never governed.
     */
    static final String OLD_FLUSH_TIMEOUT = "relay.shutdown.drain-timeout";

    private static final Logger log = LoggerFactory.getLogger(RenamedKeys.class);

    private RenamedKeys() {}

    /** {@value #FLUSH_TIMEOUT} in milliseconds, or {@value #OLD_FLUSH_TIMEOUT} when only it is set. */
    static long flushTimeoutMs(Config merged) {
        Settings root = new Settings(merged, "");
        if (!merged.hasPath(OLD_FLUSH_TIMEOUT)) {
            return root.millisAtLeast(FLUSH_TIMEOUT, 0);
        }
        if (merged.hasPath(FLUSH_TIMEOUT) && !embeddedDefault(merged.getValue(FLUSH_TIMEOUT).origin())) {
            throw new ConfigError(OLD_FLUSH_TIMEOUT, "renamed " + FLUSH_TIMEOUT + ", which is also set; keep only "
                    + FLUSH_TIMEOUT);
        }
        log.warn("config key {} is deprecated: it was renamed {}; using its value, please rename it",
                OLD_FLUSH_TIMEOUT, FLUSH_TIMEOUT);
        return root.millisAtLeast(OLD_FLUSH_TIMEOUT, 0);
    }

    /** True when the value comes from the embedded reference.conf, i.e. nobody set it. */
    private static boolean embeddedDefault(ConfigOrigin origin) {
        return "reference.conf".equals(origin.resource());
    }
}
