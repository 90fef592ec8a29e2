package dev.relay.bench.sizing;

import dev.relay.core.cluster.CallRecord;
import dev.relay.core.cluster.Claim;
import dev.relay.core.cluster.Cluster;
import dev.relay.core.event.CallEvent;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Replays a part of the day against the nodes' engines, as their relays would drive them: a call
 * that arrives is claimed on one node (round robin, as a least-connections balancer spreads calls)
 * and its {@code call.started} published; when it ends it is unregistered and {@code call.ended}
 * published. Open loop: arrivals and hang-ups happen at their simulated time, {@code speed} times
 * faster than real time, whatever Redis answers; an operation's latency runs from its issue to its
 * completion, and {@link #maxLagMs} says how far the driver itself fell behind the schedule.
 *
 * <p>The driver runs on the thread that calls {@link #preload} and {@link #replay} (never an event
 * loop: it parks between events). The counters are read from the sampling thread.
 */
final class SimDriver {
    private static final long MAX_PRELOAD_IN_FLIGHT = 1000;

    private final List<Cluster> nodes;
    private final ArrivalModel model;
    private final double speed;
    private final PriorityQueue<End> ends = new PriorityQueue<>();
    final Histogram claimUs = new ConcurrentHistogram(60_000_000L, 3);
    final Histogram unregisterUs = new ConcurrentHistogram(60_000_000L, 3);
    final AtomicInteger live;
    final AtomicLong arrivals = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    volatile double simNowS;
    long maxLagMs;
    private long seq;
    private int next;

    private record End(double atS, String callId, Cluster node) implements Comparable<End> {
        @Override
        public int compareTo(End o) {
            return Double.compare(atS, o.atS);
        }
    }

    /** @param live calls up now, kept by this driver (the nodes' heartbeats read it) */
    SimDriver(List<Cluster> nodes, ArrivalModel model, double speed, AtomicInteger live) {
        this.nodes = nodes;
        this.live = live;
        this.model = model;
        this.speed = speed;
    }

    /**
     * Registers the calls in progress at {@code fromS} (as many as Little's law expects, each with
     * the time it has left), as fast as Redis takes them; not timed.
     */
    void preload(double fromS) throws InterruptedException {
        simNowS = fromS;
        int n = (int) Math.round(model.concurrencyAt(fromS));
        Semaphore inFlight = new Semaphore((int) MAX_PRELOAD_IN_FLIGHT);
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            Cluster node = pick();
            String id = callId();
            node.claim(record(id, fromS)).whenComplete((c, e) -> {
                countClaim(c, e);
                inFlight.release();
            });
            live.incrementAndGet();
            ends.add(new End(fromS + model.residualS(), id, node));
        }
        inFlight.acquire((int) MAX_PRELOAD_IN_FLIGHT);
    }

    /** Replays {@code fromS} to {@code toS} of the day; returns when simulated time reaches {@code toS}. */
    void replay(double fromS, double toS) {
        long startNs = System.nanoTime();
        double arrival = model.nextArrivalS(fromS);
        while (true) {
            double now = fromS + (System.nanoTime() - startNs) / 1e9 * speed;
            simNowS = Math.min(now, toS);
            if (now >= toS) {
                return;
            }
            boolean any = false;
            while (true) {
                End end = ends.peek();
                double due = Math.min(arrival, end == null ? Double.MAX_VALUE : end.atS);
                if (due > now) {
                    break;
                }
                any = true;
                maxLagMs = Math.max(maxLagMs, (long) ((now - due) / speed * 1000));
                if (end != null && end.atS <= arrival) {
                    ends.poll();
                    hangUp(end);
                } else {
                    arrive(arrival);
                    arrival = model.nextArrivalS(arrival);
                }
            }
            if (!any) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    private void arrive(double atS) {
        Cluster node = pick();
        String id = callId();
        long issued = System.nanoTime();
        node.claim(record(id, atS)).whenComplete((c, e) -> {
            claimUs.recordValue(Math.max(0, (System.nanoTime() - issued) / 1000));
            countClaim(c, e);
        });
        node.publish(CallEvent.of("call.started", id, Map.of("route", "default")));
        arrivals.incrementAndGet();
        live.incrementAndGet();
        ends.add(new End(atS + model.durationS(), id, node));
    }

    private void hangUp(End end) {
        long issued = System.nanoTime();
        end.node.unregister(end.callId).whenComplete((v, e) -> {
            unregisterUs.recordValue(Math.max(0, (System.nanoTime() - issued) / 1000));
            if (e != null) {
                errors.incrementAndGet();
            }
        });
        end.node.publish(CallEvent.of("call.ended", end.callId, Map.of("reason", "hangup")));
        live.decrementAndGet();
    }

    private void countClaim(Claim c, Throwable e) {
        if (e != null || c.outcome() != Claim.Outcome.CLAIMED) {
            errors.incrementAndGet();
        }
    }

    private Cluster pick() {
        Cluster node = nodes.get(next);
        next = (next + 1) % nodes.size();
        return node;
    }

    private String callId() {
        // As long as a provider's: a UUID (36 characters), which is what the registry's keys hold.
        seq++;
        return new UUID(seq * 0x9E3779B97F4A7C15L, seq).toString();
    }

    private static CallRecord record(String id, double atS) {
        return new CallRecord(id, "default", "9876543210", 1_700_000_000_000L + (long) (atS * 1000));
    }
}
