package dev.relay.bench.floor;

import dev.relay.core.net.PassFlush;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's connection to one fake sink, as the floor sees it: counts the call's inbound media
 * messages and, once the connection is up, writes a chunk of {@code chunk-ms} of audio (640 bytes
 * per 20 ms frame) each time a chunk's worth has come in, flushed at the end of the loop's pass as
 * the relay's sinks flush ({@link PassFlush}). Frames that
 * arrive while the connection is still being set up are only counted, and written when it is up,
 * so the fake receives every frame's bytes in order, as it would from the relay; at the call's end
 * the remainder goes as a shorter chunk, then the connection closes.
 *
 * <p>Runs on the call's event loop only (the telephony socket's, as the relay's sinks do).
 */
abstract class Leg {
    private static final Logger log = LoggerFactory.getLogger(Leg.class);
    /** PCM16 at 16 kHz: bytes of one 20 ms frame. */
    static final int FRAME_BYTES = 640;

    final String callId;
    final EventLoop loop;
    private final int chunkFrames;
    private long framesIn;
    private long framesWritten;
    private Channel channel;
    private PassFlush passFlush;
    private boolean ending;
    private boolean closed;

    Leg(String callId, EventLoop loop, int chunkMs) {
        this.callId = callId;
        this.loop = loop;
        this.chunkFrames = chunkMs / 20;
    }

    /** Opens the connection; {@link #up(Channel)} or {@link #failed(String)} follows on the loop. */
    abstract void connect();

    /** Writes (without flushing) one chunk of {@code bytes} bytes of audio to {@code ch}. */
    abstract void writeChunk(Channel ch, int bytes);

    /** Writes what closes the connection politely (then the channel is closed). */
    abstract void writeGoodbye(Channel ch);

    /** One inbound media message of the call. */
    final void onFrame() {
        framesIn++;
        if (channel != null && framesIn - framesWritten >= chunkFrames) {
            drain(false);
        }
    }

    /** The call ended: write what is left and close, now or once the connection is up. */
    final void end() {
        ending = true;
        if (channel != null) {
            drain(true);
            close();
        }
    }

    /** The connection is ready for audio. */
    final void up(Channel ch) {
        if (closed) {
            ch.close();
            return;
        }
        channel = ch;
        passFlush = new PassFlush(loop, ch::flush);
        drain(ending);
        if (ending) {
            close();
        }
    }

    final void failed(String why) {
        if (!closed) {
            closed = true;
            log.warn("floor {}: call {}: {}", getClass().getSimpleName(), callId, why);
        }
    }

    private void drain(boolean all) {
        boolean wrote = false;
        while (framesIn - framesWritten >= chunkFrames) {
            writeChunk(channel, chunkFrames * FRAME_BYTES);
            framesWritten += chunkFrames;
            wrote = true;
        }
        if (all && framesIn > framesWritten) {
            writeChunk(channel, (int) (framesIn - framesWritten) * FRAME_BYTES);
            framesWritten = framesIn;
            wrote = true;
        }
        if (wrote && all) {
            channel.flush();
        } else if (wrote) {
            passFlush.request();
        }
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        writeGoodbye(channel);
        Channel ch = channel;
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> ch.close());
    }
}
