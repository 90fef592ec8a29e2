package dev.relay.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The HOCON a generator-started relay runs with: loopback listeners on free ports, the route
 * {@code default} over the sinks under test, each sink pointed at its fake, then the user's
 * {@code --relay-set} overrides (last, so they win).
 *
 * @param text the config file
 * @param mediaUrl the telephony URL calls connect to, with the run's token
 * @param controlPort the admin API port ({@code /metrics}, {@code /readyz})
 */
record RelayConfigText(String text, URI mediaUrl, int controlPort) {

    /**
     * @param sinkBlocks per-sink HOCON (the fakes' URLs and credentials)
     * @param tlsDir where the self-signed certificate is kept between runs
     */
    static RelayConfigText build(LoadOptions o, List<String> routeSinks, List<String> sinkBlocks, Path runDir,
            Path tlsDir)
            throws IOException {
        int telephony = freePort();
        int control = freePort();
        StringBuilder sb = new StringBuilder();
        sb.append("# Written by the load generator for one run.\n");
        sb.append("relay.telephony.host = \"127.0.0.1\"\n");
        sb.append("relay.telephony.port = ").append(telephony).append('\n');
        sb.append("relay.telephony.tls.enabled = ").append(o.tls).append('\n');
        sb.append("relay.telephony.tls.self-signed-dir = ").append(quote(tlsDir.toString())).append('\n');
        // The relay requires a token by default (SPEC §4.1): give it one per run, and the calls too.
        String token = mediaToken();
        sb.append("relay.telephony.auth.tokens = [").append(quote(token)).append("]\n");
        sb.append("relay.control.host = \"127.0.0.1\"\n");
        sb.append("relay.control.port = ").append(control).append('\n');
        sb.append("relay.sinks.recorder.dir = ").append(quote(runDir.resolve("recordings").toString())).append('\n');
        sb.append("relay.shutdown.flush-timeout = 10s\n");
        // The generator measures the media path up to and past saturation: CPU admission would turn
        // its calls away at exactly the loads it is there to measure (--relay-set can put it back).
        sb.append("relay.admission.max-cpu = 0\n");
        // The run ends by SIGTERM: stop at once, as before drains existed (no grace, no waiting).
        sb.append("relay.drain { accept-grace = 0s, timeout = 0s }\n");
        // The relay (or floor) runs the transport the generator runs; --relay-set may still say otherwise.
        sb.append("relay.transport = ").append(o.transport.label()).append('\n');
        sb.append("relay.routes.default = [");
        for (int i = 0; i < routeSinks.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(quote(routeSinks.get(i)));
        }
        sb.append("]\n");
        for (String block : sinkBlocks) {
            sb.append(block).append('\n');
        }
        for (String kv : o.relaySet) {
            int eq = kv.indexOf('=');
            sb.append(kv, 0, eq).append(" = ").append(kv.substring(eq + 1)).append('\n');
        }
        URI media = URI.create((o.tls ? "wss" : "ws") + "://127.0.0.1:" + telephony + "/media?token=" + token);
        return new RelayConfigText(sb.toString(), media, control);
    }

    /** A random token for one run (base64url, so it needs no escaping in a URL or in HOCON). */
    private static String mediaToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A port free now on 127.0.0.1 (a race with other programs is possible but unlikely). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
