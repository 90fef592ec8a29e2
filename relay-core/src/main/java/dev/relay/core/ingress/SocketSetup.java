package dev.relay.core.ingress;

import dev.relay.core.call.CallFactory;
import dev.relay.core.config.TelephonyConfig;

/**
 * What the HTTP upgrade settled for one telephony socket, handed from the
 * {@link ProtocolDetector} to the protocol handler it installs. Immutable.
 *
 * @param calls registers the socket's call
 * @param config the telephony settings (timeouts, limits, raw sample rate)
 * @param route route chosen by the upgrade path
 * @param rawCallId call id for raw PCM streams ({@code ?callId=}), or null to generate one
 */
record SocketSetup(CallFactory calls, TelephonyConfig config, String route, String rawCallId) {}
