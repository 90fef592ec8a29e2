package dev.relay.core.sink;

/**
 * Where one {@link StreamingSink} stands with its destination and its call, as one value: the link
 * (connecting, up, down, failed) while the call is live, the same while the call has ended and the
 * queue is flushing, then finishing and closed. Every transition is in {@link #next}.
 *
 * <pre>
 *  call live                                     call ended, queue flushing
 *
 *  IDLE --attempt--> CONNECTING --up--> UP        FLUSHING_CONNECTING --up--> FLUSHING_UP
 *                      ^      |          |           ^          |                  |
 *                attempt    down       down       attempt      down               down
 *                      |      v          |           |          v                  |
 *                      +---- DOWN <------+           +---- FLUSHING_DOWN <---------+
 *
 *  close   IDLE, DOWN -> FLUSHING_DOWN   CONNECTING -> FLUSHING_CONNECTING   UP -> FLUSHING_UP
 *          FAILED -> FINISHING
 *  failed  CONNECTING, UP, DOWN -> FAILED (no retries; audio dropped)   FLUSHING_* -> FINISHING
 *  finish  FLUSHING_* -> FINISHING (queue empty, or the flush timeout passed)
 *  done    FINISHING -> CLOSED (the subclass's finish completed)
 *  abandon any state before FINISHING -> CLOSED (the IO loop stopped under the sink)
 * </pre>
 *
 * <p>{@link #next} answers the state itself for an event the state ignores by design (a link
 * report once the call's fate is settled, closing twice) and null for an event that cannot happen
 * in a correct sink (a link reported up that was not connecting); the sink logs those.
 */
enum LinkState {
    IDLE,
    CONNECTING,
    UP,
    DOWN,
    FAILED,
    FLUSHING_CONNECTING,
    FLUSHING_UP,
    FLUSHING_DOWN,
    FINISHING,
    CLOSED;

    /** What moves the state: the subclass's link reports, the call's end, the sink's own timers. */
    enum Event {
        /** The first connect, or a retry after the backoff. */
        ATTEMPT,
        LINK_UP,
        LINK_DOWN,
        /** The destination refused the call for good. */
        LINK_FAILED,
        /** The call ended. */
        CLOSE,
        /** The queue is flushed (or the flush timed out): the subclass's finish begins. */
        FINISH,
        /** The subclass's finish completed. */
        DONE,
        /** The IO loop terminated before the sink finished. */
        ABANDON
    }

    /** The state after {@code event}: this state when it ignores the event, null when it is illegal here. */
    LinkState next(Event event) {
        return switch (event) {
            case ATTEMPT -> switch (this) {
                case IDLE, DOWN -> CONNECTING;
                case FLUSHING_DOWN -> FLUSHING_CONNECTING;
                case FAILED, FINISHING, CLOSED -> this;
                default -> null;
            };
            case LINK_UP -> switch (this) {
                case CONNECTING -> UP;
                case FLUSHING_CONNECTING -> FLUSHING_UP;
                case FAILED, FINISHING, CLOSED -> this;
                default -> null;
            };
            case LINK_DOWN -> switch (this) {
                case CONNECTING, UP -> DOWN;
                case FLUSHING_CONNECTING, FLUSHING_UP -> FLUSHING_DOWN;
                // Already down; or the subclass closing its own connection once the call is over.
                case DOWN, FLUSHING_DOWN, FAILED, FINISHING, CLOSED -> this;
                default -> null;
            };
            case LINK_FAILED -> switch (this) {
                case CONNECTING, UP, DOWN -> FAILED;
                case FLUSHING_CONNECTING, FLUSHING_UP, FLUSHING_DOWN -> FINISHING;
                case FAILED, FINISHING, CLOSED -> this;
                default -> null;
            };
            case CLOSE -> switch (this) {
                case IDLE, DOWN -> FLUSHING_DOWN;
                case CONNECTING -> FLUSHING_CONNECTING;
                case UP -> FLUSHING_UP;
                case FAILED -> FINISHING;
                default -> this;
            };
            case FINISH -> flushing() ? FINISHING : this;
            case DONE -> switch (this) {
                case FINISHING -> CLOSED;
                case CLOSED -> this;
                default -> null;
            };
            case ABANDON -> this == FINISHING || this == CLOSED ? this : CLOSED;
        };
    }

    /** The link is up: queued audio flows. */
    boolean isUp() {
        return this == UP || this == FLUSHING_UP;
    }

    /** The call ended and the queue is still draining. */
    boolean flushing() {
        return this == FLUSHING_CONNECTING || this == FLUSHING_UP || this == FLUSHING_DOWN;
    }

    /** The call ended for this sink: flushing, finishing or closed. */
    boolean callEnded() {
        return flushing() || this == FINISHING || this == CLOSED;
    }

    /** Nothing queued can be sent any more: it is dropped and counted. */
    boolean discardsAudio() {
        return this == FAILED || this == FINISHING || this == CLOSED;
    }
}
