package dev.relay.core.sink.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.event.EventBus;
import dev.relay.core.net.JsonStrings;
import dev.relay.core.net.MediaStreamsWriter;
import dev.relay.core.net.MediaStreamsWriter.Layout;
import dev.relay.core.net.MediaStreamsWriter.SidAt;
import dev.relay.core.sink.CallContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Before BotEnvelope goes: the one Media Streams writer, with the bot's layout, writes its bytes. */
class BotEnvelopeEquivalenceTest {
    private static final Layout BOT = new Layout(SidAt.LAST, SidAt.AFTER_EVENT, SidAt.AFTER_SEQUENCE,
            SidAt.AFTER_SEQUENCE);

    @Test
    void everyMessageIsByteForByteTheSame() {
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 2000; round++) {
            // The bot's sid is generated ASCII; the old media prefix went through writeValueAsString, which
            // differs from writeValueAsBytes only for surrogates, so those are left to the control messages.
            String sid = JsonStrings.random(random, 40, true, false);
            String callId = JsonStrings.random(random, 20, true, true);
            BotEnvelope old = new BotEnvelope(sid, callId);
            MediaStreamsWriter now = new MediaStreamsWriter(sid, BOT);

            int length = random.nextInt(700);
            byte[] audio = new byte[length + 3];
            random.nextBytes(audio);
            long seq = random.nextLong(Long.MAX_VALUE);
            long chunk = random.nextInt(1000);
            long ts = round % 2 == 0 ? random.nextLong(Long.MAX_VALUE) : random.nextInt(100);
            ByteBuf a = Unpooled.buffer(old.mediaLength(length));
            ByteBuf b = Unpooled.buffer(now.mediaLength(length));
            try {
                old.media(a, seq, chunk, ts, audio, 3, length);
                now.media(b, seq, chunk, ts, audio, 3, length);
                assertThat(b.readableBytes()).isLessThanOrEqualTo(now.mediaLength(length));
                assertThat(ByteBufUtil.getBytes(b)).isEqualTo(ByteBufUtil.getBytes(a));
            } finally {
                a.release();
                b.release();
            }

            String mobileNo = JsonStrings.random(random, 12, true, true);
            String route = JsonStrings.random(random, 12, true, true);
            long reconnects = random.nextInt(5);
            CallContext call = new CallContext(callId, route, mobileNo, 0, new EventBus());
            BotConfig.Encoding encoding = round % 2 == 0 ? BotConfig.Encoding.L16 : BotConfig.Encoding.MULAW;
            Map<String, String> custom = new LinkedHashMap<>();
            custom.put("callId", callId);
            custom.put("mobileNo", mobileNo);
            custom.put("route", route);
            custom.put("reconnects", Long.toString(reconnects));
            assertThat(written(out -> now.start(out, seq, new MediaStreamsWriter.Start(callId, callId, custom,
                    encoding.mediaType(), encoding.sampleRateHz()))))
                    .isEqualTo(old.start(seq, call, encoding, reconnects));

            String name = JsonStrings.random(random, 20, true, true);
            assertThat(written(out -> now.mark(out, seq, name))).isEqualTo(old.mark(seq, name));
            String reason = JsonStrings.random(random, 20, true, true);
            assertThat(written(out -> now.stop(out, seq, callId, reason))).isEqualTo(old.stop(seq, reason));
        }
        assertThat(written(MediaStreamsWriter::connected)).isEqualTo(BotEnvelope.CONNECTED);
    }

    static byte[] written(Consumer<ByteBuf> writer) {
        ByteBuf out = Unpooled.buffer();
        try {
            writer.accept(out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
