package dev.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.core.config.TransportMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line of scripts/loadtest. */
class LoadOptionsTest {

    @Test
    void defaultsAreAHundredCallsOnASeparateRelayWithBothNetworkSinks() {
        LoadOptions o = LoadOptions.parse();
        assertThat(o.calls).isEqualTo(100);
        assertThat(o.placement).isEqualTo(LoadOptions.Placement.PROCESS);
        assertThat(o.sinks).containsExactly("aiola", "session-stream");
        assertThat(o.tls).isTrue();
        assertThat(o.chunkMs).isZero();
        assertThat(o.warmupMs).isEqualTo(5_000);
        assertThat(o.rampMsFor(1000)).isEqualTo(2_000);
    }

    @ParameterizedTest
    @CsvSource({"60s, 60000", "1500ms, 1500", "2m, 120000", "10, 10000", "0.5s, 500"})
    void durationsTakeUnits(String text, long ms) {
        assertThat(LoadOptions.parse("--duration", text).durationMs).isEqualTo(ms);
    }

    @Test
    void rampIsATimeOrARate() {
        assertThat(LoadOptions.parse("--ramp", "10s").rampMsFor(4000)).isEqualTo(10_000);
        assertThat(LoadOptions.parse("--ramp=200/s").rampMsFor(4000)).isEqualTo(20_000);
    }

    @Test
    void optionsTakeEqualsOrSeparateValues() {
        LoadOptions o = LoadOptions.parse("--calls=50", "--duration", "10s", "--target", "wss://10.0.0.5:8443/media",
                "--relay-set", "relay.dsp.mode=inline", "--relay-jvm", "-XX:+UseZGC -Xmx1g", "--form", "mix",
                "--sinks", "aiola", "--tls", "off");
        assertThat(o.calls).isEqualTo(50);
        assertThat(o.placement).isEqualTo(LoadOptions.Placement.TARGET);
        assertThat(o.relaySet).containsExactly("relay.dsp.mode=inline");
        assertThat(o.relayJvm).containsExactly("-XX:+UseZGC", "-Xmx1g");
        assertThat(o.form).isEqualTo(LoadOptions.Form.MIX);
        assertThat(o.sinks).containsExactly("aiola");
        assertThat(o.tls).isFalse();
        assertThat(o.warmupMs).isEqualTo(5_000);
    }

    @Test
    void theRigOptionsDefaultToAutoUnpinnedAndNoFloor() {
        LoadOptions o = LoadOptions.parse();
        assertThat(o.transport).isEqualTo(TransportMode.AUTO);
        assertThat(o.pin).isNull();
        assertThat(o.floor).isFalse();
        assertThat(o.compareFloor).isFalse();
        LoadOptions rig = LoadOptions.parse("--transport", "io_uring", "--pin", "--compare-floor", "--sinks",
                "session-stream", "--tls", "off");
        assertThat(rig.transport).isEqualTo(TransportMode.IO_URING);
        assertThat(rig.pin).isEmpty();
        assertThat(rig.compareFloor).isTrue();
        assertThat(LoadOptions.parse("--pin=0-3/4-7").pin).isEqualTo("0-3/4-7");
    }

    @Test
    void shortRunsWarmUpForHalfTheirDuration() {
        assertThat(LoadOptions.parse("--duration", "4s").warmupMs).isEqualTo(2_000);
        assertThat(LoadOptions.parse("--duration", "4s", "--warmup", "0").warmupMs).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--calls 0|--calls: not a positive integer",
        "--duration soon|--duration: not a duration",
        "--form morse|--form: one of",
        "--loss 60|--loss: a percentage",
        "--sinks kafka|unknown sink 'kafka'",
        "--sinks probe|needs --in-process",
        "--bogus 1|unknown option --bogus",
        "--calls|--calls needs a value",
        "--warmup 30s --duration 10s|--warmup must be shorter",
        "--relay-set nothing|--relay-set wants key=value",
        "--transport kqueue|--transport: auto, io_uring, epoll or nio",
        "--compare-floor --sinks recorder|the floor forwards to aiola and session-stream only",
        "--compare-floor --loss 1|could not match --loss",
        "--floor --play-every 5s|no control API",
        "--floor --compare-floor|choose one",
        "--compare-floor --target ws://10.0.0.5/media|not with --target",
        "--compare-floor --capacity|not --capacity",
        "--pin=0|--pin=R/G wants two CPU lists",
        "--pin=a/b|--pin=R/G wants two CPU lists",
        "--pin --in-process|--pin needs the relay in a JVM of its own",
    })
    void badArgumentsNameTheOption(String args, String message) {
        assertThatThrownBy(() -> LoadOptions.parse(args.split(" ")))
                .isInstanceOf(LoadOptions.BadArgument.class)
                .hasMessageContaining(message);
    }
}
