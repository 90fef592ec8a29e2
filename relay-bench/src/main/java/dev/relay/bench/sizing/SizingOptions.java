package dev.relay.bench.sizing;

import java.time.Duration;
import java.util.Locale;

/**
 * Command-line settings of a registry simulation ({@code scripts/sizing --help}). Times of day are
 * {@code HH:MM}; durations take a unit ({@code 180s}, {@code 3m}, {@code 5000ms}).
 */
final class SizingOptions {
    static final String HELP = """
            usage: scripts/sizing [options]
            Replays call arrivals against the cluster's Redis registry (the relay's own engine, in
            this process) and reports Redis commands per second, per-operation latency and memory.
              --peak-calls N      concurrent calls at the busiest moment of the day (default 10000)
              --mean-duration D   mean call length (default 180s)
              --sigma S           log-normal shape of call lengths (default 0.8)
              --trough R          night-time rate as a share of the peak rate (default 0.1)
              --peak-at HH:MM     busiest time of day (default 12:00)
              --from HH:MM        start of the replayed part of the day (default 11:30)
              --to HH:MM          end of it (default 12:30); 00:00 to 24:00 replays the whole day
              --speed X           simulated seconds per real second (default 60)
              --nodes N           relays sharing the registry (default 10)
              --heartbeat D       relay.cluster.heartbeat of every node (default 5s)
              --redis-url URL     a Redis to use (default: start redis-server on a free port)
              --seed N            random seed (default 1)
            The calls in progress at --from are registered first (not timed); then arrivals and
            hang-ups follow the day's curve, --speed times faster than real time.
            """;

    int peakCalls = 10_000;
    double meanDurationS = 180;
    double sigma = 0.8;
    double trough = 0.1;
    double peakAtS = 12 * 3600;
    double fromS = 11.5 * 3600;
    double toS = 12.5 * 3600;
    double speed = 60;
    int nodes = 10;
    long heartbeatMs = 5000;
    String redisUrl;
    long seed = 1;
    boolean help;

    static SizingOptions parse(String... args) {
        SizingOptions o = new SizingOptions();
        for (int i = 0; i < args.length; i++) {
            String key = args[i];
            if (key.equals("--help") || key.equals("-h")) {
                o.help = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(key + " needs a value");
            }
            String v = args[++i];
            switch (key) {
                case "--peak-calls" -> o.peakCalls = Integer.parseInt(v);
                case "--mean-duration" -> o.meanDurationS = durationMs(v) / 1000.0;
                case "--sigma" -> o.sigma = Double.parseDouble(v);
                case "--trough" -> o.trough = Double.parseDouble(v);
                case "--peak-at" -> o.peakAtS = timeOfDayS(v);
                case "--from" -> o.fromS = timeOfDayS(v);
                case "--to" -> o.toS = timeOfDayS(v);
                case "--speed" -> o.speed = Double.parseDouble(v);
                case "--nodes" -> o.nodes = Integer.parseInt(v);
                case "--heartbeat" -> o.heartbeatMs = durationMs(v);
                case "--redis-url" -> o.redisUrl = v;
                case "--seed" -> o.seed = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + key + "\n" + HELP);
            }
        }
        if (o.toS <= o.fromS || o.speed <= 0 || o.nodes < 1 || o.peakCalls < 1) {
            throw new IllegalArgumentException("need --from < --to, --speed > 0, --nodes >= 1, --peak-calls >= 1");
        }
        return o;
    }

    /** {@code HH:MM} as seconds since midnight ({@code 24:00} is the end of the day). */
    static double timeOfDayS(String hhmm) {
        String[] parts = hhmm.split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException("time of day is HH:MM, got " + hhmm);
        }
        double s = Integer.parseInt(parts[0]) * 3600.0 + Integer.parseInt(parts[1]) * 60.0;
        if (s < 0 || s > ArrivalModel.DAY_S) {
            throw new IllegalArgumentException("time of day out of range: " + hhmm);
        }
        return s;
    }

    /** {@code 180s}, {@code 3m}, {@code 500ms}, {@code 1h} in milliseconds. */
    static long durationMs(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Long.parseLong(t.substring(0, t.length() - 2));
        }
        char unit = t.charAt(t.length() - 1);
        long n = Character.isDigit(unit) ? Long.parseLong(t) : Long.parseLong(t.substring(0, t.length() - 1));
        return switch (unit) {
            case 's' -> Duration.ofSeconds(n).toMillis();
            case 'm' -> Duration.ofMinutes(n).toMillis();
            case 'h' -> Duration.ofHours(n).toMillis();
            default -> {
                if (Character.isDigit(unit)) {
                    yield n * 1000;
                }
                throw new IllegalArgumentException("duration needs a unit (ms, s, m, h): " + text);
            }
        };
    }
}
