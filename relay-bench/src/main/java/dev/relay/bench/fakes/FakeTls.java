package dev.relay.bench.fakes;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * A self-signed certificate for the fake servers (CN=localhost, SAN 127.0.0.1 and localhost),
 * made once with the JDK's {@code keytool} and kept as a PKCS#12 file, so the relay under test can
 * be told to trust it ({@code -Djavax.net.ssl.trustStore=…}) and verify host names as in
 * production.
 */
public final class FakeTls {
    public static final String FILE = "fakes-selfsigned.p12";
    /** Not a secret: it guards a throwaway test certificate. */
    public static final String PASSWORD = "fakes-selfsigned";

    private FakeTls() {}

    /** The keystore under {@code dir}, generated on first use. Blocking. */
    public static Path keystore(Path dir) throws IOException {
        Path store = dir.resolve(FILE);
        if (Files.exists(store)) {
            return store;
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "fake", "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "3650", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", tmp.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("keytool failed: "
                        + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making a certificate", e);
        }
        Files.move(tmp, store, StandardCopyOption.ATOMIC_MOVE);
        return store;
    }

    /** A server context over the keystore in {@code dir} (BoringSSL when it loads). */
    public static SslContext server(Path dir) throws IOException {
        try (InputStream in = Files.newInputStream(keystore(dir))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            return SslContextBuilder.forServer(kmf)
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK).build();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }
}
