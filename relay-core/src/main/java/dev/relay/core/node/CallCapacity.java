package dev.relay.core.node;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.List;

/**
 * How many calls this relay takes ({@code relay.admission.max-calls}), and the arithmetic behind
 * it for the start-up log. Unless set explicitly it is derived from the process's open-file limit:
 * a full host must refuse calls with a 503 rather than fail accepts and sink connects with EMFILE.
 *
 * <p>A call of the default route holds its telephony socket plus one descriptor per sink (a
 * network sink's socket, the recorder's file); {@value #RESERVED_FDS} descriptors are kept for
 * what is not a call: listeners, event loops (each holds an epoll and a wake-up descriptor), logs,
 * control and event-stream connections, TLS and token files, the JDK's own jars and devices.
 *
 * @param maxCalls calls admitted at most (at least 1)
 * @param explanation one line saying where {@code maxCalls} comes from
 */
public record CallCapacity(int maxCalls, String explanation) {
    /** Descriptors kept for everything that is not a call. */
    static final int RESERVED_FDS = 512;

    /**
     * @param configured {@code relay.admission.max-calls}; 0 means derive
     * @param defaultRoute the sinks of route {@code default}
     * @param openFileLimit the process's open-file limit, or -1 when unknown
     * @param fallback the limit when nothing can be derived ({@code relay.telephony.max-connections})
     */
    public static CallCapacity of(int configured, List<String> defaultRoute, long openFileLimit, int fallback) {
        int perCall = 1 + defaultRoute.size();
        String perCallText = perCall + " descriptors per call (telephony socket + " + defaultRoute.size()
                + " for the sinks of route default " + defaultRoute + ")";
        long derived = openFileLimit > 0 ? Math.max(1, (openFileLimit - RESERVED_FDS) / perCall) : -1;
        if (configured > 0) {
            return new CallCapacity(configured, "max-calls " + configured + " (relay.admission.max-calls"
                    + (derived > 0 ? "; the open-file limit " + openFileLimit + " would allow " + derived : "") + ")");
        }
        if (derived < 0) {
            return new CallCapacity(fallback, "max-calls " + fallback + " (the open-file limit is unknown here: "
                    + "relay.telephony.max-connections; set relay.admission.max-calls)");
        }
        int maxCalls = (int) Math.min(derived, Integer.MAX_VALUE);
        return new CallCapacity(maxCalls, "max-calls " + maxCalls + " = (open-file limit " + openFileLimit + " - "
                + RESERVED_FDS + " reserved) / " + perCallText);
    }

    /**
     * The process's open-file limit (the soft limit, which HotSpot raises to the hard one at start
     * on Linux), or -1 when this JVM cannot tell.
     */
    public static long openFileLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }
}
