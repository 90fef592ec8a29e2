package dev.relay.core.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * A log event as the encoders see it: the formatted message, key-value pairs and exception
 * messages redacted ({@link Redactor}), no raw arguments (they are what the message was formatted
 * from, secrets included), and the call's id as an MDC field.
 *
 * <p>The callId comes from the message itself: every log line about a call says
 * {@code callId=<id>} (STYLE.md), so the field costs the logging thread nothing, and nothing at
 * all on the media path. An explicit MDC {@code callId} wins. Immutable.
 */
final class RedactedEvent implements ILoggingEvent {
    static final String CALL_ID = "callId";
    private static final Pattern CALL_ID_IN_TEXT = Pattern.compile("\\bcallId=([^\\s,;'\"}\\]]+)");

    private final ILoggingEvent original;
    private final String message;
    private final Map<String, String> mdc;
    private final List<KeyValuePair> keyValues;

    RedactedEvent(ILoggingEvent original) {
        this.original = original;
        this.message = Redactor.redact(original.getFormattedMessage());
        this.mdc = withCallId(original.getMDCPropertyMap(), original.getFormattedMessage());
        this.keyValues = redacted(original.getKeyValuePairs());
    }

    private static Map<String, String> withCallId(Map<String, String> mdc, String text) {
        if (mdc != null && mdc.containsKey(CALL_ID) || text == null) {
            return mdc;
        }
        Matcher m = CALL_ID_IN_TEXT.matcher(text);
        if (!m.find()) {
            return mdc;
        }
        String id = m.group(1);
        while (id.endsWith(":") || id.endsWith(".")) {
            id = id.substring(0, id.length() - 1); // "callId=abc: failed" ends a sentence, not the id
        }
        Map<String, String> out = mdc == null ? new HashMap<>() : new HashMap<>(mdc);
        out.put(CALL_ID, Redactor.redact(id));
        return out;
    }

    private static List<KeyValuePair> redacted(List<KeyValuePair> pairs) {
        if (pairs == null || pairs.isEmpty()) {
            return pairs;
        }
        List<KeyValuePair> out = new ArrayList<>(pairs.size());
        for (KeyValuePair p : pairs) {
            String value = p.value == null ? null : Redactor.redact(p.key + "=" + p.value);
            out.add(new KeyValuePair(p.key, value == null ? null : value.substring(value.indexOf('=') + 1)));
        }
        return out;
    }

    @Override
    public String getThreadName() {
        return original.getThreadName();
    }

    @Override
    public Level getLevel() {
        return original.getLevel();
    }

    /** The redacted text: the raw template is not needed once the message is formatted. */
    @Override
    public String getMessage() {
        return message;
    }

    @Override
    public Object[] getArgumentArray() {
        return null;
    }

    @Override
    public String getFormattedMessage() {
        return message;
    }

    @Override
    public String getLoggerName() {
        return original.getLoggerName();
    }

    @Override
    public LoggerContextVO getLoggerContextVO() {
        return original.getLoggerContextVO();
    }

    @Override
    public IThrowableProxy getThrowableProxy() {
        return RedactedThrowable.of(original.getThrowableProxy());
    }

    @Override
    public StackTraceElement[] getCallerData() {
        return original.getCallerData();
    }

    @Override
    public boolean hasCallerData() {
        return original.hasCallerData();
    }

    @Override
    public List<Marker> getMarkerList() {
        return original.getMarkerList();
    }

    @Override
    public Map<String, String> getMDCPropertyMap() {
        return mdc;
    }

    @Override
    @SuppressWarnings("deprecation")
    public Map<String, String> getMdc() {
        return mdc;
    }

    @Override
    public long getTimeStamp() {
        return original.getTimeStamp();
    }

    @Override
    public int getNanoseconds() {
        return original.getNanoseconds();
    }

    @Override
    public long getSequenceNumber() {
        return original.getSequenceNumber();
    }

    @Override
    public List<KeyValuePair> getKeyValuePairs() {
        return keyValues;
    }

    @Override
    public void prepareForDeferredProcessing() {
        // Everything is computed at construction.
    }
}
