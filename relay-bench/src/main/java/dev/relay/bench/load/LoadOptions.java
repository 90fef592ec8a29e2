package dev.relay.bench.load;

import dev.relay.core.config.TransportMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Command-line settings of one load run (or capacity search), with their defaults. Parsed by
 * {@link #parse}; {@link #help()} is what {@code scripts/loadtest --help} prints.
 */
public final class LoadOptions {
    /** What {@code scripts/loadtest --help} prints ({@code loadtest-help.txt} beside this class). */
    public static String help() {
        try (InputStream in = LoadOptions.class.getResourceAsStream("loadtest-help.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            return "usage: scripts/loadtest --calls N --duration D [options] (help text missing from the jar)\n";
        }
    }

    /** Payload forms of {@code media} messages (SPEC §4.1); MIX cycles them per call. */
    public enum Form {
        BUFFER,
        BASE64,
        BINARY,
        MIX
    }

    /** Where the relay under test runs. */
    public enum Placement {
        PROCESS,
        IN_PROCESS,
        TARGET
    }

    public int calls = 100;
    public long durationMs = 30_000;
    public double rampPerSecond = 500;
    public long rampMs = -1;
    public long warmupMs = -1;
    public Form form = Form.BUFFER;
    public double lossPercent;
    public double reorderPercent;
    public long seed = 1;
    public long playEveryMs;
    public int playMs = 1000;
    public String targetControl;
    public Placement placement = Placement.PROCESS;
    public String target;
    public String targetMetrics;
    public long targetPid = -1;
    public Path relayJar;
    public String relayJava;
    public List<String> relayJvm = new ArrayList<>();
    public List<String> relaySet = new ArrayList<>();
    public boolean jfr;
    public boolean sinkTls;
    public boolean tls = true;
    public List<String> sinks = new ArrayList<>(List.of("aiola", "session-stream"));
    /** aiOla {@code chunk-ms}; 0 leaves the relay's default. */
    public int chunkMs;
    public int aiolaPort;
    public int sessionPort;
    public int loops = 2;
    public int fakeLoops = 1;
    public int sourceIps;
    public long tickUs = 100;
    public long progressMs = 5_000;
    public long drainMs = 10_000;
    public Path out = Path.of("loadtest-runs");
    public Path testdata;
    public boolean capacity;
    public double thresholdMs = 20;
    public int capStart = 500;
    public int capStep = 500;
    public int capMax;
    public int capResolution = 250;
    public boolean help;
    /** Transport of the generator, the fakes, the relay and the floor. */
    public TransportMode transport = TransportMode.AUTO;
    /** Run the floor instead of the relay. */
    public boolean floor;
    /** Run the floor, then the relay, and compare. */
    public boolean compareFloor;
    /** {@code --pin}: null when off, "" for the default split, else {@code R/G} CPU lists. */
    public String pin;
    /** {@code --soak}, {@code --faults} and the fault schedule. */
    public final SoakOptions soak = new SoakOptions();
    /** Which of the soak's defaults the command line overrode. */
    private boolean callsGiven;
    private boolean progressGiven;
    private boolean rampGiven;
    private boolean sinksGiven;

    /** Thrown for a bad argument; the message names it. */
    public static final class BadArgument extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadArgument(String message) {
            super(message);
        }
    }

    public static LoadOptions parse(String... args) {
        LoadOptions o = new LoadOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0 && !a.startsWith("--relay-set")) {
                v = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "-h", "--help" -> o.help = true;
                case "--in-process" -> o.placement = Placement.IN_PROCESS;
                case "--capacity" -> o.capacity = true;
                case "--jfr" -> o.jfr = true;
                case "--sink-tls" -> o.sinkTls = true;
                case "--floor" -> o.floor = true;
                case "--compare-floor" -> o.compareFloor = true;
                case "--faults" -> o.soak.faults = true;
                case "--pin" -> o.pin = v == null ? "" : Pinning.checkSpec(v);
                default -> {
                    if (v == null) {
                        if (i + 1 >= args.length) {
                            throw new BadArgument(a + " needs a value");
                        }
                        v = args[++i];
                    }
                    o.set(a, v);
                }
            }
        }
        o.validate();
        return o;
    }

    private void set(String name, String v) {
        switch (name) {
            case "--calls" -> {
                calls = positiveInt(name, v);
                callsGiven = true;
            }
            case "--duration" -> durationMs = millis(name, v);
            case "--ramp" -> {
                rampGiven = true;
                if (v.endsWith("/s")) {
                    rampPerSecond = positiveDouble(name, v.substring(0, v.length() - 2));
                    rampMs = -1;
                } else {
                    rampMs = millis(name, v);
                }
            }
            case "--warmup" -> warmupMs = millis(name, v);
            case "--form" -> form = enumValue(name, v, Form.class);
            case "--loss" -> lossPercent = percent(name, v);
            case "--reorder" -> reorderPercent = percent(name, v);
            case "--seed" -> seed = Long.parseLong(v);
            case "--play-every" -> playEveryMs = millis(name, v);
            case "--play-ms" -> playMs = positiveInt(name, v);
            case "--target-control" -> targetControl = v;
            case "--target" -> {
                placement = Placement.TARGET;
                target = v;
            }
            case "--target-metrics" -> targetMetrics = v;
            case "--target-pid" -> targetPid = Long.parseLong(v);
            case "--relay-jar" -> relayJar = Path.of(v);
            case "--relay-java" -> relayJava = v;
            case "--relay-jvm" -> relayJvm.addAll(List.of(v.trim().split("\\s+")));
            case "--relay-set" -> {
                if (!v.contains("=")) {
                    throw new BadArgument("--relay-set wants key=value, got '" + v + "'");
                }
                relaySet.add(v);
            }
            case "--tls" -> tls = onOff(name, v);
            case "--transport" -> {
                transport = TransportMode.parse(v);
                if (transport == null) {
                    throw new BadArgument("--transport: auto, io_uring, epoll or nio, got '" + v + "'");
                }
            }
            case "--sinks" -> {
                sinksGiven = true;
                sinks = new ArrayList<>();
                for (String s : v.split(",")) {
                    String t = s.trim();
                    if (!t.isEmpty() && !t.equals("none")) {
                        if (!List.of("aiola", "session-stream", "probe", "recorder").contains(t)) {
                            throw new BadArgument("--sinks: unknown sink '" + t + "'");
                        }
                        sinks.add(t);
                    }
                }
            }
            case "--chunk-ms" -> chunkMs = positiveInt(name, v);
            case "--aiola-port" -> aiolaPort = port(name, v);
            case "--session-port" -> sessionPort = port(name, v);
            case "--loops" -> loops = positiveInt(name, v);
            case "--fake-loops" -> fakeLoops = positiveInt(name, v);
            case "--source-ips" -> sourceIps = Math.min(254, positiveInt(name, v));
            case "--tick-us" -> tickUs = positiveInt(name, v);
            case "--progress" -> {
                progressMs = millis(name, v);
                progressGiven = true;
            }
            case "--drain" -> drainMs = millis(name, v);
            case "--out" -> out = Path.of(v);
            case "--testdata" -> testdata = Path.of(v);
            case "--threshold-ms" -> thresholdMs = positiveDouble(name, v);
            case "--start" -> capStart = positiveInt(name, v);
            case "--step" -> capStep = positiveInt(name, v);
            case "--max" -> capMax = positiveInt(name, v);
            case "--resolution" -> capResolution = positiveInt(name, v);
            default -> {
                if (!soak.set(name, v)) {
                    throw new BadArgument("unknown option " + name + " (see --help)");
                }
            }
        }
    }

    private void validate() {
        if (help) {
            return;
        }
        soak.validate(this);
        if (soak.soakMs > 0) {
            // A soak is --duration with other defaults: 300 calls on every sink, a line a minute.
            durationMs = soak.soakMs;
            calls = callsGiven ? calls : SoakOptions.DEFAULT_CALLS;
            progressMs = progressGiven ? progressMs : SoakOptions.DEFAULT_PROGRESS_MS;
            rampPerSecond = rampGiven ? rampPerSecond : SoakOptions.DEFAULT_RAMP_PER_SECOND;
            if (!sinksGiven) {
                sinks = new ArrayList<>(List.of("aiola", "session-stream", "recorder"));
            }
            // The envelope carries the call's timeline: audio after a cut is measured in its place.
            if (sinks.contains("session-stream")
                    && relaySet.stream().noneMatch(s -> s.contains("session-stream.wire"))) {
                relaySet.add("relay.sinks.session-stream.wire=envelope");
            }
        }
        if (warmupMs < 0) {
            warmupMs = Math.min(5_000, durationMs / 2);
        }
        if (warmupMs >= durationMs) {
            throw new BadArgument("--warmup must be shorter than --duration");
        }
        if (sinks.contains("probe") && placement != Placement.IN_PROCESS) {
            throw new BadArgument("--sinks probe needs --in-process (it is an in-process sink)");
        }
        if (sinkTls && placement != Placement.PROCESS) {
            throw new BadArgument("--sink-tls needs the relay as a separate JVM (it is told to trust the fakes' "
                    + "certificate)");
        }
        if (lossPercent + reorderPercent > 50) {
            throw new BadArgument("--loss plus --reorder above 50% is not a call");
        }
        if (floor || compareFloor) {
            validateFloor(floor ? "--floor" : "--compare-floor");
        }
        if (pin != null && placement == Placement.IN_PROCESS) {
            throw new BadArgument("--pin needs the relay in a JVM of its own (not --in-process)");
        }
    }

    /** The floor stands in for the relay's sockets only: what it cannot do is refused up front. */
    private void validateFloor(String flag) {
        if (floor && compareFloor) {
            throw new BadArgument("--floor and --compare-floor: choose one");
        }
        if (placement == Placement.TARGET) {
            throw new BadArgument(flag + " starts the floor itself: not with --target");
        }
        if (capacity) {
            throw new BadArgument(flag + " is for single runs, not --capacity");
        }
        for (String s : sinks) {
            if (!s.equals("aiola") && !s.equals("session-stream")) {
                throw new BadArgument(flag + ": the floor forwards to aiola and session-stream only, not " + s);
            }
        }
        if (lossPercent > 0 || reorderPercent > 0) {
            throw new BadArgument(flag + ": the floor forwards messages as they come (no jitter buffer), so its"
                    + " sinks could not match --loss or --reorder frames");
        }
        if (playEveryMs > 0) {
            throw new BadArgument(flag + ": the floor has no control API for --play-every");
        }
    }

    /** The ramp in milliseconds for {@code n} calls. */
    public long rampMsFor(int n) {
        return rampMs >= 0 ? rampMs : (long) Math.ceil(n * 1000.0 / rampPerSecond);
    }

    /** Loopback source addresses to spread {@code n} client sockets over. */
    public int sourceIpsFor(int n) {
        return sourceIps > 0 ? sourceIps : Math.max(1, (n + 19_999) / 20_000);
    }

    /** "30s", "1500ms", "2m", or a bare number of seconds. */
    static long millis(String name, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Long.parseLong(s.substring(0, s.length() - 2));
            }
            if (s.endsWith("s")) {
                return Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000);
            }
            if (s.endsWith("m")) {
                return Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 60_000);
            }
            return Math.round(Double.parseDouble(s) * 1000);
        } catch (NumberFormatException e) {
            throw new BadArgument(name + ": not a duration: '" + v + "' (e.g. 30s, 500ms, 2m)");
        }
    }

    private static int positiveInt(String name, String v) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new BadArgument(name + ": not a positive integer: '" + v + "'");
    }

    private static int port(String name, String v) {
        int p = positiveInt(name, v);
        if (p > 65535) {
            throw new BadArgument(name + ": not a port: " + v);
        }
        return p;
    }

    private static double positiveDouble(String name, String v) {
        try {
            double d = Double.parseDouble(v.trim());
            if (d > 0) {
                return d;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new BadArgument(name + ": not a positive number: '" + v + "'");
    }

    private static double percent(String name, String v) {
        try {
            double d = Double.parseDouble(v.trim().replace("%", ""));
            if (d >= 0 && d <= 50) {
                return d;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new BadArgument(name + ": a percentage from 0 to 50, got '" + v + "'");
    }

    private static boolean onOff(String name, String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new BadArgument(name + ": on or off, got '" + v + "'");
        };
    }

    private static <E extends Enum<E>> E enumValue(String name, String v, Class<E> type) {
        try {
            return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadArgument(name + ": one of " + Arrays.toString(type.getEnumConstants())
                    .toLowerCase(Locale.ROOT) + ", got '" + v + "'");
        }
    }
}
