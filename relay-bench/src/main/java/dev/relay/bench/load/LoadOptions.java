package dev.relay.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Command-line settings of one load run (or capacity search), with their defaults. Parsed by
 * {@link #parse}; {@link #HELP} is what {@code scripts/loadtest --help} prints.
 */
public final class LoadOptions {
    public static final String HELP = """
            usage: scripts/loadtest --calls N --duration D [options]

            Simulated Alohaa calls (WebSocket, RTP u-law 20 ms frames of real speech, open loop)
            against a relay, with fake aiOla (Socket.IO) and session-stream servers in this
            process; prints a live progress line, then a latency table, and writes .hgrm files,
            an SVG percentile plot and report.txt under a run directory.

            load:
              --calls N            concurrent calls (default 100)
              --duration D         time all calls stream together, between the ramps (default 30s)
              --ramp R             how calls come up (and, in the same order, hang up afterwards):
                                   a time ("10s") or a rate ("200/s") (default 500/s)
              --warmup D           first part of --duration left out of the latency histograms
                                   (recorded apart with the ramps as *-ramps.hgrm; frames still
                                   count for loss)
                                   (default 5s, at most half of --duration)
              --form F             payload form: buffer | base64 | binary | mix (default buffer)
              --loss P             percent of frames the generator drops (default 0)
              --reorder P          percent of frames swapped with their successor (default 0)
              --play-every D       send each call audio back through the control API this often and
                                   time it to the caller (default: never)
              --play-ms N          length of that audio (default 1000)
              --seed N             random seed for SSRCs, sequence starts and impairments (default 1)

            relay placement (default: a separate JVM from relay-core/target/relay.jar):
              --in-process         run the relay inside this JVM (CPU/RSS are then the whole process)
              --target URL         an external relay's media URL (ws:// or wss://); configure its
                                   sinks at the fakes' ports (--aiola-port, --session-port)
              --target-metrics URL the external relay's /metrics (heap, GC, concealment)
              --target-pid PID     the external relay's pid (CPU and RSS from /proc)
              --target-control URL the external relay's control API (for --play-every)
              --relay-jar PATH     the shaded relay jar (default relay-core/target/relay.jar)
              --relay-java PATH    java for the relay JVM (default: the one running this)
              --relay-jvm "ARGS"   extra relay JVM options, e.g. "-XX:+UseZGC -XX:+ZGenerational"
              --relay-set K=V      relay config override, repeatable (e.g. relay.dsp.mode=inline)
              --jfr                record a JFR profile of the relay (relay.jfr in the run dir)
              --tls on|off         telephony over wss:// (default on: the production mode)

            sinks:
              --sinks LIST         comma list of aiola, session-stream, probe (in-process only),
                                   recorder, none (default: aiola,session-stream)
              --chunk-ms N         aiOla chunk size (default: the relay's, 100); at 20 every frame is
                                   measured on its own, else each chunk from its last frame
              --sink-tls           the fakes serve TLS (https/wss, as the real services do) with a
                                   self-signed certificate the relay JVM is told to trust
              --aiola-port P       port of the fake aiOla server (default: a free port)
              --session-port P     port of the fake session-stream server (default: a free port)

            generator:
              --loops N            event loops of the simulated calls (default 2)
              --fake-loops N       event loops of each fake sink server (default 1)
              --source-ips N       loopback source addresses 127.0.0.1..N (default: one per 20,000 calls)
              --tick-us N          pacer wake-up granularity in microseconds (default 100)
              --progress D         progress line interval (default 5s)
              --drain D            how long to wait for the last frames at the sinks (default 10s)
              --out DIR            run directories go under DIR (default loadtest-runs)
              --testdata DIR       where speech_8k_pcmu_rtp.bin is (default ../shared/testdata)

            capacity search:
              --capacity           step the call count up until p99 > --threshold-ms or a frame is
                                   lost, then bisect; report the highest passing count
              --threshold-ms X     p99 limit per sink (default 20)
              --start N  --step N  first count and step (default 500, 500)
              --max N              stop here (default: what the open-file limit allows)
              --resolution N       bisection stops at this spacing (default 250)

            Exit status: 0 when no frame was lost and nothing failed, 1 otherwise (timing never
            fails a run), 2 on bad arguments.
            """;

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
            case "--calls" -> calls = positiveInt(name, v);
            case "--duration" -> durationMs = millis(name, v);
            case "--ramp" -> {
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
            case "--sinks" -> {
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
            case "--progress" -> progressMs = millis(name, v);
            case "--drain" -> drainMs = millis(name, v);
            case "--out" -> out = Path.of(v);
            case "--testdata" -> testdata = Path.of(v);
            case "--threshold-ms" -> thresholdMs = positiveDouble(name, v);
            case "--start" -> capStart = positiveInt(name, v);
            case "--step" -> capStep = positiveInt(name, v);
            case "--max" -> capMax = positiveInt(name, v);
            case "--resolution" -> capResolution = positiveInt(name, v);
            default -> throw new BadArgument("unknown option " + name + " (see --help)");
        }
    }

    private void validate() {
        if (help) {
            return;
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
