package dev.relay.core.ingress;

import dev.relay.core.scanner.IoScratch;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Raw binary PCM16 LE mono at {@code relay.telephony.raw-sample-rate} (SPEC §4.3). The first frame
 * registers the call, under {@code ?callId=} from the upgrade URL or a generated id.
 */
final class RawProtocol extends CallProtocol {
    private int carry = -1;

    RawProtocol(SocketSetup setup, long registrationDeadlineNanos) {
        super(setup, registrationDeadlineNanos);
    }

    @Override
    String name() {
        return "raw";
    }

    @Override
    public boolean canPlayAudio() {
        return false;
    }

    @Override
    void onText(ByteBuf content, long nowNanos) {
        malformed("text_on_raw_stream");
    }

    @Override
    void onBinary(ByteBuf content, long nowNanos) {
        if (call == null) {
            String id = setup.rawCallId() != null
                    ? setup.rawCallId()
                    : "raw-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
            register(id, "");
            if (call == null) {
                if (claiming()) {
                    holdCurrentFrame(); // its audio is the call's first: replayed once placed
                }
                return;
            }
        }
        byte[] scratch = IoScratch.get().payload;
        int rate = setup.config().rawSampleRateHz();
        int index = content.readerIndex();
        int remaining = content.readableBytes();
        while (remaining > 0) {
            int start = 0;
            if (carry >= 0) {
                // A sample split across frames: finish it with this frame's first byte.
                scratch[0] = (byte) carry;
                start = 1;
                carry = -1;
            }
            int n = Math.min(scratch.length - start, remaining);
            content.getBytes(index, scratch, start, n);
            index += n;
            remaining -= n;
            int total = start + n;
            if ((total & 1) != 0) {
                carry = scratch[total - 1] & 0xFF;
                total--;
            }
            call.ingress().pcm16(scratch, 0, total, false, rate, nowNanos);
        }
    }
}
