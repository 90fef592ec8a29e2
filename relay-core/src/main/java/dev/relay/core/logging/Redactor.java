package dev.relay.core.logging;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes secrets and phone numbers out of log text, the same way for every log format: the
 * configured secrets by value, and by shape what the relay cannot know in advance (a webhook URL's
 * {@code token=}, a bearer token a peer sent, a JWT obtained at run time, a password in a URL).
 * Phone numbers keep their last four digits, enough to tell two callers apart in a log.
 *
 * <ul>
 *   <li>query or form parameters named like a credential ({@code token}, {@code api_key},
 *       {@code key}, {@code secret}, {@code password}, {@code signature}, ...) → {@code ***};
 *   <li>{@code key=value} and JSON fields named like one ({@code "api_value": "..."},
 *       {@code x-api-key=...}), and credential headers ({@code X-Api-Key: ...}) → {@code ***};
 *   <li>{@code Bearer <token>} and any {@code Authorization} value → {@code ***};
 *   <li>{@code scheme://user:password@} → {@code scheme://user:***@};
 *   <li>JWTs ({@code eyJ...x.y.z}) → {@code ***};
 *   <li>every configured secret of {@link #MIN_SECRET_CHARS} or more characters, wherever it
 *       appears → {@code ***} (shorter ones would hit ordinary words; the shapes above still
 *       catch them in their usual places);
 *   <li>phone numbers: fields named like one ({@code mobileNo}, {@code mobile_number},
 *       {@code phone}, {@code did}, {@code from}, {@code to}, ...), numbers in E.164 form
 *       ({@code +} and 10 to 15 digits), and 10-digit mobile numbers as the provider sends them
 *       (starting 6 to 9, optionally after 0, 91 or +91) → all but the last 4 digits as {@code *}.
 * </ul>
 *
 * <p>Thread-safe: secrets are added at start-up (any thread) and read as an immutable array. Runs
 * on the log appender's own thread, never on an event loop.
 */
public final class Redactor {
    /** Secrets shorter than this are not redacted by value. */
    public static final int MIN_SECRET_CHARS = 6;
    static final String MASK = "***";

    private static final String CREDENTIAL_NAMES = "access_token|refresh_token|id_token|token|api[_-]?key|apikey"
            + "|api[_-]?value|api[_-]?secret|client[_-]?secret|secret|password|passwd|pwd|key|signature|sig|jwt|auth"
            + "|x-api-key|x-metro-api-key|x-aiola-api-token|session[_-]?token";
    private static final Pattern QUERY_PARAM = Pattern.compile(
            "(?i)([?&;](?:" + CREDENTIAL_NAMES + ")=)[^&\\s\"'<>#]+");
    /**
     * {@code name=value}, a quoted JSON key ({@code "name": "value"}), or a header ({@code Name: value}):
     * not any {@code name:} in prose ("accepted without a token: set ...").
     */
    private static final Pattern FIELD = Pattern.compile(
            "(?i)(\\b(?:" + CREDENTIAL_NAMES + "|authorization)=|[\"'](?:" + CREDENTIAL_NAMES + "|authorization)[\"']"
                    + "\\s*:\\s*[\"']?|\\b(?:authorization|proxy-authorization|x-api-key|x-metro-api-key"
                    + "|x-aiola-api-token|cookie)\\s*:\\s*)"
                    + "(?!\\*\\*\\*)(?:bearer\\s+|basic\\s+)?[^\\s\"',;&}\\]]+");
    private static final Pattern BEARER = Pattern.compile(
            "(?i)\\b(bearer|basic)(\\s+)(?!\\*\\*\\*)[A-Za-z0-9._~+/=-]+");
    private static final Pattern URL_PASSWORD = Pattern.compile("(\\b[A-Za-z][A-Za-z0-9+.-]*://[^/\\s:@]*:)[^@/\\s]+@");
    private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");
    private static final Pattern PHONE_FIELD = Pattern.compile(
            "(?i)([\"']?\\b(?:mobile[_-]?no|mobile[_-]?number|mobile|phone(?:[_-]?number)?|msisdn|caller[_-]?id"
                    + "|caller|callee|customer[_-]?number|did|from|to)\\b[\"']?\\s*[:=]\\s*[\"']?)"
                    + "(\\+?\\d[\\d -]{5,18}\\d)");
    private static final Pattern PHONE_E164 = Pattern.compile("(?<![\\w+])\\+\\d{10,15}(?!\\d)");
    private static final Pattern PHONE_MOBILE = Pattern.compile("(?<![\\w+])(?:\\+?91|0)?[6-9]\\d{9}(?!\\d)");

    private static volatile String[] secrets = new String[0];

    private Redactor() {}

    /**
     * Adds secrets to redact by value (configured tokens, keys, passwords); blanks and values
     * shorter than {@link #MIN_SECRET_CHARS} are ignored. Secrets are never removed: several relays
     * may share a process (tests).
     */
    public static synchronized void addSecrets(Collection<String> values) {
        Set<String> all = new LinkedHashSet<>(Arrays.asList(secrets));
        for (String v : values) {
            if (v != null && v.strip().length() >= MIN_SECRET_CHARS) {
                all.add(v.strip());
            }
        }
        String[] sorted = all.toArray(new String[0]);
        // Longest first, so a secret that contains another is masked whole.
        Arrays.sort(sorted, Comparator.comparingInt(String::length).reversed());
        secrets = sorted;
    }

    /** {@code text} with secrets and phone numbers masked; null stays null. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String s = text;
        for (String secret : secrets) {
            if (s.contains(secret)) {
                s = s.replace(secret, MASK);
            }
        }
        s = JWT.matcher(s).replaceAll(MASK);
        s = URL_PASSWORD.matcher(s).replaceAll("$1" + MASK + "@");
        s = QUERY_PARAM.matcher(s).replaceAll("$1" + MASK);
        s = BEARER.matcher(s).replaceAll("$1$2" + MASK);
        s = FIELD.matcher(s).replaceAll("$1" + MASK);
        s = maskPhones(PHONE_FIELD, s, 2);
        s = maskPhones(PHONE_E164, s, 0);
        return maskPhones(PHONE_MOBILE, s, 0);
    }

    /** Keeps the last four digits of group {@code g} of each match, masks its other digits. */
    private static String maskPhones(Pattern p, String s, int g) {
        Matcher m = p.matcher(s);
        if (!m.find()) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        do {
            String number = m.group(g);
            String prefix = m.group().substring(0, m.start(g) - m.start());
            m.appendReplacement(out, Matcher.quoteReplacement(prefix + maskDigits(number)));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }

    static String maskDigits(String number) {
        int digits = 0;
        for (int i = 0; i < number.length(); i++) {
            if (Character.isDigit(number.charAt(i))) {
                digits++;
            }
        }
        StringBuilder sb = new StringBuilder(number.length());
        int seen = 0;
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (Character.isDigit(c)) {
                seen++;
                sb.append(seen > digits - 4 ? c : '*');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
