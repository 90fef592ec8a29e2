package dev.relay.codec.jitter;

import static dev.relay.codec.jitter.JitterHarness.MS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random streams through the jitter buffer: reorder within the window, loss,
 * duplication, jittered arrival times and timer polls, starting near sequence 65535 so every
 * stream crosses the wrap. The output timeline and the counters must account for every packet.
 */
@Timeout(30)
class JitterBufferPropertyTest {
    private static final int[] FRAMES = {80, 160, 240};

    static IntStream seeds() {
        return IntStream.range(0, 400);
    }

    /** One arrival: index into the sent stream, and when it arrives. */
    private record Arrival(int index, double key) {}

    @ParameterizedTest
    @MethodSource("seeds")
    void outputTimelineIsContiguousAndAccountsForEveryPacket(int seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int window = 1 + rnd.nextInt(6);
        int frame = FRAMES[rnd.nextInt(FRAMES.length)];
        int n = 100 + rnd.nextInt(300);
        int seq0 = 65535 - rnd.nextInt(60);
        long ts0 = rnd.nextBoolean() ? (1L << 32) - frame * (long) rnd.nextInt(1, 50) : rnd.nextLong(1L << 32);
        // Every fourth seed is lossless with an endless wait: it must conceal nothing at all.
        boolean clean = seed % 4 == 0;
        double lossP = clean ? 0 : rnd.nextDouble() * 0.25;
        double dupP = rnd.nextDouble() * 0.1;
        long maxWaitNs = clean ? Long.MAX_VALUE / 4 : (20L + rnd.nextInt(200)) * MS;

        // Arrival order: key = index + U[0, window + 1) keeps every packet within the window.
        // The first packet arrives first and the last is never lost, so the timeline's ends are known.
        List<Arrival> arrivals = new ArrayList<>();
        boolean[] lostInNetwork = new boolean[n];
        int injectedDuplicates = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && i < n - 1 && rnd.nextDouble() < lossP) {
                lostInNetwork[i] = true;
                continue;
            }
            double key = i == 0 ? -1 : i + rnd.nextDouble() * (window + 1);
            arrivals.add(new Arrival(i, key));
            if (rnd.nextDouble() < dupP) {
                arrivals.add(new Arrival(i, key + rnd.nextDouble() * (window + 1)));
                injectedDuplicates++;
            }
        }
        arrivals.sort(Comparator.comparingDouble(Arrival::key));

        JitterHarness h = new JitterHarness(window, maxWaitNs);
        h.frame = frame;
        long now = 0;
        int[] resultCounts = new int[PushResult.values().length];
        for (Arrival a : arrivals) {
            now += (long) (rnd.nextDouble() * 30 * MS);
            if (rnd.nextInt(4) == 0) {
                h.jb.poll(now);
            }
            h.nowNs = now;
            PushResult r = h.frame(seq0, ts0, a.index());
            resultCounts[r.ordinal()]++;
            assertThat(h.jb.held()).as("held never exceeds the window").isLessThanOrEqualTo(window);
        }
        h.jb.flush();

        String ctx = "seed " + seed + " window " + window + " frame " + frame;
        List<RecordingOutput.Event> events = h.out.events;
        JitterStats s = h.jb.stats();

        // Timeline: starts at the first packet, every emission starts where the previous ended.
        assertThat(events).as(ctx).isNotEmpty();
        assertThat(events.get(0).conceal()).as(ctx).isFalse();
        assertThat(events.get(0).ts()).as(ctx).isEqualTo(ts0 & 0xFFFF_FFFFL);
        long total = 0;
        for (int e = 0; e < events.size(); e++) {
            RecordingOutput.Event ev = events.get(e);
            if (e > 0) {
                RecordingOutput.Event prev = events.get(e - 1);
                assertThat(ev.ts()).as("%s: event %d starts where %d ended", ctx, e, e - 1)
                        .isEqualTo((prev.ts() + prev.duration()) & 0xFFFF_FFFFL);
                assertThat(ev.conceal() && prev.conceal()).as(ctx).isFalse();
            }
            assertThat(ev.duration()).as(ctx).isPositive();
            total += ev.duration();
        }
        assertThat(total).as("%s: emitted + concealed samples span the stream", ctx)
                .isEqualTo((long) n * frame);

        // Payloads: strictly increasing sequence, each once, bytes and timestamp of that packet.
        List<RecordingOutput.Event> payloads = h.out.payloads();
        Set<Integer> emittedIndices = new HashSet<>();
        int prevIndex = -1;
        for (RecordingOutput.Event p : payloads) {
            int index = (p.seqTag() - seq0) & 0xFFFF;
            assertThat(index).as(ctx).isGreaterThan(prevIndex).isLessThan(n);
            assertThat(lostInNetwork[index]).as(ctx).isFalse();
            assertThat(p.ts()).as(ctx).isEqualTo((ts0 + (long) index * frame) & 0xFFFF_FFFFL);
            byte[] sent = JitterHarness.packet((seq0 + index) & 0xFFFF, 0, 0, frame);
            assertThat(p.payload()).as(ctx).isEqualTo(Arrays.copyOfRange(sent, 12, 12 + frame));
            emittedIndices.add(index);
            prevIndex = index;
        }
        assertThat(emittedIndices).as(ctx).contains(0, n - 1);

        // Every packet: emitted once, or dropped as late/duplicate, or its slot concealed.
        long delivered = IntStream.range(0, n).filter(i -> !lostInNetwork[i]).count();
        long deliveredNotEmitted = delivered - emittedIndices.size();
        assertThat(s.received()).as(ctx).isEqualTo(arrivals.size());
        assertThat(s.emitted()).as(ctx).isEqualTo(payloads.size());
        assertThat(s.emitted() + s.duplicates() + s.late()).as(ctx).isEqualTo(s.received());
        assertThat(s.duplicates() + s.late()).as(ctx).isEqualTo(injectedDuplicates + deliveredNotEmitted);
        assertThat(s.late()).as(ctx).isGreaterThanOrEqualTo(deliveredNotEmitted);
        assertThat(s.lostPackets()).as(ctx).isEqualTo(n - s.emitted());
        assertThat(s.concealedGaps()).as(ctx).isEqualTo(h.out.conceals().size());
        assertThat(s.concealedSamples()).as(ctx)
                .isEqualTo(h.out.conceals().stream().mapToLong(RecordingOutput.Event::duration).sum());
        assertThat(s.reordered()).as(ctx).isLessThanOrEqualTo(s.emitted());
        assertThat(s.resets() + s.oversized()).as(ctx).isZero();
        assertThat(h.jb.held()).as(ctx).isZero();
        assertThat(resultCounts[PushResult.DUPLICATE.ordinal()]).as(ctx).isEqualTo(s.duplicates());
        assertThat(resultCounts[PushResult.LATE.ordinal()]).as(ctx).isEqualTo(s.late());

        if (clean) {
            assertThat(s.concealedGaps() + s.late() + s.lostPackets()).as(ctx).isZero();
            assertThat(s.emitted()).as(ctx).isEqualTo(n);
            assertThat(s.duplicates()).as(ctx).isEqualTo(injectedDuplicates);
        }
    }
}
