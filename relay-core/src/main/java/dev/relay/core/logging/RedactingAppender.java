package dev.relay.core.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.util.Iterator;

/**
 * A Logback appender that redacts each event ({@link RedactedEvent}) and hands it to the appenders
 * nested in it, whatever their encoder (text pattern or JSON): one redaction for every format.
 *
 * <p>Placed behind the {@code AsyncAppender} in {@code logback.xml}, so the regular expressions
 * run on the async appender's own thread, never on an event loop that logged. Thread-safe as far
 * as its nested appenders are.
 */
public final class RedactingAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
        implements AppenderAttachable<ILoggingEvent> {
    private final AppenderAttachableImpl<ILoggingEvent> nested = new AppenderAttachableImpl<>();

    @Override
    protected void append(ILoggingEvent event) {
        nested.appendLoopOnAppenders(new RedactedEvent(event));
    }

    @Override
    public void stop() {
        super.stop();
        nested.detachAndStopAllAppenders();
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        nested.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return nested.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return nested.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return nested.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        nested.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return nested.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return nested.detachAppender(name);
    }
}
