package dev.relay.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Typed, validated reads from one HOCON subtree. Every failure becomes a {@link ConfigError} that
 * names the full key, whatever went wrong (missing, wrong type, out of range).
 */
public final class Settings {
    private final Config config;
    private final String prefix;

    public Settings(Config config, String prefix) {
        this.config = config;
        this.prefix = prefix;
    }

    /** The subtree under {@code path}. */
    public Settings at(String path) {
        return new Settings(read(path, () -> config.getConfig(path)), key(path));
    }

    public boolean has(String path) {
        return config.hasPath(path);
    }

    /**
     * Which configuration layer set {@code path}: 0 the embedded defaults ({@code reference.conf}),
     * 1 a config file (or any other source), 2 a Java system property; -1 when it is not set.
     */
    public int layer(String path) {
        if (!config.hasPath(path)) {
            return -1;
        }
        ConfigOrigin origin = config.getValue(path).origin();
        if ("reference.conf".equals(origin.resource())) {
            return 0;
        }
        return origin.description().startsWith("system properties") ? 2 : 1;
    }

    public String key(String path) {
        return prefix.isEmpty() ? path : prefix + "." + path;
    }

    public String string(String path) {
        return read(path, () -> config.getString(path));
    }

    public String nonEmptyString(String path) {
        String value = string(path);
        if (value.isBlank()) {
            throw new ConfigError(key(path), "must not be empty");
        }
        return value;
    }

    public boolean bool(String path) {
        return read(path, () -> config.getBoolean(path));
    }

    public int intIn(String path, int min, int max) {
        int value = read(path, () -> config.getInt(path));
        if (value < min || value > max) {
            throw new ConfigError(key(path), "must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    public long bytesIn(String path, long min, long max) {
        long value = read(path, () -> config.getBytes(path));
        if (value < min || value > max) {
            throw new ConfigError(key(path), "must be in [" + min + ", " + max + "] bytes, got " + value);
        }
        return value;
    }

    /** A duration in milliseconds, at least {@code minMs}. */
    public long millisAtLeast(String path, long minMs) {
        Duration value = read(path, () -> config.getDuration(path));
        long ms = value.toMillis();
        if (ms < minMs) {
            throw new ConfigError(key(path), "must be at least " + minMs + " ms, got " + value);
        }
        return ms;
    }

    /** A duration in microseconds, within {@code [minUs, maxUs]} (sub-millisecond values kept). */
    public long microsIn(String path, long minUs, long maxUs) {
        Duration value = read(path, () -> config.getDuration(path));
        long us = value.toNanos() / 1_000;
        if (us < minUs || us > maxUs) {
            throw new ConfigError(key(path), "must be in [" + minUs + ", " + maxUs + "] µs, got " + value);
        }
        return us;
    }

    public List<String> strings(String path) {
        return read(path, () -> List.copyOf(config.getStringList(path)));
    }

    public <E extends Enum<E>> E enumValue(String path, Class<E> type) {
        String raw = string(path);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(raw.replace('-', '_'))) {
                return constant;
            }
        }
        throw new ConfigError(key(path), "unknown value '" + raw + "', expected one of "
                + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }

    public Config raw() {
        return config;
    }

    private <T> T read(String path, Supplier<T> reader) {
        try {
            return reader.get();
        } catch (ConfigException.Missing e) {
            throw new ConfigError(key(path), "missing");
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new ConfigError(key(path), "invalid value (" + e.getMessage() + ")");
        }
    }
}
