package dev.relay.core.dsp;

import java.util.ArrayList;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DSP thread's duty cycle: drain every owned call's ring in batches, tick jitter buffers every
 * {@link #TICK_NANOS}, and finish calls whose close was requested.
 *
 * <p>Calls are pinned: a call joins one agent for its whole life, so its pipeline state is touched
 * by exactly one thread. The clock is read once per duty cycle.
 */
final class DspAgent implements Agent {
    private static final Logger log = LoggerFactory.getLogger(DspAgent.class);
    static final long TICK_NANOS = 10_000_000L;
    private static final int BATCH = 64;

    private final String name;
    private final ManyToOneConcurrentArrayQueue<RingIngress> joining;
    private final ArrayList<RingIngress> calls = new ArrayList<>();
    private long nextTickNanos;

    DspAgent(String name, int maxJoining) {
        this.name = name;
        this.joining = new ManyToOneConcurrentArrayQueue<>(maxJoining);
    }

    /** Hands a new call to this agent; false when the join queue is full. Any thread. */
    boolean join(RingIngress call) {
        return joining.offer(call);
    }

    @Override
    public int doWork() {
        int work = joining.drain(calls::add);
        long now = System.nanoTime();
        boolean tick = now - nextTickNanos >= 0;
        if (tick) {
            nextTickNanos = now + TICK_NANOS;
        }
        for (int i = calls.size() - 1; i >= 0; i--) {
            RingIngress call = calls.get(i);
            boolean done;
            try {
                work += call.drain(BATCH);
                if (tick) {
                    call.tick(now);
                }
                done = call.readyToFinish();
            } catch (RuntimeException e) {
                // One call's failure must not touch the others on this thread: it leaves, alone.
                log.error("media pipeline failed; call dropped from {}", name, e);
                call.failed();
                done = true;
            }
            if (done) {
                removeAt(i);
                safeFinish(call);
                work++;
            }
        }
        return work;
    }

    /** Finishes every call still here: the agent is stopping (shutdown). */
    @Override
    public void onClose() {
        joining.drain(calls::add);
        for (RingIngress call : calls) {
            safeFinish(call);
        }
        calls.clear();
    }

    @Override
    public String roleName() {
        return name;
    }

    int callCount() {
        return calls.size();
    }

    private void removeAt(int i) {
        int last = calls.size() - 1;
        calls.set(i, calls.get(last));
        calls.remove(last);
    }

    private static void safeFinish(RingIngress call) {
        try {
            call.finish();
        } catch (RuntimeException e) {
            log.error("media pipeline failed while finishing", e);
        }
    }
}
