package dev.relay.codec.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.codec.testing.RtpPackets;
import dev.relay.codec.testing.TestData;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class RtpHeaderTest {
    private static final int OFFSET = 7;
    private final RtpHeader rtp = new RtpHeader();

    /** Wraps {@code packet} at {@code OFFSET} inside a larger array with garbage either side. */
    private RtpRejection wrapAtOffset(byte[] packet, int length) {
        byte[] buf = new byte[OFFSET + packet.length + 5];
        Arrays.fill(buf, (byte) 0xEE);
        System.arraycopy(packet, 0, buf, OFFSET, packet.length);
        return rtp.wrap(buf, OFFSET, length);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 11})
    void rejectsPacketShorterThanFixedHeader(int length) {
        byte[] packet = RtpPackets.builder().build();
        assertThat(wrapAtOffset(packet, length)).isEqualTo(RtpRejection.TRUNCATED_HEADER);
        assertThat(rtp.isValid()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void rejectsRtpVersionOtherThanTwo(int version) {
        byte[] packet = RtpPackets.builder().version(version).build();
        assertThat(wrapAtOffset(packet, packet.length)).isEqualTo(RtpRejection.BAD_VERSION);
    }

    static Stream<Arguments> csrcCountsAndShortLengths() {
        return Stream.of(
                Arguments.of(1, 12), Arguments.of(1, 15),
                Arguments.of(2, 16), Arguments.of(2, 19),
                Arguments.of(15, 12), Arguments.of(15, 71));
    }

    @ParameterizedTest
    @MethodSource("csrcCountsAndShortLengths")
    void rejectsCsrcListRunningPastEnd(int csrcCount, int length) {
        byte[] packet = RtpPackets.builder().csrcs(new long[csrcCount]).build();
        assertThat(wrapAtOffset(packet, length)).isEqualTo(RtpRejection.CSRC_PAST_END);
    }

    static Stream<Arguments> extensionsAndShortLengths() {
        // (csrcs, extension words, length): header of the extension cut, then its body cut.
        return Stream.of(
                Arguments.of(0, 0, 12), Arguments.of(0, 0, 15),
                Arguments.of(0, 1, 16), Arguments.of(0, 1, 19),
                Arguments.of(0, 3, 27), Arguments.of(2, 1, 27));
    }

    @ParameterizedTest
    @MethodSource("extensionsAndShortLengths")
    void rejectsHeaderExtensionRunningPastEnd(int csrcs, int words, int length) {
        byte[] packet = RtpPackets.builder().csrcs(new long[csrcs]).extension(0xBEDE, words).build();
        assertThat(wrapAtOffset(packet, length)).isEqualTo(RtpRejection.EXTENSION_PAST_END);
    }

    @Test
    void rejectsPaddingCountOfZeroAsBadPadding() {
        byte[] packet = RtpPackets.builder().padding(4).build();
        packet[packet.length - 1] = 0;
        assertThat(wrapAtOffset(packet, packet.length)).isEqualTo(RtpRejection.BAD_PADDING);
    }

    static Stream<Arguments> paddingCountsBeyondPayload() {
        // (payload bytes, padding count written in the last octet)
        return Stream.of(Arguments.of(0, 1), Arguments.of(0, 255), Arguments.of(3, 4),
                Arguments.of(3, 5), Arguments.of(10, 200));
    }

    @ParameterizedTest
    @MethodSource("paddingCountsBeyondPayload")
    void rejectsPaddingCountLargerThanBytesAfterHeader(int payloadBytes, int count) {
        // The packet carries exactly payloadBytes after the header; the count octet claims more.
        byte[] packet = RtpPackets.builder().payload(new byte[payloadBytes]).build();
        // Set P by hand; with no payload the count octet is the SSRC's last byte.
        packet[0] |= 0x20;
        packet[packet.length - 1] = (byte) count;
        assertThat(count).isGreaterThan(payloadBytes);
        assertThat(wrapAtOffset(packet, packet.length))
                .isEqualTo(RtpRejection.PADDING_EXCEEDS_PAYLOAD);
    }

    static Stream<RtpPackets> layoutsWithNothingAfterHeader() {
        return Stream.of(
                RtpPackets.builder().payload(new byte[0]),
                RtpPackets.builder().payload(new byte[0]).csrcs(1, 2, 3),
                RtpPackets.builder().payload(new byte[0]).extension(0x1000, 2),
                RtpPackets.builder().payload(new byte[0]).padding(1),
                RtpPackets.builder().payload(new byte[0]).padding(7).csrcs(9).extension(1, 0));
    }

    @ParameterizedTest
    @MethodSource("layoutsWithNothingAfterHeader")
    void rejectsPacketWithNoPayloadAfterHeaderAndPadding(RtpPackets layout) {
        byte[] packet = layout.build();
        assertThat(wrapAtOffset(packet, packet.length)).isEqualTo(RtpRejection.EMPTY_PAYLOAD);
    }

    @Test
    void acceptsOnePayloadByteAfterEveryOptionalPart() {
        byte[] packet = RtpPackets.builder().payload(new byte[] {42}).csrcs(1).extension(2, 1)
                .padding(3).build();
        assertThat(wrapAtOffset(packet, packet.length)).isEqualTo(RtpRejection.NONE);
        assertThat(rtp.payloadLength()).isEqualTo(1);
        assertThat(rtp.buffer()[rtp.payloadOffset()]).isEqualTo((byte) 42);
    }

    @Test
    void validatesOnlyWithinGivenLengthIgnoringBytesBeyond() {
        // Trailing bytes beyond length look like a padding count; they must not be consulted.
        byte[] buf = RtpPackets.builder().leading(3).trailing(9).payload(new byte[] {5, 6}).build();
        assertThat(rtp.wrap(buf, 3, 14)).isEqualTo(RtpRejection.NONE);
        assertThat(rtp.payloadLength()).isEqualTo(2);
        assertThat(rtp.wrap(buf, 3, 13)).isEqualTo(RtpRejection.NONE);
        assertThat(rtp.payloadLength()).isEqualTo(1);
    }

    @Test
    void throwsWhenRangeLiesOutsideArray() {
        byte[] buf = new byte[20];
        assertThatThrownBy(() -> rtp.wrap(buf, 10, 11)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> rtp.wrap(buf, -1, 12)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void parsesEveryFieldAtNonZeroOffset() {
        byte[] payload = {10, 20, 30, 40, 50};
        byte[] buf = RtpPackets.builder().leading(OFFSET).trailing(4).marker(true).payloadType(101)
                .sequence(0xFEDC).timestamp(0xFFFF_FFFEL).ssrc(0xF00D_BEEFL)
                .csrcs(0x8000_0001L, 0x0102_0304L).extension(0xBEDE, 2).padding(6)
                .payload(payload).build();
        int length = buf.length - OFFSET - 4;
        byte[] before = buf.clone();

        assertThat(rtp.wrap(buf, OFFSET, length)).isEqualTo(RtpRejection.NONE);

        assertThat(rtp.isValid()).isTrue();
        assertThat(rtp.buffer()).isSameAs(buf);
        assertThat(rtp.offset()).isEqualTo(OFFSET);
        assertThat(rtp.length()).isEqualTo(length);
        assertThat(rtp.version()).isEqualTo(2);
        assertThat(rtp.padding()).isTrue();
        assertThat(rtp.extension()).isTrue();
        assertThat(rtp.csrcCount()).isEqualTo(2);
        assertThat(rtp.marker()).isTrue();
        assertThat(rtp.payloadType()).isEqualTo(101);
        assertThat(rtp.sequence()).isEqualTo(0xFEDC);
        assertThat(rtp.timestamp()).isEqualTo(0xFFFF_FFFEL);
        assertThat(rtp.ssrc()).isEqualTo(0xF00D_BEEFL);
        assertThat(rtp.csrc(0)).isEqualTo(0x8000_0001L);
        assertThat(rtp.csrc(1)).isEqualTo(0x0102_0304L);
        assertThat(rtp.extensionProfile()).isEqualTo(0xBEDE);
        assertThat(rtp.extensionLengthBytes()).isEqualTo(8);
        assertThat(rtp.extensionBodyOffset()).isEqualTo(OFFSET + 12 + 8 + 4);
        assertThat(rtp.payloadOffset()).isEqualTo(OFFSET + 12 + 8 + 4 + 8);
        assertThat(rtp.payloadLength()).isEqualTo(payload.length);
        assertThat(rtp.paddingLength()).isEqualTo(6);
        assertThat(Arrays.copyOfRange(buf, rtp.payloadOffset(), rtp.payloadOffset() + 5))
                .isEqualTo(payload);
        assertThatThrownBy(() -> rtp.csrc(2)).isInstanceOf(IndexOutOfBoundsException.class);

        assertThat(RtpHeader.version(buf, OFFSET)).isEqualTo(2);
        assertThat(RtpHeader.padding(buf, OFFSET)).isTrue();
        assertThat(RtpHeader.extension(buf, OFFSET)).isTrue();
        assertThat(RtpHeader.csrcCount(buf, OFFSET)).isEqualTo(2);
        assertThat(RtpHeader.marker(buf, OFFSET)).isTrue();
        assertThat(RtpHeader.payloadType(buf, OFFSET)).isEqualTo(101);
        assertThat(RtpHeader.sequence(buf, OFFSET)).isEqualTo(0xFEDC);
        assertThat(RtpHeader.timestamp(buf, OFFSET)).isEqualTo(0xFFFF_FFFEL);
        assertThat(RtpHeader.ssrc(buf, OFFSET)).isEqualTo(0xF00D_BEEFL);
        assertThat(buf).as("flyweight never writes").isEqualTo(before);
    }

    @Test
    void reportsNoExtensionAndNoPaddingWhenBitsClear() {
        byte[] packet = RtpPackets.builder().build();
        assertThat(wrapAtOffset(packet, packet.length)).isEqualTo(RtpRejection.NONE);
        assertThat(rtp.extension()).isFalse();
        assertThat(rtp.extensionProfile()).isEqualTo(-1);
        assertThat(rtp.extensionLengthBytes()).isZero();
        assertThat(rtp.extensionBodyOffset()).isEqualTo(-1);
        assertThat(rtp.padding()).isFalse();
        assertThat(rtp.paddingLength()).isZero();
        assertThat(rtp.marker()).isFalse();
        assertThat(rtp.payloadOffset()).isEqualTo(OFFSET + 12);
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 1L, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL})
    void readsUnsignedThirtyTwoBitFieldsWithoutSignExtension(long value) {
        byte[] packet = RtpPackets.builder().timestamp(value).ssrc(value).csrcs(value).build();
        assertThat(wrapAtOffset(packet, packet.length)).isEqualTo(RtpRejection.NONE);
        assertThat(rtp.timestamp()).isEqualTo(value);
        assertThat(rtp.ssrc()).isEqualTo(value);
        assertThat(rtp.csrc(0)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 0x7FFF, 0x8000, 0xFFFF})
    void readsSequenceAsUnsignedSixteenBits(int seq) {
        byte[] packet = RtpPackets.builder().sequence(seq).build();
        assertThat(wrapAtOffset(packet, packet.length)).isEqualTo(RtpRejection.NONE);
        assertThat(rtp.sequence()).isEqualTo(seq);
    }

    @Test
    void invalidatesFlyweightAfterRejectedWrap() {
        byte[] good = RtpPackets.builder().build();
        assertThat(rtp.wrap(good, 0, good.length)).isEqualTo(RtpRejection.NONE);
        assertThat(rtp.wrap(good, 0, 5)).isEqualTo(RtpRejection.TRUNCATED_HEADER);
        assertThat(rtp.isValid()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(RtpRejection.class)
    void everyRejectionHasLowerCaseLabelAndDescription(RtpRejection r) {
        assertThat(r.label()).matches("[a-z_]+").isEqualTo(r.name().toLowerCase(Locale.ROOT));
        assertThat(r.description()).isNotBlank();
    }

    @Test
    void parsesFirstRecordOfReferenceRtpFile() {
        byte[] file = TestData.bytes("speech_8k_pcmu_rtp.bin");
        // Record framing: 2-byte big-endian length, the packet starts at offset 2.
        assertThat(((file[0] & 0xFF) << 8) | (file[1] & 0xFF)).isEqualTo(172);
        assertThat(rtp.wrap(file, 2, 172)).isEqualTo(RtpRejection.NONE);
        assertThat(rtp.sequence()).isEqualTo(65500);
        assertThat(rtp.timestamp()).isEqualTo(0xFFFF_C180L);
        assertThat(rtp.marker()).isTrue();
        assertThat(rtp.payloadType()).isZero();
        assertThat(rtp.ssrc()).isEqualTo(0x1234_ABCDL);
        assertThat(rtp.csrcCount()).isZero();
        assertThat(rtp.payloadOffset()).isEqualTo(2 + 12);
        assertThat(rtp.payloadLength()).isEqualTo(160);
    }

    @Test
    void parsesAllReferenceRecordsInPlace() {
        byte[] file = TestData.bytes("speech_8k_pcmu_rtp.bin");
        byte[] ulaw = TestData.bytes("speech_8k.ulaw");
        int offset = 0;
        int records = 0;
        while (offset < file.length) {
            int length = ((file[offset] & 0xFF) << 8) | (file[offset + 1] & 0xFF);
            int i = records;
            assertThat(rtp.wrap(file, offset + 2, length)).as("record %d", i).isEqualTo(RtpRejection.NONE);
            assertThat(rtp.sequence()).isEqualTo((65500 + i) & 0xFFFF);
            assertThat(rtp.timestamp()).isEqualTo((4_294_951_296L + 160L * i) & 0xFFFF_FFFFL);
            assertThat(rtp.marker()).isEqualTo(i == 0);
            assertThat(rtp.payloadLength()).isEqualTo(160);
            int real = Math.min(160, ulaw.length - 160 * i);
            assertThat(Arrays.copyOfRange(file, rtp.payloadOffset(), rtp.payloadOffset() + real))
                    .isEqualTo(Arrays.copyOfRange(ulaw, 160 * i, 160 * i + real));
            offset += 2 + length;
            records++;
        }
        assertThat(records).isEqualTo(426);
        assertThat(rtp.sequence()).isEqualTo(389);
        assertThat(rtp.timestamp()).isEqualTo(52000L);
        List<byte[]> split = RtpPackets.framedRecords(file);
        assertThat(split).hasSize(426);
        assertThat(IntStream.range(0, 426).allMatch(k -> split.get(k).length == 172)).isTrue();
    }
}
