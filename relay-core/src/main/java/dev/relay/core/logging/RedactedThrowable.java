package dev.relay.core.logging;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * A logged exception with its messages (and its causes' and suppressed exceptions') passed through
 * {@link Redactor}: an exception message is log text like any other, and often quotes a URL or
 * a peer's reply. Stack frames are code locations and pass unchanged. Immutable.
 */
final class RedactedThrowable implements IThrowableProxy {
    private final IThrowableProxy original;

    private RedactedThrowable(IThrowableProxy original) {
        this.original = original;
    }

    static IThrowableProxy of(IThrowableProxy original) {
        return original == null ? null : new RedactedThrowable(original);
    }

    @Override
    public String getMessage() {
        return Redactor.redact(original.getMessage());
    }

    @Override
    public String getOverridingMessage() {
        return Redactor.redact(original.getOverridingMessage());
    }

    @Override
    public String getClassName() {
        return original.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
        return original.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
        return original.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
        return of(original.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
        IThrowableProxy[] suppressed = original.getSuppressed();
        if (suppressed == null) {
            return null;
        }
        IThrowableProxy[] out = new IThrowableProxy[suppressed.length];
        for (int i = 0; i < suppressed.length; i++) {
            out[i] = of(suppressed[i]);
        }
        return out;
    }

    @Override
    public boolean isCyclic() {
        return original.isCyclic();
    }
}
