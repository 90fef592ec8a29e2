package dev.relay.core.socketio;

import java.nio.charset.StandardCharsets;

/**
 * Text forms of Socket.IO v5 packets: what a client writes, and the parser for what a server sends.
 * Each packet travels as one Engine.IO message, whose framing (the leading {@code 4} of a text
 * frame) is {@link EngineIoHandler}'s: {@code 2/events,["transcript",{…}]} here is
 * {@code 42/events,["transcript",{…}]} on the wire. A binary event is a text packet with
 * placeholders ({@code 51-/events,["binary_data",{"_placeholder":true,"num":0}]}) followed by one
 * binary message per placeholder. Stateless and thread-safe.
 */
public final class SocketIoCodec {
    private static final int MAX_ACK_DIGITS = 15;
    private static final int MAX_ATTACHMENT_DIGITS = 3;

    private SocketIoCodec() {}

    /** {@code 0/ns,} with the optional auth object: joins a namespace. */
    public static String connect(String namespace, String authJson) {
        return "0" + namespacePrefix(namespace) + (authJson == null ? "" : authJson);
    }

    /** {@code 1/ns,}: leaves a namespace. */
    public static String disconnect(String namespace) {
        return "1" + namespacePrefix(namespace);
    }

    /** {@code 2/ns,[…]}: an event whose arguments (name first) are the JSON array {@code argsJson}. */
    public static String event(String namespace, String argsJson) {
        return "2" + namespacePrefix(namespace) + argsJson;
    }

    /** {@code 3/ns,<id>[…]}: the answer to an event that carried ack id {@code ackId}. */
    public static String ack(String namespace, long ackId, String argsJson) {
        return "3" + namespacePrefix(namespace) + ackId + argsJson;
    }

    /**
     * The constant packet of an event with one binary argument, as UTF-8, e.g.
     * {@code 51-/events,["binary_data",{"_placeholder":true,"num":0}]}; the argument's bytes go in
     * the binary message right after it. Encoded once per event name, reused for every emit.
     */
    public static byte[] binaryEventHeader(String namespace, String eventName) {
        String text = "51-" + namespacePrefix(namespace) + "[" + jsonString(eventName)
                + ",{\"_placeholder\":true,\"num\":0}]";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** What a namespace looks like inside a packet: nothing for {@code /}, else {@code /name,}. */
    static String namespacePrefix(String namespace) {
        return namespace == null || namespace.equals("/") ? "" : namespace + ",";
    }

    /**
     * Parses the Socket.IO packet in an Engine.IO text message (the frame without its leading
     * {@code 4}). Checks the structure and the payload's outer shape per packet type; the
     * payload itself is parsed by whoever needs it.
     */
    public static SocketIoPacket decode(String text) throws SocketIoProtocolException {
        if (text.isEmpty()) {
            throw new SocketIoProtocolException("empty Socket.IO packet");
        }
        int type = text.charAt(0) - '0';
        if (type < SocketIoPacket.CONNECT || type > SocketIoPacket.BINARY_ACK) {
            throw new SocketIoProtocolException("unknown Socket.IO packet type '" + printable(text.charAt(0)) + "'");
        }
        int i = 1;
        int attachments = 0;
        if (type == SocketIoPacket.BINARY_EVENT || type == SocketIoPacket.BINARY_ACK) {
            int start = i;
            while (i < text.length() && isDigit(text.charAt(i))) {
                i++;
            }
            if (i == start || i - start > MAX_ATTACHMENT_DIGITS || i >= text.length() || text.charAt(i) != '-') {
                throw new SocketIoProtocolException("binary packet without a valid attachment count");
            }
            attachments = Integer.parseInt(text, start, i, 10);
            if (attachments < 1) {
                throw new SocketIoProtocolException("binary packet with " + attachments + " attachments");
            }
            i++;
        }
        String namespace = "/";
        if (i < text.length() && text.charAt(i) == '/') {
            int comma = text.indexOf(',', i);
            int end = comma < 0 ? text.length() : comma;
            namespace = text.substring(i, end);
            i = comma < 0 ? end : end + 1;
        }
        long ackId = -1;
        int digits = i;
        while (i < text.length() && isDigit(text.charAt(i))) {
            i++;
        }
        if (i > digits) {
            if (i - digits > MAX_ACK_DIGITS) {
                throw new SocketIoProtocolException("ack id too long");
            }
            ackId = Long.parseLong(text, digits, i, 10);
        }
        String json = i < text.length() ? text.substring(i) : null;
        checkPayloadShape(type, json);
        return new SocketIoPacket(type, attachments, namespace, ackId, json);
    }

    private static void checkPayloadShape(int type, String json) throws SocketIoProtocolException {
        char first = json == null ? 0 : firstNonSpace(json);
        boolean ok = switch (type) {
            case SocketIoPacket.CONNECT -> json == null || first == '{';
            case SocketIoPacket.DISCONNECT -> json == null;
            case SocketIoPacket.CONNECT_ERROR -> first == '{' || first == '"';
            default -> first == '[';
        };
        if (!ok) {
            throw new SocketIoProtocolException("invalid payload for Socket.IO packet type " + type);
        }
    }

    private static char firstNonSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return c;
            }
        }
        return 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }

    /** {@code s} as a JSON string literal. */
    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
