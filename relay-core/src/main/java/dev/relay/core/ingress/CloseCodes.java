package dev.relay.core.ingress;

/** WebSocket close codes the telephony socket uses (SPEC §4.1). */
public final class CloseCodes {
    /** Call ended, hung up through the control API, or idle. */
    public static final int NORMAL = 1000;
    /** Relay shutting down. */
    public static final int GOING_AWAY = 1001;
    /** Malformed frames past {@code relay.telephony.malformed-threshold}. */
    public static final int PROTOCOL_ERROR = 1002;
    /** Auth failure, no registration in time, duplicate call or second registration. */
    public static final int POLICY = 1008;
    /** Message over {@code relay.telephony.max-message-bytes}. */
    public static final int TOO_BIG = 1009;
    /** The relay failed. */
    public static final int INTERNAL_ERROR = 1011;

    private CloseCodes() {}
}
