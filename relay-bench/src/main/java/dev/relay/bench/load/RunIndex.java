package dev.relay.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The results under some run directories, as {@code scripts/loadtest --budgets} reads them: every
 * {@code summary.tsv} (one run), {@code compare.tsv} ({@code --compare-floor}) and
 * {@code capacity.txt} ({@code --capacity}), each as a row of named values with the run's
 * scenario (calls, tls, sinks). Rows sort oldest first by their directory (names start with the
 * run's time stamp). Immutable once read.
 */
final class RunIndex {
    private static final Pattern CAPACITY = Pattern.compile("highest passing call count: (\\d+)");

    /** One result file: its kind ({@code summary}, {@code compare}, {@code capacity}), where, and its values. */
    record Row(String kind, Path dir, Map<String, String> values) {
        String get(String column) {
            return values.getOrDefault(column, "");
        }

        double number(String column) {
            try {
                return Double.parseDouble(get(column));
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }

        /** True when every {@code key=value} of {@code scenario} matches ({@code calls=*} matches any count). */
        boolean matches(String scenario) {
            for (String kv : scenario.trim().split("\\s+")) {
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = kv.substring(0, eq);
                String want = kv.substring(eq + 1);
                if (!want.equals("*") && !want.equals(get(key))) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Row> rows;

    private RunIndex(List<Row> rows) {
        this.rows = rows;
    }

    List<Row> rows() {
        return rows;
    }

    /** Every result file at most four levels under each of {@code dirs}. */
    static RunIndex read(List<Path> dirs) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.find(dir, 4, (p, a) -> a.isRegularFile())) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (name.equals("summary.tsv") || name.equals("compare.tsv")) {
                        tsv(f, name.equals("summary.tsv") ? "summary" : "compare", rows);
                    } else if (name.equals("capacity.txt")) {
                        capacity(f, rows);
                    }
                }
            }
        }
        rows.sort(Comparator.comparing(r -> r.dir().toString()));
        return new RunIndex(List.copyOf(rows));
    }

    private static void tsv(Path file, String kind, List<Row> rows) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.size() < 2) {
            return;
        }
        String[] header = lines.get(0).split("\t");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < header.length && i < f.length; i++) {
                values.put(header[i], f[i]);
            }
            rows.add(new Row(kind, file.getParent(), values));
        }
    }

    /** A capacity search: its result, with the scenario of its first step's run. */
    private static void capacity(Path file, List<Row> rows) throws IOException {
        Matcher m = CAPACITY.matcher(Files.readString(file));
        if (!m.find()) {
            return;
        }
        Map<String, String> values = new HashMap<>();
        values.put("capacity_calls", m.group(1));
        try (Stream<Path> steps = Files.find(file.getParent(), 2, (p, a) -> p.endsWith("summary.tsv"))) {
            steps.findFirst().ifPresent(step -> {
                try {
                    List<Row> first = new ArrayList<>();
                    tsv(step, "summary", first);
                    if (!first.isEmpty()) {
                        values.put("tls", first.get(0).get("tls"));
                        values.put("sinks", first.get(0).get("sinks"));
                    }
                } catch (IOException e) {
                    // the scenario stays unknown; the row matches nothing that names tls or sinks
                }
            });
        }
        rows.add(new Row("capacity", file.getParent(), values));
    }
}
