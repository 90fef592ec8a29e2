package dev.relay.core.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Logback appender for Netty's {@code ResourceLeakDetector} logger: keeps every leak report so
 * {@link NoLeaksExtension} can fail the test class that caused it.
 */
public final class LeakRecorder extends AppenderBase<ILoggingEvent> {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getFormattedMessage().contains("LEAK")) {
            LEAKS.add(event.getFormattedMessage());
        }
    }

    static List<String> drain() {
        List<String> copy = List.copyOf(LEAKS);
        LEAKS.clear();
        return copy;
    }
}
