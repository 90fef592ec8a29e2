package dev.relay.core.sink.aiola;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.relay.core.config.ConfigError;
import dev.relay.core.config.Settings;
import dev.relay.core.net.Json;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-stream query parameters of an aiOla connection, which a route may override
 * ({@code relay.sinks.aiola.routes.<route>.*}), validated against the seed's constraints.
 *
 * @param flowId {@code flow_id}: the aiOla flow (workflow) the audio goes to
 * @param langCode {@code lang_code}: one of {@link #LANG_CODES}
 * @param timeZone {@code time_zone}: an IANA zone id
 * @param vadConfig {@code vad_config}: a JSON object, as compact JSON text
 * @param keywords initial {@code keywords} ({spoken: written}); sent as the query parameter when non-empty
 */
public record AiolaStreamParams(String flowId, String langCode, String timeZone, String vadConfig,
        Map<String, String> keywords) {

    /** The seed's allowed {@code lang_code} values. */
    public static final List<String> LANG_CODES =
            List.of("en_US", "es_ES", "fr_FR", "de_DE", "pt_PT", "ja_JP", "it_IT", "zh_CN");
    /** The keys a route may override. */
    static final List<String> KEYS = List.of("flow-id", "lang-code", "time-zone", "vad-config", "keywords");
    static final int MAX_KEYWORDS = 1000;
    static final int MAX_CHARS = 256;
    private static final ObjectMapper JSON = Json.MAPPER;

    /** Reads and validates the five keys of {@code s}. */
    static AiolaStreamParams from(Settings s) {
        String flowId = s.nonEmptyString("flow-id");
        if (flowId.length() > MAX_CHARS || !flowId.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new ConfigError(s.key("flow-id"), "must be 1-" + MAX_CHARS + " printable ASCII characters");
        }
        String lang = s.string("lang-code");
        if (!LANG_CODES.contains(lang)) {
            throw new ConfigError(s.key("lang-code"), "unknown value '" + lang + "', expected one of " + LANG_CODES);
        }
        String zone = s.string("time-zone");
        if (!ZoneId.getAvailableZoneIds().contains(zone)) {
            throw new ConfigError(s.key("time-zone"),
                    "'" + zone + "' is not an IANA time zone id (e.g. UTC, Europe/Paris)");
        }
        return new AiolaStreamParams(flowId, lang, zone, vadConfig(s), keywords(s));
    }

    /** A JSON object, given as a JSON string or as a HOCON object; returned as compact JSON. */
    private static String vadConfig(Settings s) {
        String key = s.key("vad-config");
        if (!s.has("vad-config")) {
            throw new ConfigError(key, "missing");
        }
        ConfigValue value = s.raw().getValue("vad-config");
        String text = value.valueType() == ConfigValueType.OBJECT
                ? value.render(ConfigRenderOptions.concise())
                : s.string("vad-config");
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigError(key, "must be a JSON object (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new ConfigError(key,
                    "must be a JSON object, e.g. {\"vad_threshold\": 0.5, \"min_silence_duration_ms\": 250}");
        }
        return node.toString();
    }

    private static Map<String, String> keywords(Settings s) {
        String key = s.key("keywords");
        if (!s.has("keywords")) {
            return Map.of();
        }
        ConfigValue value = s.raw().getValue("keywords");
        if (value.valueType() != ConfigValueType.OBJECT) {
            throw new ConfigError(key, "must be an object of spoken = written strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : s.raw().getObject("keywords").entrySet()) {
            ConfigValue v = e.getValue();
            if (v.valueType() != ConfigValueType.STRING || e.getKey().isEmpty() || e.getKey().length() > MAX_CHARS
                    || ((String) v.unwrapped()).length() > MAX_CHARS) {
                throw new ConfigError(key + "." + e.getKey(),
                        "keywords map 1-" + MAX_CHARS + " character phrases to strings");
            }
            out.put(e.getKey(), (String) v.unwrapped());
        }
        if (out.size() > MAX_KEYWORDS) {
            throw new ConfigError(key, "at most " + MAX_KEYWORDS + " keywords");
        }
        return Collections.unmodifiableMap(out);
    }
}
