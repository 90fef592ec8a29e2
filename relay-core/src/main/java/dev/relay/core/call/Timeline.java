package dev.relay.core.call;

/**
 * A call's RTP timeline: which silence each packet implies, and paying that silence out without
 * stalling the media thread, so that every sink's sample position matches the call's clock.
 *
 * <h2>What is filled</h2>
 * The timeline starts at the first packet of any kind the pipeline keeps (G.711, comfort noise or
 * a telephone event). Every forward step of the RTP timestamp beyond the audio already emitted is
 * silence of exactly that length: lost packets (from the jitter buffer's concealment), comfort
 * noise (filled up to each CN packet, so a long span is paid as it happens), a telephone event
 * (filled up to its start at once, and its duration when the next packet or the end of the call
 * shows it), and packets a sender simply did not send. A gap longer than {@code maxFill8k} is
 * filled to that length; the rest is left out and reported. A new SSRC has no timestamp relation
 * to the old one: its gap is measured on the arrival clock instead.
 *
 * <h2>How a long fill stays off the loop's critical path</h2>
 * At most {@link #BATCH_8K} (1 s) of silence is emitted at once: the rest is owed, and payloads
 * arriving meanwhile wait behind it in {@link HeldMedia}, in order. Each {@link #tick} (every
 * 10 ms) pays out another second, so a 60 s fill reaches the sinks in about 0.6 s and no single
 * step costs more than one packet could before long fills existed. If so much arrives meanwhile
 * that {@link HeldMedia} is full (about a second of packets, which a fill never takes), the fill
 * is paid at once rather than dropping audio.
 *
 * <p>Not thread-safe: owned by the call's media thread, like the pipeline that drives it.
 */
final class Timeline {
    /** Most silence emitted in one go, in 8 kHz samples: 1 s, 100 times real time per 10 ms tick. */
    static final int BATCH_8K = 8000;
    private static final long TS_MASK = 0xFFFF_FFFFL;
    private static final long NANOS_PER_SAMPLE_8K = 125_000;

    /** Where the timeline's samples go. */
    interface Output {
        /** Silence of {@code samples8k} (at most {@link #BATCH_8K}). */
        void silence(int samples8k);

        /** A G.711 payload that had to wait behind owed silence. */
        void heldAudio(int payloadType, byte[] payload, int offset, int length, long arrivalNanos);

        /** A gap longer than the cap: {@code filled8k} of {@code gap8k} samples were filled. */
        void cappedGap(long gap8k, int filled8k);
    }

    private final Output out;
    private final int maxFill8k;
    private final CallStats stats;
    private HeldMedia held;
    /** Next RTP timestamp of the timeline, or -1 before the first packet. */
    private long expectedTs = -1;
    /** The timestamp and arrival of the last G.711 payload: the arrival clock's tie to the timeline. */
    private long anchorTs;
    private long anchorArrivalNanos;
    /** Set when the source changed: the next position comes from the arrival clock. */
    private boolean newSource;

    Timeline(Output out, int maxFill8k, CallStats stats) {
        this.out = out;
        this.maxFill8k = maxFill8k;
        this.stats = stats;
    }

    /**
     * A G.711 payload starting at {@code ts}. Returns true when the caller emits it now; false
     * when it was held behind owed silence (it reaches {@link Output#heldAudio} later).
     */
    boolean audio(int payloadType, long ts, byte[] payload, int offset, int length, long arrivalNanos) {
        advanceTo(ts, arrivalNanos);
        expectedTs = (ts + length) & TS_MASK;
        anchorTs = ts;
        anchorArrivalNanos = arrivalNanos;
        if (held == null || held.isEmpty()) {
            return true;
        }
        if (held.offerAudio(payloadType, payload, offset, length, arrivalNanos)) {
            return false;
        }
        payAll();
        return true;
    }

    /** A packet that is silence from {@code ts} on (comfort noise, a telephone event's start). */
    void mark(long ts, long arrivalNanos) {
        advanceTo(ts, arrivalNanos);
    }

    /** A lost stretch of {@code samples} from {@code ts} (the jitter buffer's concealment). */
    void conceal(long ts, int samples, long arrivalNanos) {
        advanceTo((ts + samples) & TS_MASK, arrivalNanos);
    }

