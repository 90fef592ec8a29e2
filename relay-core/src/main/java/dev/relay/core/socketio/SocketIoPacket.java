package dev.relay.core.socketio;

/**
 * One decoded Socket.IO v5 packet, as carried in an Engine.IO {@code message} (text frame {@code 4…}):
 *
 * <pre>
 *   &lt;type&gt;[&lt;attachments&gt;-][&lt;namespace&gt;,][&lt;ack id&gt;][&lt;JSON payload&gt;]
 *   0/events,{"sid":"x"}          CONNECT (the server's answer carries the sid)
 *   1/events,                      DISCONNECT
 *   2/events,7["transcript",{…}]   EVENT with ack id 7
 *   3/events,7[]                   ACK
 *   4/events,{"message":"…"}       CONNECT_ERROR
 *   51-/events,["binary_data",{"_placeholder":true,"num":0}]   BINARY_EVENT, one attachment follows
 * </pre>
 *
 * The namespace is present only when it is not {@code /}.
 *
 * @param type one of the {@code CONNECT…BINARY_ACK} constants
 * @param attachments binary frames that follow a binary packet; 0 otherwise
 * @param namespace {@code /} when the packet names none
 * @param ackId the ack id, or -1 when the packet carries none
 * @param json the JSON payload text, or null when there is none
 */
public record SocketIoPacket(int type, int attachments, String namespace, long ackId, String json) {
    public static final int CONNECT = 0;
    public static final int DISCONNECT = 1;
    public static final int EVENT = 2;
    public static final int ACK = 3;
    public static final int CONNECT_ERROR = 4;
    public static final int BINARY_EVENT = 5;
    public static final int BINARY_ACK = 6;

    /** True for the two packet types whose payload is followed by binary attachments. */
    public boolean binary() {
        return type == BINARY_EVENT || type == BINARY_ACK;
    }
}
