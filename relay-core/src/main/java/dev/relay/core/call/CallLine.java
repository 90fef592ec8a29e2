package dev.relay.core.call;

import dev.relay.core.sink.CallAudio;
import io.netty.channel.EventLoop;
import java.util.function.Consumer;

/**
 * The socket a call is on now: its IO loop and its way back to the caller ({@link Call.Control}).
 * Fixed for most calls; a takeover ({@code relay.telephony.duplicate-call-id = resume}) moves it
 * to the new socket, which may be on another IO loop.
 *
 * <p>Everything that reaches the caller (played audio, greetings, interrupts, hang-ups, from the
 * control API or a sink on any thread) goes through {@link #onSocket}, which runs it on the loop
 * of the socket current when it runs: a task that reaches the old loop after the call moved is
 * passed on to the new one, so the old socket (closing) never gets it and the new one never runs
 * it on a foreign thread. It is also the call's {@link CallAudio}, as sinks see it.
 *
 * <p>Thread-safe: the socket is swapped by one volatile write, on the old socket's loop.
 */
final class CallLine implements CallAudio {
    /** One socket: where it runs and how to reach its caller. */
    record Socket(EventLoop loop, Call.Control control) {}

    private volatile Socket socket;

    CallLine(EventLoop loop, Call.Control control) {
        this.socket = new Socket(loop, control);
    }

    /** The IO loop of the call's socket now. */
    EventLoop loop() {
        return socket.loop();
    }

    /** The call's socket now; on its loop only, as any {@link Call.Control} call. */
    Call.Control control() {
        return socket.control();
    }

    /** From now on, the call's socket is {@code control} on {@code loop}. */
    void moveTo(EventLoop loop, Call.Control control) {
        socket = new Socket(loop, control);
    }

    /** Runs {@code action} with the call's socket on that socket's loop; any thread. */
    void onSocket(Consumer<Call.Control> action) {
        Socket at = socket;
        at.loop().execute(() -> {
            Socket now = socket;
            if (now.loop().inEventLoop()) {
                action.accept(now.control());
            } else {
                onSocket(action); // the call moved to another loop meanwhile
            }
        });
    }

    @Override
    public boolean canPlay() {
        return socket.control().canPlayAudio();
    }

    @Override
    public void play(byte[] ulaw) {
        onSocket(c -> c.sendAudio(ulaw, 0, ulaw.length));
    }

    @Override
    public void interrupt() {
        onSocket(Call.Control::sendInterrupt);
    }
}
