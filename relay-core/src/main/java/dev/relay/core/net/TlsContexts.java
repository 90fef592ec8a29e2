package dev.relay.core.net;

import dev.relay.core.config.ConfigError;
import dev.relay.core.config.TelephonyConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the server TLS context: BoringSSL through netty-tcnative when it loads, the JDK provider
 * otherwise; the configured PEM pair, or a self-signed certificate made once with the JDK's
 * {@code keytool} and kept in {@code relay.telephony.tls.self-signed-dir} for later starts.
 */
public final class TlsContexts {
    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);
    static final String SELF_SIGNED_FILE = "relay-selfsigned.p12";
    /** Not a secret: it guards a throwaway development certificate. */
    static final char[] SELF_SIGNED_PASSWORD = "relay-selfsigned".toCharArray();

    private TlsContexts() {}

    public static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    public static SslContext server(TelephonyConfig.Tls tls) {
        try {
            SslContextBuilder builder;
            if (tls.certFile() != null) {
                builder = SslContextBuilder.forServer(tls.certFile().toFile(), tls.keyFile().toFile());
            } else {
                KeyManagerFactory kmf = selfSigned(tls.selfSignedDir());
                builder = SslContextBuilder.forServer(provider() == SslProvider.OPENSSL
                        ? new OpenSslCachingX509KeyManagerFactory(kmf) : kmf);
            }
            SslContext context = builder.sslProvider(provider()).build();
            log.info("TLS provider {} ({})", provider(), tls.certFile() != null ? tls.certFile() : "self-signed");
            return context;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            String key = tls.certFile() != null ? "relay.telephony.tls.cert-file"
                    : "relay.telephony.tls.self-signed-dir";
            throw new ConfigError(key, "cannot build TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * A server context over a PEM chain and PKCS#8 key already read (a certificate reload builds
     * from the very bytes it checked).
     */
    static SslContext server(byte[] certPem, byte[] keyPem) throws IOException {
        try (InputStream cert = new ByteArrayInputStream(certPem); InputStream key = new ByteArrayInputStream(keyPem)) {
            return SslContextBuilder.forServer(cert, key).sslProvider(provider()).build();
        }
    }

    /** Loads, or creates on first start, the self-signed keystore. Blocking; start-up only. */
    static KeyManagerFactory selfSigned(Path dir) throws IOException, GeneralSecurityException {
        Path store = dir.resolve(SELF_SIGNED_FILE);
        if (!Files.exists(store)) {
            Files.createDirectories(dir);
            generate(store);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, SELF_SIGNED_PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, SELF_SIGNED_PASSWORD);
        return kmf;
    }

    private static void generate(Path store) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path tmp = store.resolveSibling(store.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        String password = new String(SELF_SIGNED_PASSWORD);
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "relay",
                        "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650",
                        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                        "-storetype", "PKCS12", "-keystore", tmp.toString(),
                        "-storepass", password, "-keypass", password)
                .redirectErrorStream(true)
                .start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.destroyForcibly();
                throw new IOException("keytool failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating the self-signed certificate", e);
        }
        Files.move(tmp, store, StandardCopyOption.ATOMIC_MOVE);
        log.info("generated self-signed certificate {} (CN=localhost, valid 10 years)", store);
    }
}
