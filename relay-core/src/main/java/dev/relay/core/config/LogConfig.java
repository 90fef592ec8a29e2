package dev.relay.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code relay.log}: how the relay's log lines are written.
 *
 * <p>Logback reads the format as the system property {@code relay.log.format} when it starts,
 * which is before the relay's configuration is validated, so {@code Main} asks {@link #peekFormat}
 * first and sets the property; {@link #from} then validates it with everything else.
 *
 * @param format {@link Format#TEXT} (one line, key=value fields) or {@link Format#JSON} (one JSON
 *     object per line, Logback's {@code JsonEncoder}, with {@code callId} as an MDC field)
 */
public record LogConfig(Format format) {
    /** The system property Logback's configuration reads. */
    public static final String FORMAT_PROPERTY = "relay.log.format";

    /** Log line format. */
    public enum Format {
        TEXT,
        JSON
    }

    static LogConfig from(Settings s) {
        return new LogConfig(s.enumValue("format", Format.class));
    }

    /**
     * {@code relay.log.format} as the layers give it (system property, {@code file}, embedded
     * default), lower case, or null when it cannot be read yet (the validation that follows names
     * the problem). Logs nothing: logging has not started.
     */
    public static String peekFormat(Path file) {
        try {
            Config fileConfig = file != null && Files.isReadable(file)
                    ? ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults()) : ConfigFactory.empty();
            Config merged = ConfigFactory.systemProperties().withFallback(fileConfig)
                    .withFallback(KnownKeys.reference());
            String value = merged.getString(FORMAT_PROPERTY).toLowerCase(Locale.ROOT);
            return value.equals("text") || value.equals("json") ? value : null;
        } catch (ConfigException e) {
            return null;
        }
    }
}
