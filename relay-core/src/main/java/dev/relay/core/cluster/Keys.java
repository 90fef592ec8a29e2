package dev.relay.core.cluster;

/**
 * Names of the Redis keys and the channel the engine uses, all under {@link #PREFIX}; the layout is
 * described on {@link RedisCluster}. The Lua scripts build the same names from the prefix they are
 * passed, so this class and {@code *.lua} must agree.
 */
final class Keys {
    /** Every key and the events channel start with this. */
    static final String PREFIX = "relay:";
    /** Pub/sub channel of the cluster's call events. */
    static final String EVENTS = PREFIX + "events";

    private Keys() {}

    static String nodes() {
        return PREFIX + "nodes";
    }

    static String node(String nodeId) {
        return PREFIX + "node:" + nodeId;
    }

    static String nodeCalls(String nodeId) {
        return PREFIX + "node:" + nodeId + ":calls";
    }

    static String nodeLost(String nodeId) {
        return PREFIX + "node:" + nodeId + ":lost";
    }

    static String call(String callId) {
        return PREFIX + "call:" + callId;
    }

    static String pending(String callId) {
        return PREFIX + "pending:" + callId;
    }
}
