package dev.relay.core.cluster;

/**
 * The cluster could not answer in time: Redis is down, unreachable, paused or refused the
 * command. The caller degrades (local-only registration, 503 for cluster-only requests); the
 * node re-registers everything once Redis answers again.
 */
public final class ClusterUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterUnavailableException(String message) {
        super(message, null, false, false);
    }

    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** True when {@code t}, or what it wraps, says the cluster was unavailable. */
    public static boolean isCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ClusterUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