    /** The RTP source changed (new SSRC): the next packet is placed by the arrival clock. */
    void newSource() {
        if (expectedTs >= 0) {
            newSource = true;
        }
    }

    /**
     * The call continues on a new socket after {@code gap8k} samples of nothing (measured on the
     * arrival clock by the pipeline): that gap is filled, up to the cap, and the new stream's first
     * packet then starts the timeline afresh, since its timestamps have no relation to the old
     * ones. Returns the samples filled.
     */
    int restart(long gap8k) {
        newSource = false;
        int filled = 0;
        if (gap8k > 0) {
            filled = (int) Math.min(gap8k, maxFill8k);
            if (filled < gap8k) {
                out.cappedGap(gap8k, filled);
            }
            stats.concealedFrames++;
            stats.concealedSamples8k += filled;
            owe(filled);
        }
        expectedTs = -1;
        return filled;
    }

    /** Pays out everything owed at once: for media that does not pass through the timeline. */
    void payOwed() {
        payAll();
    }

    /** Pays out up to {@link #BATCH_8K} of owed silence, and the payloads behind it. */
    void tick() {
        pay(BATCH_8K);
    }

    /** True while silence is owed or payloads wait behind it. */
    boolean owing() {
        return held != null && !held.isEmpty();
    }

    /** End of the call: silence up to {@code endTs} (when it is ahead), then everything owed, at once. */
    void finish(long endTs) {
        if (endTs >= 0 && expectedTs >= 0) {
            advanceTo(endTs, anchorArrivalNanos);
        }
        payAll();
    }

    /** Accepts the silence between the end of the timeline and {@code ts}. */
    private void advanceTo(long ts, long arrivalNanos) {
        if (expectedTs < 0) {
            expectedTs = ts;
            return;
        }
        long gap;
        if (newSource) {
            newSource = false;
            // Where the old stream would be now, by the arrival clock; the new stream's timestamps
            // start from an unrelated base.
            long elapsed8k = Math.max(0, (arrivalNanos - anchorArrivalNanos) / NANOS_PER_SAMPLE_8K);
            gap = (int) ((anchorTs + elapsed8k - expectedTs) & TS_MASK);
            expectedTs = ts;
        } else {
            gap = (int) ((ts - expectedTs) & TS_MASK); // signed: a step back (overlap) is not a gap
            if (gap > 0) {
                expectedTs = ts;
            }
        }
        if (gap <= 0) {
            return;
        }
        int fill = (int) Math.min(gap, maxFill8k);
        if (fill < gap) {
            out.cappedGap(gap, fill);
        }
        stats.concealedFrames++;
        stats.concealedSamples8k += fill;
        owe(fill);
    }

    private void owe(int samples8k) {
        int left = samples8k;
        if (held == null || held.isEmpty()) {
            int now = Math.min(left, BATCH_8K);
            out.silence(now);
            left -= now;
            if (left == 0) {
                return;
            }
            if (held == null) {
                held = new HeldMedia(); // once per call, and only for calls with a gap over a second
            }
        }
        if (!held.offerSilence(left)) {
            payAll();
            for (int done = 0; done < left; done += BATCH_8K) {
                out.silence(Math.min(BATCH_8K, left - done));
            }
        }
    }

    private void payAll() {
        pay(Long.MAX_VALUE);
    }

    private void pay(long budget8k) {
        final HeldMedia h = held;
        if (h == null) {
            return;
        }
        long budget = budget8k;
        while (!h.isEmpty()) {
            int owed = h.headSilence();
            while (owed > 0 && budget > 0) {
                int n = (int) Math.min(Math.min(owed, BATCH_8K), budget);
                out.silence(n);
                h.paySilence(n);
                owed -= n;
                budget -= n;
            }
            if (owed > 0) {
                return;
            }
            if (!h.headHasPayload()) {
                h.clear();
                return;
            }
            out.heldAudio(h.headPayloadType(), h.array(), h.headOffset(), h.headLength(), h.headArrivalNanos());
            h.pop();
        }
    }
}
