package dev.relay.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The few readings a load run takes from the relay's Prometheus text ({@code GET /metrics}):
 * sample lines {@code name{k="v",…} value}, summed over the samples whose labels match.
 */
final class MetricsText {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples = new ArrayList<>();

    private MetricsText() {}

    /** The text a relay's {@code /metrics} at {@code url} serves now, or null if it does not answer 200. */
    static String fetch(URI url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Parses {@code text}; null gives an empty reading. */
    static MetricsText parse(String text) {
        MetricsText m = new MetricsText();
        if (text == null) {
            return m;
        }
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String name;
            Map<String, String> labels = new HashMap<>();
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                int close = line.lastIndexOf('}');
                for (String pair : line.substring(brace + 1, close).split(",(?=[a-zA-Z_]+=\")")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
                    }
                }
            } else {
                name = line.substring(0, line.indexOf(' '));
            }
            try {
                m.samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
            } catch (NumberFormatException e) {
                // a timestamp or an odd value: not one of ours
            }
        }
        return m;
    }

    /** Sum of {@code name}'s samples whose labels include every {@code key, value} pair; NaN if none. */
    double sum(String name, String... labelPairs) {
        double total = 0;
        boolean found = false;
        outer:
        for (Sample s : samples) {
            if (!s.name.equals(name)) {
                continue;
            }
            for (int i = 0; i + 1 < labelPairs.length; i += 2) {
                if (!labelPairs[i + 1].equals(s.labels.get(labelPairs[i]))) {
                    continue outer;
                }
            }
            total += s.value;
            found = true;
        }
        return found ? total : Double.NaN;
    }

    /** The value of label {@code label} on the first sample of {@code name}, or null. */
    String label(String name, String label) {
        for (Sample s : samples) {
            if (s.name.equals(name) && s.labels.containsKey(label)) {
                return s.labels.get(label);
            }
        }
        return null;
    }

    boolean isEmpty() {
        return samples.isEmpty();
    }
}
