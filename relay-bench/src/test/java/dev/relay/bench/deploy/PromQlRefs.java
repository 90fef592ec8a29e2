package dev.relay.bench.deploy;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The series names and label names one PromQL expression reads, for checking a dashboard against a
 * scrape. A small scanner, not a PromQL parser: string literals and range/subquery brackets are
 * skipped, an identifier that is a known function, aggregation or keyword is not a series, the
 * label lists of {@code by}, {@code without}, {@code on}, {@code ignoring} and {@code group_*} are
 * grouping labels, and the matchers in braces after a series name are that series' labels. An
 * identifier it does not know followed by {@code (} is an error rather than a guess, so that a
 * misspelt function cannot hide a series name. Not thread-safe; one instance per expression.
 */
final class PromQlRefs {
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev",
            "stdvar", "count", "count_values", "bottomk", "topk", "quantile");
    private static final Set<String> FUNCTIONS = Set.of("rate", "irate", "increase", "delta", "idelta", "deriv",
            "histogram_quantile", "abs", "ceil", "floor", "round", "clamp", "clamp_min", "clamp_max", "scalar",
            "vector", "time", "sort", "sort_desc", "label_replace", "label_join", "avg_over_time", "min_over_time",
            "max_over_time", "sum_over_time", "count_over_time", "last_over_time", "quantile_over_time",
            "resets", "changes", "absent", "timestamp", "label_values");
    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");
    private static final Set<String> OPERATORS = Set.of("and", "or", "unless", "bool", "offset");

    /** Series name → label names matched on it (several selectors of one name merge). */
    final Map<String, Set<String>> series = new LinkedHashMap<>();
    /** Labels named in grouping clauses. */
    final Set<String> grouping = new LinkedHashSet<>();
    private final String expr;
    private int i;

    private PromQlRefs(String expr) {
        this.expr = expr;
    }

    /** Scans {@code expr}; throws {@link IllegalArgumentException} naming what it cannot read. */
    static PromQlRefs of(String expr) {
        PromQlRefs r = new PromQlRefs(expr);
        r.scan();
        return r;
    }

    private void scan() {
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                skipString(c);
            } else if (c == '[') {
                i = close(']');
            } else if (c == '{') {
                throw new IllegalArgumentException("a selector without a series name at " + i + ": " + expr);
            } else if (Character.isDigit(c) || c == '.') {
                while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                identifier();
            } else if (c == '$') {
                throw new IllegalArgumentException("a Grafana variable outside a string or range: " + expr);
            } else {
                i++;
            }
        }
    }

    private void identifier() {
        int start = i;
        while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || "_:".indexOf(expr.charAt(i)) >= 0)) {
            i++;
        }
        String name = expr.substring(start, i);
        skipSpace();
        boolean call = i < expr.length() && expr.charAt(i) == '(';
        if (GROUPING.contains(name)) {
            if (call) {
                labelList();
            }
        } else if (AGGREGATIONS.contains(name) || OPERATORS.contains(name) || FUNCTIONS.contains(name)) {
            return;
        } else if (call) {
            throw new IllegalArgumentException("unknown function '" + name + "' in " + expr);
        } else {
            Set<String> labels = series.computeIfAbsent(name, k -> new LinkedHashSet<>());
            if (i < expr.length() && expr.charAt(i) == '{') {
                matchers(labels);
            }
        }
    }

    private void labelList() {
        int end = close(')');
        for (String label : expr.substring(i + 1, end - 1).split(",")) {
            if (!label.isBlank()) {
                grouping.add(label.strip());
            }
        }
        i = end;
    }

    private void matchers(Set<String> labels) {
        i++;
        while (i < expr.length() && expr.charAt(i) != '}') {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                skipString(c);
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_')) {
                    i++;
                }
                labels.add(expr.substring(start, i));
            } else {
                i++;
            }
        }
        i++;
    }

    /** The index after the {@code closing} that ends the bracket at {@link #i}. */
    private int close(char closing) {
        int end = expr.indexOf(closing, i);
        if (end < 0) {
            throw new IllegalArgumentException("unclosed bracket at " + i + ": " + expr);
        }
        return end + 1;
    }

    private void skipString(char quote) {
        int end = expr.indexOf(quote, i + 1);
        while (end > 0 && quote != '`' && expr.charAt(end - 1) == '\\') {
            end = expr.indexOf(quote, end + 1);
        }
        if (end < 0) {
            throw new IllegalArgumentException("unclosed string at " + i + ": " + expr);
        }
        i = end + 1;
    }

    private void skipSpace() {
        while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
            i++;
        }
    }
}
