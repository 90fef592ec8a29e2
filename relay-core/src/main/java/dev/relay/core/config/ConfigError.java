package dev.relay.core.config;

/**
 * A configuration value that cannot be used. The message names the key, so the operator can fix
 * it from the one line the relay prints before exiting with status 2.
 */
public final class ConfigError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigError(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    public ConfigError(String key, String problem, Throwable cause) {
        super(key + ": " + problem, cause);
        this.key = key;
    }

    /** The full HOCON path of the offending key, e.g. {@code relay.telephony.port}. */
    public String key() {
        return key;
    }
}
