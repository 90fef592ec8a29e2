package dev.relay.core.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every state against every event, written out: {@code =} the state ignores the event by design,
 * {@code !} the event is illegal there (the sink logs it and stays).
 */
class LinkStateTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // state             | ATTEMPT             | LINK_UP     | LINK_DOWN     | LINK_FAILED
                "IDLE                | CONNECTING          | !           | !             | !",
                "CONNECTING          | !                   | UP          | DOWN          | FAILED",
                "UP                  | !                   | !           | DOWN          | FAILED",
                "DOWN                | CONNECTING          | !           | =             | FAILED",
                "FAILED              | =                   | =           | =             | =",
                "FLUSHING_CONNECTING | !                   | FLUSHING_UP | FLUSHING_DOWN | FINISHING",
                "FLUSHING_UP         | !                   | !           | FLUSHING_DOWN | FINISHING",
                "FLUSHING_DOWN       | FLUSHING_CONNECTING | !           | =             | FINISHING",
                "FINISHING           | =                   | =           | =             | =",
                "CLOSED              | =                   | =           | =             | =",
            })
    void linkEvents(String state, String attempt, String up, String down, String failed) {
        check(state, new LinkState.Event[] {LinkState.Event.ATTEMPT, LinkState.Event.LINK_UP,
            LinkState.Event.LINK_DOWN, LinkState.Event.LINK_FAILED}, attempt, up, down, failed);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // state             | CLOSE               | FINISH    | DONE   | ABANDON
                "IDLE                | FLUSHING_DOWN       | =         | !      | CLOSED",
                "CONNECTING          | FLUSHING_CONNECTING | =         | !      | CLOSED",
                "UP                  | FLUSHING_UP         | =         | !      | CLOSED",
                "DOWN                | FLUSHING_DOWN       | =         | !      | CLOSED",
                "FAILED              | FINISHING           | =         | !      | CLOSED",
                "FLUSHING_CONNECTING | =                   | FINISHING | !      | CLOSED",
                "FLUSHING_UP         | =                   | FINISHING | !      | CLOSED",
                "FLUSHING_DOWN       | =                   | FINISHING | !      | CLOSED",
                "FINISHING           | =                   | =         | CLOSED | =",
                "CLOSED              | =                   | =         | =      | =",
            })
    void callEvents(String state, String close, String finish, String done, String abandon) {
        check(state, new LinkState.Event[] {LinkState.Event.CLOSE, LinkState.Event.FINISH, LinkState.Event.DONE,
            LinkState.Event.ABANDON}, close, finish, done, abandon);
    }

    private static void check(String state, LinkState.Event[] events, String... expected) {
        LinkState from = LinkState.valueOf(state);
        for (int i = 0; i < events.length; i++) {
            String e = expected[i];
            LinkState want = e.equals("!") ? null : e.equals("=") ? from : LinkState.valueOf(e);
            assertThat(from.next(events[i])).as("%s on %s", from, events[i]).isEqualTo(want);
        }
    }

    @Test
    void theTablesCoverEveryStateAndEvent() {
        assertThat(LinkState.values()).hasSize(10);
        assertThat(LinkState.Event.values()).hasSize(8);
    }

    @Test
    void theQueriesPartitionTheStates() {
        Set<LinkState> up = EnumSet.of(LinkState.UP, LinkState.FLUSHING_UP);
        Set<LinkState> flushing = EnumSet.of(LinkState.FLUSHING_CONNECTING, LinkState.FLUSHING_UP,
                LinkState.FLUSHING_DOWN);
        Set<LinkState> discards = EnumSet.of(LinkState.FAILED, LinkState.FINISHING, LinkState.CLOSED);
        for (LinkState s : LinkState.values()) {
            assertThat(s.isUp()).as("%s up", s).isEqualTo(up.contains(s));
            assertThat(s.flushing()).as("%s flushing", s).isEqualTo(flushing.contains(s));
            assertThat(s.discardsAudio()).as("%s discards", s).isEqualTo(discards.contains(s));
            assertThat(s.callEnded()).as("%s call ended", s).isEqualTo(flushing.contains(s)
                    || s == LinkState.FINISHING || s == LinkState.CLOSED);
        }
        assertThat(Arrays.stream(LinkState.values()).filter(LinkState::isUp)).allMatch(s -> !s.discardsAudio());
    }
}
