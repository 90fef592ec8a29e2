package dev.relay.core.call;

import dev.relay.codec.g711.ALaw;
import dev.relay.codec.g711.MuLaw;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random call for the timeline property: speech, comfort-noise spans, RFC 4733 events and
 * spans with no packets at all, then loss and reordering applied to what is sent. Knows the RTP
 * timeline the call describes, as 8 kHz samples: decoded G.711 where a packet arrived, silence
 * everywhere else (lost packets included).
 *
 * <p>Reordering swaps two consecutive sequence numbers only where the one before them arrived, so
 * that no packet arrives after the jitter buffer has already given its slot up: which slot a
 * really late packet loses is the jitter buffer's business, tested in relay-codec.
 */
final class TimelineCase {
    static final int PT_DTMF = 101;

    /** One packet as sent, in send order. */
    record Packet(byte[] bytes) {}

    final List<Packet> sent = new ArrayList<>();
    final String description;
    private short[] timeline = new short[8000];
    private int length;

    private TimelineCase(String description) {
        this.description = description;
    }

    short[] timeline8k() {
        return Arrays.copyOf(timeline, length);
    }

    /** Builds case {@code seed}: up to about {@code maxSeconds} of call. */
    static TimelineCase generate(long seed, int maxSeconds) {
        SplittableRandom r = new SplittableRandom(seed);
        double loss = r.nextInt(4) == 0 ? 0 : r.nextDouble(0.12);
        double swap = r.nextInt(3) == 0 ? 0 : r.nextDouble(0.2);
        TimelineCase c = new TimelineCase("seed " + seed + ", loss " + loss + ", swap " + swap);
        Builder b = c.new Builder(r, r.nextLong(1L << 32), r.nextInt(1 << 16));
        if (r.nextInt(5) == 0) {
            b.comfortNoise(r.nextInt(5, 200), 1 + r.nextInt(20));
        }
        b.speech(r.nextInt(1, 40), r.nextBoolean() ? 160 : 80 * r.nextInt(1, 4));
        String last = "speech";
        while (c.length < maxSeconds * 8000) {
            int pick = r.nextInt(8);
            if (pick < 3 || last.equals("unsent") && pick == 7) {
                b.speech(r.nextInt(1, 60), r.nextBoolean() ? 160 : 80 * r.nextInt(1, 4));
                last = "speech";
            } else if (pick < 5) {
                int frames = r.nextInt(5, 250);
                b.comfortNoise(frames, r.nextInt(4) == 0 ? frames : 1 + r.nextInt(25));
                last = "cn";
            } else if (pick < 7) {
                b.dtmf(r.nextInt(2, 40));
                last = "dtmf";
            } else {
                b.unsent(r.nextInt(5, 500));
                last = "unsent";
            }
        }
        b.speech(r.nextInt(2, 20), 160);
        b.finish(r, loss, swap);
        return c;
    }

    /** Lays the segments out on the timeline and collects their packets. */
    final class Builder {
        private final SplittableRandom r;
        private final List<byte[]> packets = new ArrayList<>();
        private final List<int[]> audioAt = new ArrayList<>(); // {packet index, timeline offset, length}
        private long ts;
        private int seq;

        Builder(SplittableRandom r, long ts, int seq) {
            this.r = r;
            this.ts = ts;
            this.seq = seq;
        }

        void speech(int frames, int samples) {
            boolean alaw = r.nextInt(4) == 0;
            for (int f = 0; f < frames; f++) {
                byte[] payload = new byte[samples];
                r.nextBytes(payload);
                audioAt.add(new int[] {packets.size(), length, samples});
                add(alaw ? 8 : 0, ts, f == 0, payload);
                short[] pcm = new short[samples];
                if (alaw) {
                    ALaw.decode(payload, 0, pcm, 0, samples);
                } else {
                    MuLaw.decode(payload, 0, pcm, 0, samples);
                }
                append(pcm, samples);
                ts += samples;
            }
        }

        /** {@code frames} of 20 ms comfort noise, a CN packet every {@code every} frames. */
        void comfortNoise(int frames, int every) {
            for (int f = 0; f < frames; f += every) {
                add(13, ts + 160L * f, false, new byte[] {(byte) r.nextInt(127)});
            }
            silence(160 * frames);
        }

        /** A key press of {@code steps} × 50 ms: updates every 50 ms, then the end packet three times. */
        void dtmf(int steps) {
            int digit = r.nextInt(16);
            for (int s = 1; s <= steps; s++) {
                add(PT_DTMF, ts, s == 1, new byte[] {(byte) digit, 10, (byte) (400 * s >> 8), (byte) (400 * s)});
            }
            for (int i = 0; i < 3; i++) {
                add(PT_DTMF, ts, false, new byte[] {(byte) digit, (byte) 0x8A, (byte) (400 * steps >> 8),
                        (byte) (400 * steps)});
            }
            silence(400 * steps);
        }

        /** Silence suppression without comfort noise: {@code frames} of 20 ms with no packet at all. */
        void unsent(int frames) {
            silence(160 * frames);
        }

        private void silence(int samples) {
            append(new short[samples], samples);
            ts += samples;
        }

        private void add(int pt, long timestamp, boolean marker, byte[] payload) {
            packets.add(CallPipelineTest.rtp(pt, seq & 0xFFFF, timestamp & 0xFFFF_FFFFL, marker, payload));
            seq++;
        }

        /** Loses packets (never the first or the last), zeroing lost audio, then swaps neighbours. */
        void finish(SplittableRandom rnd, double loss, double swap) {
            boolean[] lost = new boolean[packets.size()];
            for (int i = 1; i < lost.length - 1; i++) {
                lost[i] = rnd.nextDouble() < loss;
            }
            for (int[] a : audioAt) {
                if (lost[a[0]]) {
                    Arrays.fill(timeline, a[1], a[1] + a[2], (short) 0);
                }
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < lost.length; i++) {
                if (!lost[i]) {
                    order.add(i);
                }
            }
            for (int j = 1; j + 1 < order.size(); j++) {
                boolean neighbours = order.get(j - 1) == order.get(j) - 1 && order.get(j + 1) == order.get(j) + 1;
                if (neighbours && rnd.nextDouble() < swap) {
                    int a = order.get(j);
                    order.set(j, order.get(j + 1));
                    order.set(j + 1, a);
                    j++;
                }
            }
            for (int i : order) {
                sent.add(new Packet(packets.get(i)));
            }
        }
    }

    private void append(short[] pcm, int n) {
        if (length + n > timeline.length) {
            timeline = Arrays.copyOf(timeline, Math.max(timeline.length * 2, length + n));
        }
        System.arraycopy(pcm, 0, timeline, length, n);
        length += n;
    }
}
