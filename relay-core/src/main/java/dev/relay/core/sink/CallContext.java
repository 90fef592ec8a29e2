package dev.relay.core.sink;

import dev.relay.core.event.EventBus;
import io.netty.channel.EventLoop;

/**
 * What a sink may know about its call: identity and route, fixed at registration, and the call's
 * threads and way back.
 *
 * @param callId the telephony provider's call id
 * @param route route name the call was placed on
 * @param mobileNo caller's number when the provider sent one, else empty
 * @param startedAtMillis registration time, epoch milliseconds
 * @param events where the sink publishes call events
 * @param loop the IO loop of the call's telephony socket: network sinks register their own
 *     client channel on it, so a call's sockets share one thread; null in tests that drive sinks
 *     without a relay
 * @param audio plays audio into the call (the bot sink)
 */
public record CallContext(String callId, String route, String mobileNo, long startedAtMillis, EventBus events,
        EventLoop loop, CallAudio audio) {

    /** A context without a socket, for tests and benchmarks that drive a pipeline directly. */
    public CallContext(String callId, String route, String mobileNo, long startedAtMillis, EventBus events) {
        this(callId, route, mobileNo, startedAtMillis, events, null, CallAudio.NONE);
    }
}
