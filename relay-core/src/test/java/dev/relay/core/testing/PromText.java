package dev.relay.core.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: every line must be a
 * {@code # HELP}, {@code # TYPE}, comment, blank, or a sample {@code name{label="value",…} value
 * [timestamp]}; every sample must belong to a family whose {@code TYPE} came before it, and every
 * TYPE must have a HELP. Anything else fails with the offending line.
 */
public final class PromText {
    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
    private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_created", "_total", "_info");

    private final Map<String, String> types = new LinkedHashMap<>();
    private final Map<String, String> help = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private PromText() {}

    public static PromText parse(String text) {
        PromText p = new PromText();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            try {
                p.line(line);
            } catch (RuntimeException e) {
                throw new AssertionError("line " + lineNo + " '" + line + "': " + e.getMessage(), e);
            }
        }
        for (String family : p.types.keySet()) {
            if (!p.help.containsKey(family)) {
                throw new AssertionError("TYPE without HELP: " + family);
            }
        }
        return p;
    }

    private void line(String line) {
        if (line.isEmpty()) {
            return;
        }
        if (line.startsWith("# HELP ")) {
            String[] parts = line.substring(7).split(" ", 2);
            checkName(parts[0]);
            if (help.put(parts[0], parts.length > 1 ? unescapeHelp(parts[1]) : "") != null) {
                throw new IllegalArgumentException("second HELP for " + parts[0]);
            }
        } else if (line.startsWith("# TYPE ")) {
            String[] parts = line.substring(7).split(" ");
            if (parts.length != 2 || !TYPES.contains(parts[1])) {
                throw new IllegalArgumentException("bad TYPE line");
            }
            checkName(parts[0]);
            if (types.put(parts[0], parts[1]) != null) {
                throw new IllegalArgumentException("second TYPE for " + parts[0]);
            }
        } else if (line.startsWith("#")) {
            return;
        } else {
            Sample s = sample(line);
            if (familyOf(s.name()) == null) {
                throw new IllegalArgumentException("sample before/without a TYPE line");
            }
            samples.add(s);
        }
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        checkName(name);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq);
                if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                    throw new IllegalArgumentException("bad label name " + label);
                }
                if (line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("label value not quoted");
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char e = line.charAt(++j);
                        value.append(switch (e) {
                            case 'n' -> '\n';
                            case '\\' -> '\\';
                            case '"' -> '"';
                            default -> throw new IllegalArgumentException("bad escape \\" + e);
                        });
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new IllegalArgumentException("duplicate label " + label);
                }
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                } else if (line.charAt(i) != '}') {
                    throw new IllegalArgumentException("expected , or }");
                }
            }
            i++;
        }
        String[] rest = line.substring(i).trim().split(" +");
        if (rest.length < 1 || rest.length > 2 || !line.substring(i).startsWith(" ")) {
            throw new IllegalArgumentException("expected ' value [timestamp]'");
        }
        if (rest.length == 2) {
            Long.parseLong(rest[1]);
        }
        return new Sample(name, labels, number(rest[0]));
    }

    private static double number(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private static void checkName(String name) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("bad metric name '" + name + "'");
        }
    }

    private static String unescapeHelp(String s) {
        return s.replace("\\n", "\n").replace("\\\\", "\\");
    }

    /** The family a sample name belongs to (itself, or itself minus a histogram/summary suffix). */
    public String familyOf(String sampleName) {
        if (types.containsKey(sampleName)) {
            return sampleName;
        }
        for (String suffix : SUFFIXES) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        return null;
    }

    /** The declared TYPE of {@code family}, or null. */
    public String type(String family) {
        return types.get(family);
    }

    public String help(String family) {
        return help.get(family);
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Samples named exactly {@code name}. */
    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /**
     * The value of the one sample named {@code name} whose labels include {@code labelPairs}
     * ({@code "k1", "v1", "k2", "v2", …}); fails when there is none or more than one.
     */
    public double value(String name, String... labelPairs) {
        List<Sample> found = samples(name).stream().filter(s -> hasLabels(s, labelPairs)).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples " + name + Arrays.toString(labelPairs)
                    + " in " + samples(name));
        }
        return found.get(0).value();
    }

    private static boolean hasLabels(Sample s, String... pairs) {
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (!pairs[i + 1].equals(s.labels().get(pairs[i]))) {
                return false;
            }
        }
        return true;
    }
}
