package dev.relay.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificate and key pairs as the relay's {@code tls.cert-file} / {@code key-file}
 * want them (PEM chain, PEM PKCS#8 key), made with the JDK's {@code keytool} (CN=localhost, SAN
 * 127.0.0.1); each pair has its own random serial.
 */
public final class PemPairs {
    private static final char[] PASSWORD = "pem-pairs".toCharArray();

    /** The files of one pair and the serial a client sees. */
    public record Pair(Path cert, Path key, BigInteger serial) {}

    private PemPairs() {}

    /** Writes {@code name}.crt and {@code name}.key under {@code dir}. Blocking (runs keytool). */
    public static Pair generate(Path dir, String name) throws IOException, GeneralSecurityException,
            InterruptedException {
        Path store = dir.resolve(name + ".p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "relay", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool failed: "
                    + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        X509Certificate cert = (X509Certificate) ks.getCertificate("relay");
        Key key = ks.getKey("relay", PASSWORD);
        Path certFile = dir.resolve(name + ".crt");
        Path keyFile = dir.resolve(name + ".key");
        Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
        return new Pair(certFile, keyFile, cert.getSerialNumber());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
