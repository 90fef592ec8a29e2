package dev.relay.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.relay.core.net.Json;
import dev.relay.core.testing.PromText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real refusal of io_uring, not a mocked probe: the relay runs under strace, which makes every
 * {@code io_uring_setup} system call fail with EPERM (what {@code kernel.io_uring_disabled = 2}
 * and container seccomp profiles do). {@code relay.transport = auto} (epoll first) must start on
 * epoll untouched by it; {@code relay.transport = io_uring} must refuse to start with exit 2 naming
 * the key.
 * Skipped where strace is missing or may not trace (no ptrace in the sandbox).
 */
@Timeout(120)
class IoUringRefusalTest {
    /** strace with a seccomp filter stops only on io_uring_setup, so the JVM runs at full speed otherwise. */
    private static final List<String> REFUSE_IO_URING = List.of("strace", "-f", "-qq", "-o", "/dev/null",
            "--seccomp-bpf", "-e", "trace=io_uring_setup", "-e", "inject=io_uring_setup:error=EPERM");

    private static boolean straceInjects() {
        try {
            List<String> cmd = new ArrayList<>(REFUSE_IO_URING);
            cmd.add("true");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void autoRunsEpollWhereTheKernelRefusesIoUring(@TempDir Path dir) throws Exception {
        assumeTrue(straceInjects(), "strace cannot inject system call errors here");
        try (RelayProcessFixture relay = RelayProcessFixture.start(dir, REFUSE_IO_URING, "relay.transport = auto")) {
            relay.awaitReady();
            String status = relay.get("/v1/admin/status").body();
            assertThat(Json.MAPPER.readTree(status).path("transport").asText()).as(status).isEqualTo("epoll");
            PromText metrics = PromText.parse(relay.get("/metrics").body());
            assertThat(metrics.value("relay_transport_info", "transport", "epoll", "requested", "auto"))
                    .isEqualTo(1.0);
            assertThat(relay.log()).contains("transport: epoll (relay.transport = auto)");
        }
    }

    @Test
    void insistingOnIoUringWhereTheKernelRefusesItIsAConfigError(@TempDir Path dir) throws Exception {
        assumeTrue(straceInjects(), "strace cannot inject system call errors here");
        try (RelayProcessFixture relay = RelayProcessFixture.start(dir, REFUSE_IO_URING,
                "relay.transport = io_uring")) {
            assertThat(relay.awaitExit()).as(relay.log()).isEqualTo(2);
            assertThat(relay.log()).contains("relay.transport").contains("io_uring is not available here")
                    .contains("Operation not permitted");
        }
    }
}
