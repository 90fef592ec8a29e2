package dev.relay.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay as a process: exit status 2 on config errors (naming the key), 1 on a failure to
 * start, 0 after SIGTERM, and the generated media token of a first start.
 */
@Timeout(60)
class MainProcessTest {
    private static Process start(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // The JVM flags the test forks get (config/jvm.properties for this JDK).
                "@" + System.getProperty("jvm.argfile"), "-Drelay.log.level=INFO",
                "-cp", System.getProperty("java.class.path")));
        cmd.addAll(List.of(args));
        // Output goes to a file: destroy() closes the pipes, and the log must survive it.
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile()).start();
    }

    @Test
    void configErrorExits2WithOneLineNamingTheKey(@TempDir Path dir) throws Exception {
        Process p = start(dir, "-Drelay.telephony.port=70000", "dev.relay.core.Main");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out.strip()).isEqualTo("config error: relay.telephony.port: must be in [0, 65535], got 70000");
    }

    @Test
    void unknownArgumentExits2(@TempDir Path dir) throws Exception {
        Process p = start(dir, "dev.relay.core.Main", "--bogus");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
    }

    /** A start-up failure that is not a config error (the port taken) exits 1, logging why. */
    @Test
    void aFailureToStartExits1(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path conf = dir.resolve("test.conf");
            Files.writeString(conf, "relay.telephony { host = \"127.0.0.1\", port = " + taken.getLocalPort()
                    + ", tls.enabled = false }\nrelay.control.port = 0\n");
            Process p = start(dir, "dev.relay.core.Main", "--config", conf.toString());
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isEqualTo(1);
            assertThat(out).contains("relay failed to start");
        }
    }

    private static boolean accepts(int port) {
        try {
            new Socket("127.0.0.1", port).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void sigtermAfterStartExits0(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("test.conf");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(conf, "relay.telephony { host = \"127.0.0.1\", port = " + port + ", tls.enabled = false }\n"
                + "relay.control.port = 0\n");
        Process p = start(dir, "dev.relay.core.Main", "--config", conf.toString());
        Await.until("relay listening", Duration.ofSeconds(30), () -> !p.isAlive() || accepts(port));
        assertThat(p.isAlive()).as("relay still running").isTrue();
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("relay stopped");
        // The shipped default: a token generated under ./run, logged once with the media URL.
        String token = Files.readString(dir.resolve("run/telephony-token"), StandardCharsets.UTF_8).strip();
        assertThat(out).contains("ws://127.0.0.1:" + port + "/media?token=" + token);
    }
}
