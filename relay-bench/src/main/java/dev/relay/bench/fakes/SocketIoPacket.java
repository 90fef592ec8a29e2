package dev.relay.bench.fakes;

/**
 * A Socket.IO v5 packet as text (the Engine.IO message type already stripped):
 * {@code <type>[<attachments>-][<namespace>,][<ack id>][<json>]}. For the fake's control path
 * only; the audio path never parses.
 *
 * @param type packet type digit value ({@link #CONNECT} …)
 * @param attachments binary attachments that follow (binary types), else 0
 * @param namespace {@code /} when absent
 * @param ackId the ack id, or -1
 * @param json the JSON payload, possibly empty
 */
record SocketIoPacket(int type, int attachments, String namespace, long ackId, String json) {
    static final int CONNECT = 0;
    static final int DISCONNECT = 1;
    static final int EVENT = 2;
    static final int ACK = 3;
    static final int CONNECT_ERROR = 4;
    static final int BINARY_EVENT = 5;
    static final int BINARY_ACK = 6;

    /** The packet, or null when it is malformed. */
    static SocketIoPacket parse(String s) {
        if (s.isEmpty() || s.charAt(0) < '0' || s.charAt(0) > '6') {
            return null;
        }
        int type = s.charAt(0) - '0';
        int i = 1;
        int attachments = 0;
        if (type == BINARY_EVENT || type == BINARY_ACK) {
            int dash = s.indexOf('-', i);
            if (dash <= i) {
                return null;
            }
            try {
                attachments = Integer.parseInt(s.substring(i, dash));
            } catch (NumberFormatException e) {
                return null;
            }
            i = dash + 1;
        }
        String namespace = "/";
        if (i < s.length() && s.charAt(i) == '/') {
            int comma = s.indexOf(',', i);
            namespace = comma < 0 ? s.substring(i) : s.substring(i, comma);
            i = comma < 0 ? s.length() : comma + 1;
        }
        long ack = -1;
        int digits = i;
        while (digits < s.length() && Character.isDigit(s.charAt(digits)) && digits - i < 18) {
            digits++;
        }
        if (digits > i) {
            ack = Long.parseLong(s.substring(i, digits));
            i = digits;
        }
        return new SocketIoPacket(type, attachments, namespace, ack, s.substring(i));
    }

    /** The event name: the first element of the JSON array, when it is a plain string; else "". */
    String eventName() {
        if (json.length() < 4 || json.charAt(0) != '[' || json.charAt(1) != '"') {
            return "";
        }
        int end = json.indexOf('"', 2);
        return end < 0 ? "" : json.substring(2, end);
    }
}
