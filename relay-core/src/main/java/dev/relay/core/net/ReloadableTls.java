package dev.relay.core.net;

import dev.relay.core.config.ConfigError;
import dev.relay.core.config.TelephonyConfig;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.GeneralSecurityException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The telephony listener's TLS context, replaced while the relay runs when
 * {@code relay.telephony.tls.cert-file} / {@code key-file} change: each new connection takes
 * {@link #get()} as it is accepted, so new handshakes use the new pair and connections already
 * open keep the engine they were built with (live calls are not touched).
 *
 * <p>A reload is triggered by a change in the files' directories (a {@link WatchService} thread,
 * which waits for {@link #QUIET_MS} of quiet so that a cert and key written one after the other
 * are read together) or by {@link #reload} (SIGHUP). It happens only when the files' bytes
 * changed, and only with a pair that {@link CertificatePair} accepts and the TLS provider builds;
 * otherwise the old pair stays, with a warning. Outcomes are counted for
 * {@code relay_tls_reloads_total{outcome}}. The generated self-signed certificate has no files
 * to watch and is never reloaded.
 *
 * <p>Thread-safe: {@link #get()} is a volatile read on the accepting IO loop; reloads are
 * serialised and block (file IO), on the watch thread or a signal handler's thread.
 */
public final class ReloadableTls implements Supplier<SslContext>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReloadableTls.class);
    /** How long the files' directories must be quiet before a change is read. */
    static final long QUIET_MS = 300;
    private static final LongAdder RELOADED = new LongAdder();
    private static final LongAdder FAILED = new LongAdder();

    private final TelephonyConfig.Tls tls;
    private volatile SslContext current;
    private String fingerprint;
    private WatchService watcher;
    private Thread watchThread;

    private ReloadableTls(TelephonyConfig.Tls tls, SslContext initial, String fingerprint) {
        this.tls = tls;
        this.current = initial;
        this.fingerprint = fingerprint;
    }

    /**
     * Builds the context (as {@link TlsContexts#server}) and, for a configured pair, starts watching
     * its files. Blocking; start-up only.
     *
     * @throws ConfigError when the configured pair cannot be used
     */
    public static ReloadableTls start(TelephonyConfig.Tls tls) {
        if (tls.certFile() == null) {
            return new ReloadableTls(tls, TlsContexts.server(tls), null);
        }
        CertificatePair pair;
        SslContext context;
        try {
            pair = CertificatePair.read(tls.certFile(), tls.keyFile());
            context = TlsContexts.server(pair.certPem(), pair.keyPem());
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigError("relay.telephony.tls.cert-file",
                    "cannot use the certificate and key: " + e.getMessage(), e);
        }
        ReloadableTls reloadable = new ReloadableTls(tls, context, pair.fingerprint());
        log.info("TLS provider {}, certificate {}", TlsContexts.provider(), pair.describe());
        reloadable.watch();
        return reloadable;
    }

    /** The context for a connection accepted now. */
    @Override
    public SslContext get() {
        return current;
    }

    /**
     * Reads the configured files again and, when they changed and the new pair is good, uses it for
     * new handshakes. Returns true when the context was replaced. Blocking.
     */
    public synchronized boolean reload(String trigger) {
        if (tls.certFile() == null) {
            log.info("TLS reload ({}): the self-signed certificate has no files to reload", trigger);
            return false;
        }
        try {
            String now = CertificatePair.fingerprint(tls.certFile(), tls.keyFile());
            if (now.equals(fingerprint)) {
                return false;
            }
            CertificatePair pair = CertificatePair.read(tls.certFile(), tls.keyFile());
            current = TlsContexts.server(pair.certPem(), pair.keyPem());
            fingerprint = pair.fingerprint();
            RELOADED.increment();
            log.info("TLS certificate reloaded ({}): {}; new handshakes use it, open connections keep theirs",
                    trigger, pair.describe());
            return true;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            FAILED.increment();
            log.warn("TLS reload ({}) failed, keeping the certificate in use: {}", trigger, e.toString());
            return false;
        }
    }

    /** Successful reloads since start (all relays in this process). */
    public static long reloaded() {
        return RELOADED.sum();
    }

    /** Reloads refused for a bad pair since start (all relays in this process). */
    public static long failed() {
        return FAILED.sum();
    }

    /** Stops watching the files. */
    @Override
    public void close() {
        WatchService w;
        synchronized (this) {
            w = watcher;
            watcher = null;
        }
        if (w != null) {
            try {
                w.close();
            } catch (IOException ignored) {
                // Closing is all that is left to do with it.
            }
        }
    }

    private void watch() {
        Set<Path> dirs = new LinkedHashSet<>();
        dirs.add(parent(tls.certFile()));
        dirs.add(parent(tls.keyFile()));
        try {
            WatchService w = FileSystems.getDefault().newWatchService();
            for (Path dir : dirs) {
                // Any change in the directory: editors and secret managers replace files by rename
                // or swap a symlinked directory, which names neither file.
                dir.register(w, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
            watcher = w;
            watchThread = new Thread(() -> run(w), "relay-tls-watch");
            watchThread.setDaemon(true);
            watchThread.start();
        } catch (IOException | RuntimeException e) {
            log.warn("cannot watch {} for certificate changes ({}): reload with SIGHUP", dirs, e.toString());
        }
    }

    private void run(WatchService w) {
        try {
            while (true) {
                WatchKey key = w.take();
                drain(key);
                // Wait for quiet: a certificate and its key are rarely written in one step.
                for (WatchKey more; (more = w.poll(QUIET_MS, TimeUnit.MILLISECONDS)) != null; ) {
                    drain(more);
                }
                reload("file change");
            }
        } catch (InterruptedException | ClosedWatchServiceException stopped) {
            // close() or the JVM is going away.
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    private static Path parent(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : parent;
    }
}
