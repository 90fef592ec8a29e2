package dev.relay.core.call;

import dev.relay.core.event.EventBus;

/**
 * What a sink may know about its call: identity and route, fixed at registration.
 *
 * @param callId the telephony provider's call id
 * @param route route name the call was placed on
 * @param mobileNo caller's number when the provider sent one, else empty
 * @param startedAtMillis registration time, epoch milliseconds
 * @param events where the sink publishes call events
 */
public record CallContext(String callId, String route, String mobileNo, long startedAtMillis, EventBus events) {}
