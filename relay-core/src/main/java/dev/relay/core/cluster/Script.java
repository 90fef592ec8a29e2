package dev.relay.core.cluster;

import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The engine's Lua scripts ({@code dev/relay/core/cluster/*.lua}), each run with {@code EVALSHA}
 * by its SHA-1 and sent in full only when Redis answers {@code NOSCRIPT} (after a restart). Each
 * script is one atomic step; its file says what it takes and returns.
 */
enum Script {
    BEAT("beat.lua", ScriptOutputType.MULTI),
    SYNC("sync.lua", ScriptOutputType.MULTI),
    CLAIM("claim.lua", ScriptOutputType.MULTI),
    UNREGISTER("unregister.lua", ScriptOutputType.INTEGER),
    OWNER("owner.lua", ScriptOutputType.MULTI),
    REAP("reap.lua", ScriptOutputType.MULTI),
    LEAVE("leave.lua", ScriptOutputType.INTEGER),
    NODES("nodes.lua", ScriptOutputType.MULTI),
    NODE_CALLS("node-calls.lua", ScriptOutputType.MULTI),
    PENDING("pending.lua", ScriptOutputType.INTEGER);

    final String text;
    final String sha;
    final ScriptOutputType output;

    Script(String file, ScriptOutputType output) {
        this.text = load(file);
        this.sha = sha1Hex(text);
        this.output = output;
    }

    private static String load(String file) {
        try (InputStream in = Script.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
        }
    }
}
