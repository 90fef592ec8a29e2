package dev.relay.core.sink.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.codec.wav.WavFormat;
import dev.relay.codec.wav.WavWriter;
import dev.relay.core.ingress.AlohaaOutbound;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Why bot audio is batched: what one second of it costs on the caller's Alohaa socket when sent
 * as 20 ms messages (as bots send it) against 200 ms and 1 s messages. Each Alohaa message is a WAV
 * of its own, as a Buffer JSON digit list.
 */
class OutboundOverheadTest {
    private static long wireBytes(int perMessage) {
        byte[] id = "call_123456789".getBytes(StandardCharsets.UTF_8);
        long total = 0;
        for (int m = 0; m < 8000 / perMessage; m++) {
            int header = WavWriter.headerLength(WavFormat.MULAW_8K_MONO);
            byte[] wav = new byte[header + perMessage];
            WavWriter.writeHeader(wav, 0, WavFormat.MULAW_8K_MONO, perMessage);
            byte[] tone = BotSinkTest.tone(perMessage, m);
            System.arraycopy(tone, 0, wav, header, perMessage);
            ByteBuf out = Unpooled.buffer();
            try {
                AlohaaOutbound.writeMedia(out, id, wav, 0, wav.length, 1_649_433_600_000L);
                total += out.readableBytes();
            } finally {
                out.release();
            }
        }
        return total;
    }

    @Test
    void twentyMillisecondMessagesCostAThirdMoreOnTheWireThanBatches() {
        long per20ms = wireBytes(160);
        long per200ms = wireBytes(1600);
        long per1s = wireBytes(8000);
        System.out.printf("1 s of bot audio on the Alohaa socket: 50 x 20 ms = %d B, 5 x 200 ms = %d B, 1 x 1 s = %d "
                + "B%n",
                per20ms, per200ms, per1s);
        assertThat((double) per20ms / per1s).isGreaterThan(1.3);
        assertThat((double) per200ms / per1s).isLessThan(1.1);
    }
}
