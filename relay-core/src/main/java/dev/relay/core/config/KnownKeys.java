package dev.relay.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Refuses a key under {@code relay.} that the relay does not read (SPEC §3): a misspelt key would
 * otherwise be silently ignored and its default used. The error names the key and the nearest
 * known one by edit distance.
 *
 * <p>The known keys are those {@code reference.conf} defines, so a component that adds its keys
 * there is known without touching this class. Beside them:
 * <ul>
 *   <li>map-valued keys, whose children are names the operator chooses ({@link #OPEN_MAPS}, and
 *       any key whose default is an empty object, such as {@code create-body {}});
 *   <li>below a key whose default is a plain value nothing is checked here: a HOCON object there
 *       (as {@code vad-config} allows) is for that key's own typed read to judge;
 *   <li>old names still read, with a warning, by {@link RenamedKeys} ({@link #ALIASES});
 *   <li>JVM switches that share the {@code relay.} prefix but are read as system properties by
 *       {@code logback.xml} and the codec, never through HOCON ({@link #JVM_SWITCHES}).
 * </ul>
 * Stateless; called once at start.
 */
public final class KnownKeys {
    /** Map-valued keys whose defaults are not empty objects. */
    static final List<String> OPEN_MAPS = List.of(
            "relay.routes",
            "relay.sinks.aiola.keywords",
            "relay.sinks.aiola.routes",
            "relay.sinks.session-stream.create-body");

    /** Old names still read; {@code *} stands for any one path segment. */
    static final List<String> ALIASES = List.of(
            RenamedKeys.OLD_FLUSH_TIMEOUT,
            // The sinks' queue bound becomes queue-duration; queue-frames stays readable under every sink.
            "relay.sinks.*.queue-frames");

    /** System properties under {@code relay.} that configure the JVM side, not the relay's HOCON. */
    static final List<String> JVM_SWITCHES = List.of("relay.log.level", "relay.log.netty", "relay.resample.kernel");

    private KnownKeys() {}

    /**
     * Every {@code reference.conf} on the class path as written. Not
     * {@code ConfigFactory.defaultReference()}: that one has the system properties merged in, so a
     * misspelt {@code -D} key would count as known.
     */
    public static Config reference() {
        return ConfigFactory.parseResources(KnownKeys.class.getClassLoader(), "reference.conf");
    }

    /**
     * Throws a {@link ConfigError} for the first unknown key under {@code relay} in {@code merged}
     * (in key order), comparing with {@code reference} (the embedded defaults).
     */
    public static void check(Config merged, Config reference) {
        ConfigValue user = merged.root().get("relay");
        ConfigValue known = reference.root().get("relay");
        if (!(user instanceof ConfigObject userRelay) || !(known instanceof ConfigObject knownRelay)) {
            return; // a missing or non-object relay fails on the first typed read, naming its key
        }
        List<String> unknown = new ArrayList<>();
        walk("relay", userRelay, knownRelay, unknown);
        if (unknown.isEmpty()) {
            return;
        }
        String key = unknown.get(0);
        String nearest = nearest(key, knownPaths(reference));
        String more = unknown.size() > 1 ? " (and " + (unknown.size() - 1) + " more unknown)" : "";
        throw new ConfigError(key, "unknown key" + (nearest == null ? "" : "; nearest known key: " + nearest) + more);
    }

    private static void walk(String path, ConfigObject user, ConfigObject known, List<String> unknown) {
        for (String name : new TreeSet<>(user.keySet())) {
            String child = child(path, name);
            ConfigValue value = user.get(name);
            ConfigValue reference = known.get(name);
            if (isOpen(child) || matchesAny(child, ALIASES)) {
                continue;
            }
            if (reference == null) {
                for (String leaf : leaves(child, value)) {
                    if (!JVM_SWITCHES.contains(leaf) && !matchesAny(leaf, ALIASES)) {
                        unknown.add(leaf);
                    }
                }
            } else if (reference instanceof ConfigObject refObject && value instanceof ConfigObject userObject
                    && !refObject.isEmpty()) {
                walk(child, userObject, refObject, unknown);
            }
        }
    }

    /** {@code path.name}, with {@code name} quoted when it holds a dot or other HOCON syntax. */
    private static String child(String path, String name) {
        List<String> segments = new ArrayList<>(ConfigUtil.splitPath(path));
        segments.add(name);
        return ConfigUtil.joinPath(segments);
    }

    private static boolean isOpen(String path) {
        return OPEN_MAPS.contains(path);
    }

    /** The leaf paths at and below {@code value}: what the operator actually wrote. */
    private static List<String> leaves(String path, ConfigValue value) {
        if (!(value instanceof ConfigObject object) || object.isEmpty()) {
            return List.of(path);
        }
        List<String> out = new ArrayList<>();
        for (String name : new TreeSet<>(object.keySet())) {
            out.addAll(leaves(child(path, name), object.get(name)));
        }
        return out;
    }

    /**
     * Every key the relay reads: the reference's leaves and map-valued keys, plus each sink's
     * {@code queue-frames} (the SPEC's name, so a near miss is pointed at it); other aliases are
     * not suggested.
     */
    static List<String> knownPaths(Config reference) {
        List<String> out = new ArrayList<>();
        reference.getConfig("relay").root().forEach((name, value) -> collect(child("relay", name), value, out));
        for (String path : List.copyOf(out)) {
            if (path.endsWith(".queue-duration")) {
                out.add(path.substring(0, path.length() - "duration".length()) + "frames");
            }
        }
        for (String open : OPEN_MAPS) {
            if (!out.contains(open)) {
                out.add(open);
            }
        }
        return out;
    }

    private static void collect(String path, ConfigValue value, List<String> out) {
        if (value.valueType() == ConfigValueType.OBJECT && !((ConfigObject) value).isEmpty() && !isOpen(path)) {
            ((ConfigObject) value).forEach((name, v) -> collect(child(path, name), v, out));
        } else {
            out.add(path);
        }
    }

    private static boolean matchesAny(String path, List<String> patterns) {
        List<String> segments = ConfigUtil.splitPath(path);
        for (String pattern : patterns) {
            List<String> p = List.of(pattern.split("\\.")); // patterns are plain dotted names
            if (p.size() != segments.size()) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < p.size() && match; i++) {
                match = p.get(i).equals("*") || p.get(i).equals(segments.get(i));
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    /** The candidate closest to {@code key} by edit distance, or null when there are none. */
    static String nearest(String key, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = editDistance(key, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance (insert, delete, substitute one character each cost 1). */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
