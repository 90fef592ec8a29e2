package dev.relay.codec.jitter;

import static dev.relay.codec.jitter.JitterHarness.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.codec.rtp.RtpHeader;
import dev.relay.codec.testing.RtpPackets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class JitterBufferTest {
    private static final long WAIT = 1_000 * MS;

    @Test
    void emitsInOrderPacketsImmediately() {
        JitterHarness h = new JitterHarness(3, WAIT);
        for (int k = 0; k < 5; k++) {
            assertThat(h.frame(100, 16_000, k)).isEqualTo(PushResult.EMITTED);
            assertThat(h.out.events).hasSize(k + 1);
            assertThat(h.jb.held()).isZero();
        }
        assertThat(h.out.trace()).containsExactly("100", "101", "102", "103", "104");
        assertThat(h.out.payloads()).extracting(RecordingOutput.Event::ts)
                .containsExactly(16_000L, 16_160L, 16_320L, 16_480L, 16_640L);
        JitterStats s = h.jb.stats();
        assertThat(s.received()).isEqualTo(5);
        assertThat(s.emitted()).isEqualTo(5);
        assertThat(s.reordered() + s.duplicates() + s.late() + s.concealedGaps() + s.resets()).isZero();
    }

    @Test
    void afterARestartASenderNumberingFromScratchIsANewStreamNotLatePackets() {
        JitterHarness h = new JitterHarness(3, WAIT);
        for (int k = 0; k < 5; k++) {
            h.frame(100, 16_000, k);
        }
        assertThat(h.frame(100, 16_000, 6)).isEqualTo(PushResult.HELD);
        h.jb.restart(); // the held packet goes out, after the one lost in front of it
        assertThat(h.jb.held()).isZero();
        assertThat(h.out.trace()).hasSize(7).startsWith("100", "101", "102", "103", "104").endsWith("106");
        assertThat(h.out.trace().get(5)).startsWith("~");
        for (int k = 0; k < 3; k++) { // the same numbers again: without the restart, late
            assertThat(h.frame(100, 16_000, k)).isEqualTo(PushResult.EMITTED);
        }
        assertThat(h.jb.stats().late()).isZero();
        assertThat(h.jb.stats().duplicates()).isZero();
    }

    @Test
    void passesPayloadTypeMarkerAndBytesThrough() {
        JitterHarness h = new JitterHarness(3, WAIT);
        byte[] packet = RtpPackets.builder().sequence(7).timestamp(99)
                .payloadType(8).marker(true).payload(new byte[] {0, 7, 42, 43}).csrcs(5).padding(2).build();
        assertThat(h.pushBytes(packet)).isEqualTo(PushResult.EMITTED);
        RecordingOutput.Event e = h.out.events.get(0);
        assertThat(e.payloadType()).isEqualTo(8);
        assertThat(e.marker()).isTrue();
        assertThat(e.ts()).isEqualTo(99);
        assertThat(e.payload()).containsExactly(0, 7, 42, 43);
    }

    @Test
    void reordersSwappedPairWithoutConcealment() {
        JitterHarness h = new JitterHarness(3, WAIT);
        assertThat(h.frame(10, 0, 0)).isEqualTo(PushResult.EMITTED);
        assertThat(h.frame(10, 0, 2)).isEqualTo(PushResult.HELD);
        assertThat(h.out.trace()).containsExactly("10");
        assertThat(h.frame(10, 0, 1)).isEqualTo(PushResult.EMITTED);
        assertThat(h.frame(10, 0, 3)).isEqualTo(PushResult.EMITTED);
        assertThat(h.out.trace()).containsExactly("10", "11", "12", "13");
        assertThat(h.jb.stats().reordered()).isEqualTo(1);
        assertThat(h.jb.stats().concealedGaps()).isZero();
    }

    @Test
    void fillsGapThatArrivesWithinWindow() {
        JitterHarness h = new JitterHarness(3, WAIT);
        h.frame(10, 0, 0);
        assertThat(h.frame(10, 0, 2)).isEqualTo(PushResult.HELD);
        assertThat(h.frame(10, 0, 3)).isEqualTo(PushResult.HELD);
        assertThat(h.frame(10, 0, 4)).isEqualTo(PushResult.HELD);
        assertThat(h.jb.held()).isEqualTo(3);
        assertThat(h.frame(10, 0, 1)).isEqualTo(PushResult.EMITTED);
        assertThat(h.out.trace()).containsExactly("10", "11", "12", "13", "14");
        assertThat(h.jb.held()).isZero();
        assertThat(h.jb.stats().lostPackets()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {80, 160, 240})
    void concealsUnfilledGapWithSampleCountFromTimestamps(int frame) {
        JitterHarness h = new JitterHarness(3, WAIT);
        h.frame = frame;
        h.frame(10, 1000, 0);
        h.frame(10, 1000, 2);
        h.frame(10, 1000, 3);
        h.frame(10, 1000, 4);
        assertThat(h.out.trace()).containsExactly("10");
        // A fourth packet beyond the gap is more than the window holds: the gap is lost.
        assertThat(h.frame(10, 1000, 5)).isEqualTo(PushResult.EMITTED);
        assertThat(h.out.trace())
                .containsExactly("10", "~" + (1000 + frame) + "+" + frame, "12", "13", "14", "15");
        JitterStats s = h.jb.stats();
        assertThat(s.lostPackets()).isEqualTo(1);
        assertThat(s.concealedGaps()).isEqualTo(1);
        assertThat(s.concealedSamples()).isEqualTo(frame);
    }

    static Stream<Arguments> gapsAfterKnownFrameStep() {
        // (frame, packets emitted before the gap, missing packets)
        return Stream.of(Arguments.of(80, 3, 2), Arguments.of(240, 2, 1), Arguments.of(160, 5, 3),
                Arguments.of(160, 1, 2));
    }

    @ParameterizedTest
    @MethodSource("gapsAfterKnownFrameStep")
    void concealsMultiPacketGapAsOneSpanOfMissingTimestamps(int frame, int before, int missing) {
        JitterHarness h = new JitterHarness(2, WAIT);
        h.frame = frame;
        for (int k = 0; k < before; k++) {
            h.frame(500, 0, k);
        }
        int firstAfter = before + missing;
        h.frame(500, 0, firstAfter);
        h.frame(500, 0, firstAfter + 1);
        h.frame(500, 0, firstAfter + 2);
        assertThat(h.out.conceals()).singleElement().satisfies(c -> {
            assertThat(c.ts()).isEqualTo((long) before * frame);
            assertThat(c.samples()).isEqualTo(missing * frame);
        });
        assertThat(h.out.payloads()).hasSize(before + 3);
        assertThat(h.jb.stats().lostPackets()).isEqualTo(missing);
    }

    @Test
    void dropsDuplicatesOfEmittedAndHeldPackets() {
        JitterHarness h = new JitterHarness(3, WAIT);
        h.frame(10, 0, 0);
        h.frame(10, 0, 1);
        assertThat(h.frame(10, 0, 1)).isEqualTo(PushResult.DUPLICATE);
        assertThat(h.frame(10, 0, 0)).isEqualTo(PushResult.DUPLICATE);
        assertThat(h.frame(10, 0, 3)).isEqualTo(PushResult.HELD);
        assertThat(h.frame(10, 0, 3)).isEqualTo(PushResult.DUPLICATE);
        h.frame(10, 0, 2);
        assertThat(h.out.trace()).containsExactly("10", "11", "12", "13");
        assertThat(h.jb.stats().duplicates()).isEqualTo(3);
        assertThat(h.jb.stats().late()).isZero();
    }

    @Test
    void dropsPacketArrivingAfterItsGapWasConcealedAsLate() {
        JitterHarness h = new JitterHarness(1, WAIT);
        h.frame(10, 0, 0);
        h.frame(10, 0, 2);
        h.frame(10, 0, 3); // beyond a window of 1: frame 1 is declared lost
        assertThat(h.out.trace()).containsExactly("10", "~160+160", "12", "13");
        assertThat(h.frame(10, 0, 1)).isEqualTo(PushResult.LATE);
        assertThat(h.out.events).hasSize(4);
        assertThat(h.jb.stats().late()).isEqualTo(1);
        assertThat(h.jb.stats().duplicates()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {65, 100, 999})
    void dropsPacketOlderThanDuplicateHistoryAsLate(int age) {
        JitterHarness h = new JitterHarness(3, WAIT);
        h.frame = 2;
        for (int k = 0; k <= age; k++) {
            h.frame(0, 0, k);
        }
        assertThat(h.frame(0, 0, 0)).isEqualTo(PushResult.LATE);
        assertThat(h.jb.stats().late()).isEqualTo(1);
    }

    @Test
    void reordersAcrossSequenceWrap() {
        JitterHarness h = new JitterHarness(3, WAIT);
        int[] order = {65533, 65535, 65534, 1, 0, 2};
        for (int seq : order) {
            h.push(seq, (long) ((seq - 65533) & 0xFFFF) * 160);
        }
        assertThat(h.out.trace()).containsExactly("65533", "65534", "65535", "0", "1", "2");
        assertThat(h.jb.stats().reordered()).isEqualTo(2);
        assertThat(h.jb.stats().concealedGaps()).isZero();
    }

    @Test
    void concealsGapAcrossTimestampWrap() {
        JitterHarness h = new JitterHarness(1, WAIT);
        long ts0 = (1L << 32) - 320;
        h.frame(7, ts0, 0);
        h.frame(7, ts0, 1); // ts 2^32 - 160
        h.frame(7, ts0, 3); // ts 160 after the wrap
        h.frame(7, ts0, 4);
        assertThat(h.out.trace()).containsExactly("7", "8", "~0+160", "10", "11");
        assertThat(h.out.payloads()).extracting(RecordingOutput.Event::ts)
                .containsExactly(ts0, (1L << 32) - 160, 160L, 320L);
    }

    @Test
    void resetsOnSsrcChangeAfterFlushingHeldPackets() {
        JitterHarness h = new JitterHarness(3, WAIT);
        h.frame(10, 0, 0);
        h.frame(10, 0, 2);
        h.ssrc = 0x5555L;
        assertThat(h.push(40_000, 9_999_999)).isEqualTo(PushResult.RESET);
        assertThat(h.out.trace()).containsExactly("10", "~160+160", "12", "40000");
        assertThat(h.frame(40_000, 9_999_999, 1)).isEqualTo(PushResult.EMITTED);
        assertThat(h.jb.stats().resets()).isEqualTo(1);
        assertThat(h.jb.held()).isZero();
    }

    @ParameterizedTest
    @CsvSource({
        "1002, 160",     // sequence jump forward: 1001 beyond the next expected
        "-1001, 0",      // sequence jump backward: 1002 before the next expected
        "2, 80161",      // timestamp jump forward past 10 s at 8 kHz
        "1, -80001",     // timestamp jump backward
    })
    void resetsOnLargeJumpInEitherDirection(int seqStep, long tsStep) {
        JitterHarness h = new JitterHarness(3, WAIT);
        h.frame(2000, 500_000, 0);
        h.frame(2000, 500_000, 1);
        assertThat(h.push(2001 + seqStep, 500_160 + tsStep)).isEqualTo(PushResult.RESET);
        assertThat(h.out.trace()).containsExactly("2000", "2001", Integer.toString((2001 + seqStep) & 0xFFFF));
        assertThat(h.out.conceals()).isEmpty();
        // The new stream continues from the packet that reset it.
        assertThat(h.push(2002 + seqStep, 500_320 + tsStep)).isEqualTo(PushResult.EMITTED);
        assertThat(h.jb.stats().resets()).isEqualTo(1);
    }

    @Test
    void concealsJumpBelowThresholdInsteadOfResetting() {
        JitterHarness h = new JitterHarness(3, WAIT);
        h.frame(0, 0, 0);
        h.frame(0, 0, 1);
        assertThat(h.frame(0, 0, 100)).isEqualTo(PushResult.EMITTED);
        assertThat(h.out.trace()).containsExactly("0", "1", "~320+15680", "100");
        assertThat(h.jb.stats().resets()).isZero();
        assertThat(h.jb.stats().lostPackets()).isEqualTo(98);
    }

    @Test
    void releasesGapOnPollOnceHeldPacketWaitedMaxWait() {
        JitterHarness h = new JitterHarness(3, 60 * MS);
        h.nowNs = 5 * MS;
        h.frame(10, 0, 0);
        h.nowNs = 20 * MS;
        assertThat(h.frame(10, 0, 2)).isEqualTo(PushResult.HELD);
        h.jb.poll(79 * MS);
        assertThat(h.out.trace()).containsExactly("10");
        h.jb.poll(80 * MS);
        assertThat(h.out.trace()).containsExactly("10", "~160+160", "12");
        h.nowNs = 81 * MS;
        assertThat(h.frame(10, 0, 1)).isEqualTo(PushResult.LATE);
    }

    @Test
    void releasesExpiredGapsOnPushBeforeHandlingPacket() {
        JitterHarness h = new JitterHarness(3, 60 * MS);
        h.frame(10, 0, 0);
        h.nowNs = 20 * MS;
        h.frame(10, 0, 2);
        h.nowNs = 40 * MS;
        h.frame(10, 0, 4);
        h.nowNs = 80 * MS; // frame 12 waited 60 ms, frame 14 only 40 ms
        assertThat(h.frame(10, 0, 3)).isEqualTo(PushResult.EMITTED);
        assertThat(h.out.trace()).containsExactly("10", "~160+160", "12", "13", "14");
    }

    @Test
    void releasesEveryGapUpToLongestWaitingPacketEvenIfItIsNotFirst() {
        JitterHarness h = new JitterHarness(4, 60 * MS);
        h.frame(10, 0, 0);
        h.frame(10, 0, 4); // arrives first, at t=0
        h.nowNs = 30 * MS;
        h.frame(10, 0, 2);
        h.jb.poll(60 * MS);
        assertThat(h.out.trace()).containsExactly("10", "~160+160", "12", "~480+160", "14");
    }

    @Test
    void flushEmitsHeldPacketsConcealingGaps() {
        JitterHarness h = new JitterHarness(4, WAIT);
        h.frame(10, 0, 0);
        h.frame(10, 0, 1);
        h.frame(10, 0, 3);
        h.frame(10, 0, 5);
        h.jb.flush();
        assertThat(h.out.trace()).containsExactly("10", "11", "~320+160", "13", "~640+160", "15");
        assertThat(h.jb.held()).isZero();
        assertThat(h.jb.stats().concealedSamples()).isEqualTo(320);
    }

    @Test
    void rejectsOversizedPayloadWithoutDisturbingStream() {
        JitterBuffer jb = new JitterBuffer(3, WAIT, 200, new RecordingOutput());
        JitterHarness h = new JitterHarness(jb);
        h.frame(10, 0, 0);
        assertThat(h.push(11, 160, 201)).isEqualTo(PushResult.OVERSIZED);
        assertThat(h.push(11, 160, 200)).isEqualTo(PushResult.EMITTED);
        assertThat(jb.stats().oversized()).isEqualTo(1);
        assertThat(jb.stats().emitted()).isEqualTo(2);
        assertThat(jb.stats().received()).isEqualTo(3);
    }

    @Test
    void refusesFlyweightThatFailedValidation() {
        JitterBuffer jb = new JitterBuffer(3, WAIT, 200, new RecordingOutput());
        RtpHeader rtp = new RtpHeader();
        rtp.wrap(new byte[5], 0, 5);
        assertThatThrownBy(() -> jb.push(rtp, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"1, 2", "2, 4", "3, 4", "4, 8", "7, 8", "8, 16", "512, 1024"})
    void sizesRingToPowerOfTwoAboveWindow(int window, int capacity) {
        assertThat(new JitterBuffer(window, WAIT, 160, new RecordingOutput()).capacity()).isEqualTo(capacity);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 1000000, 160, 1000, 80000",
        "513, 1000000, 160, 2000, 80000",
        "3, 0, 160, 1000, 80000",
        "3, 1000000, 0, 1000, 80000",
        "3, 1000000, 160, 2, 80000",
        "3, 1000000, 160, 32768, 80000",
        "3, 1000000, 160, 1000, 0",
    })
    void rejectsInvalidConfiguration(int window, long waitNs, int maxPayload, int maxSeqJump, int maxTsJump) {
        assertThatThrownBy(() -> new JitterBuffer(window, waitNs, maxPayload, maxSeqJump, maxTsJump,
                new RecordingOutput())).isInstanceOf(IllegalArgumentException.class);
    }
}
