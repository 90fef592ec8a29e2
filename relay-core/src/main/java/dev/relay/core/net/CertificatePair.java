package dev.relay.core.net;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;

/**
 * A PEM certificate chain and PKCS#8 private key as read from disk, checked before the relay
 * serves them: the certificate parses and is valid now, and the key signs what the certificate's
 * public key verifies (a certificate swapped without its key, or the reverse, is caught here, not
 * by the first caller whose handshake fails).
 *
 * <p>Immutable. Reading and checking block (file IO): start-up, the reload thread or a signal
 * handler's thread, never an event loop.
 */
final class CertificatePair {
    private final byte[] certPem;
    private final byte[] keyPem;
    private final X509Certificate leaf;
    private final String fingerprint;

    private CertificatePair(byte[] certPem, byte[] keyPem, X509Certificate leaf) {
        this.certPem = certPem;
        this.keyPem = keyPem;
        this.leaf = leaf;
        this.fingerprint = fingerprint(certPem, keyPem);
    }

    /** SHA-256 over both files as they are now, to tell a real change from a touched file. */
    static String fingerprint(Path certFile, Path keyFile) throws IOException {
        return fingerprint(Files.readAllBytes(certFile), Files.readAllBytes(keyFile));
    }

    private static String fingerprint(byte[] certPem, byte[] keyPem) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(certPem);
            sha.update((byte) 0);
            sha.update(keyPem);
            return HexFormat.of().formatHex(sha.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Reads both files once and checks the pair; the exception's message says what is wrong with
     * it. The context is then built from these same bytes, so a file that changes again meanwhile
     * cannot slip in unchecked.
     */
    static CertificatePair read(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        byte[] certPem = Files.readAllBytes(certFile);
        byte[] keyPem = Files.readAllBytes(keyFile);
        X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certPem));
        leaf.checkValidity(new Date());
        PrivateKey key = KeyFactory.getInstance(leaf.getPublicKey().getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(pkcs8(keyPem)));
        String algorithm = switch (leaf.getPublicKey().getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "EdDSA", "Ed25519", "Ed448" -> leaf.getPublicKey().getAlgorithm();
            default -> null; // e.g. RSASSA-PSS, whose parameters live in the key: the TLS stack judges it
        };
        if (algorithm == null) {
            return new CertificatePair(certPem, keyPem, leaf);
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(leaf.getPublicKey());
        verifier.update(challenge);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("the private key does not belong to the certificate");
        }
        return new CertificatePair(certPem, keyPem, leaf);
    }

    private static byte[] pkcs8(byte[] keyPem) throws GeneralSecurityException {
        String text = new String(keyPem, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException("not a PEM PKCS#8 private key (-----BEGIN PRIVATE KEY-----)");
        }
        String body = text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end);
        try {
            return Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the private key's base64 does not decode", e);
        }
    }

    String fingerprint() {
        return fingerprint;
    }

    /** The certificate chain as read (PEM); not copied. */
    byte[] certPem() {
        return certPem;
    }

    /** The private key as read (PEM PKCS#8); not copied. */
    byte[] keyPem() {
        return keyPem;
    }

    /** For the log: subject, serial (hex) and expiry of the leaf certificate. */
    String describe() {
        return leaf.getSubjectX500Principal().getName() + " serial " + leaf.getSerialNumber().toString(16)
                + " valid until " + leaf.getNotAfter().toInstant();
    }
}
