package dev.relay.core.cluster;

/**
 * What the cluster keeps of a call: enough to list it and find its node, nothing of its media.
 *
 * @param callId the provider's call id
 * @param route the route it was placed on (a pending outbound call's route wins at claim)
 * @param mobileNo caller's number, or empty
 * @param startedAtMillis registration time, epoch milliseconds
 */
public record CallRecord(String callId, String route, String mobileNo, long startedAtMillis) {
    public CallRecord {
        if (callId == null || callId.isEmpty() || route == null) {
            throw new IllegalArgumentException("callId and route are required");
        }
        mobileNo = mobileNo == null ? "" : mobileNo;
    }
}
