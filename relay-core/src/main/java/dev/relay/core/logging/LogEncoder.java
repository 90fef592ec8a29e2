package dev.relay.core.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

/**
 * The console encoder of {@code logback.xml}: {@code relay.log.format} picks a pattern line
 * ({@code text}) or Logback's {@link JsonEncoder} ({@code json}) when Logback starts. One encoder
 * that chooses, rather than two appenders of which one is unused, because Logback reports an
 * unused appender as a configuration warning, on stdout, in the middle of a JSON log.
 *
 * <p>The JSON form leaves out the raw message template and its arguments (the secrets they may
 * hold are redacted only in the formatted message) and the per-line sequence number, nanoseconds
 * and context; it keeps timestamp, level, thread, logger, MDC (with {@code callId}), key-value
 * pairs, the formatted message and the throwable. Thread-safe as its delegate.
 */
public final class LogEncoder extends EncoderBase<ILoggingEvent> {
    private String format = "text";
    private String pattern = "%msg%n";
    private Encoder<ILoggingEvent> delegate;

    /** {@code text} or {@code json}; anything else is a configuration error reported at start. */
    public void setFormat(String format) {
        this.format = format;
    }

    /** The line pattern of the {@code text} format. */
    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    @Override
    public void start() {
        if (format.equals("json")) {
            JsonEncoder json = new JsonEncoder();
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            delegate = json;
        } else {
            if (!format.equals("text")) {
                addError("relay.log.format must be text or json, got '" + format + "': using text");
            }
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(pattern);
            delegate = text;
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
