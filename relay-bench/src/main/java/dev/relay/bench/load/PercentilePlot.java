package dev.relay.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * An SVG latency-by-percentile plot in the HdrHistogram style: the x axis is the percentile on a
 * log scale of {@code 1 / (1 - p)} (so 90%, 99%, 99.9%, … are evenly spaced), the y axis the
 * latency in milliseconds. One line per series. Self-contained SVG, no scripts.
 */
final class PercentilePlot {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
            "#7f7f7f"};
    private static final int W = 900;
    private static final int H = 520;
    private static final int LEFT = 70;
    private static final int RIGHT = 200;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    /** One line: a label and its histogram (nanoseconds). */
    record Series(String label, Histogram histogram) {}

    private PercentilePlot() {}

    static String svg(String title, List<Series> series) {
        List<Series> shown = new ArrayList<>();
        for (Series s : series) {
            if (s.histogram.getTotalCount() > 0) {
                shown.add(s);
            }
        }
        // x: log10(1/(1-p)); the range ends one decade past the deepest count we have.
        long maxCount = 1;
        double maxMs = 0.001;
        for (Series s : shown) {
            maxCount = Math.max(maxCount, s.histogram.getTotalCount());
            maxMs = Math.max(maxMs, s.histogram.getMaxValue() / 1e6);
        }
        int decades = Math.max(2, Math.min(6, (int) Math.ceil(Math.log10(maxCount))));
        double yMax = niceCeiling(maxMs * 1.05);
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append("<text x=\"").append(LEFT).append("\" y=\"22\" font-size=\"15\">").append(escape(title))
                .append("</text>\n");
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        // Grid and axes.
        for (int d = 0; d <= decades; d++) {
            double x = LEFT + plotW * d / (double) decades;
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n",
                    x, TOP, x, TOP + plotH));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    x, TOP + plotH + 18, percentileLabel(d)));
        }
        for (int i = 0; i <= 5; i++) {
            double v = yMax * i / 5;
            double y = TOP + plotH - plotH * i / 5.0;
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
                    LEFT, y, LEFT + plotW, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    LEFT - 6, y + 4, trim(v)));
        }
        sb.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
                LEFT, TOP, plotW, plotH));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>\n",
                LEFT + plotW / 2, H - 18));
        sb.append(String.format(Locale.ROOT,
                "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">latency (ms)</text>\n",
                TOP + plotH / 2, TOP + plotH / 2));
        // Lines.
        int k = 0;
        for (Series s : shown) {
            String color = COLORS[k % COLORS.length];
            sb.append("<polyline fill=\"none\" stroke-width=\"1.6\" stroke=\"").append(color).append("\" points=\"");
            for (HistogramIterationValue v : s.histogram.percentiles(5)) {
                double p = v.getPercentileLevelIteratedTo() / 100.0;
                double xv = p >= 1 ? decades : Math.min(decades, Math.log10(1 / (1 - p)));
                double x = LEFT + plotW * xv / decades;
                double ms = s.histogram.highestEquivalentValue(v.getValueIteratedTo()) / 1e6;
                double y = TOP + plotH - plotH * Math.min(1, ms / yMax);
                sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            sb.append("\"/>\n");
            int ly = TOP + 16 + 18 * k;
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>\n",
                    LEFT + plotW + 12, ly - 4, LEFT + plotW + 32, ly - 4, color));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>\n", LEFT + plotW + 38, ly,
                    escape(s.label)));
            k++;
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static String percentileLabel(int decade) {
        return switch (decade) {
            case 0 -> "0%";
            case 1 -> "90%";
            case 2 -> "99%";
            default -> "99." + "9".repeat(decade - 2) + "%";
        };
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}. */
    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
