package dev.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The SVG plot is well-formed and draws one line and one legend entry per non-empty series. */
class PercentilePlotTest {

    @Test
    void drawsALinePerSeriesOnALogPercentileAxis() throws Exception {
        Histogram a = new Histogram(1, LatencyMetric.MAX_NANOS, 3);
        Histogram b = new Histogram(1, LatencyMetric.MAX_NANOS, 3);
        for (int i = 1; i <= 100_000; i++) {
            a.recordValue(200_000 + i * 10L);
            b.recordValue(1_000_000 + i * 100L);
        }
        Histogram empty = new Histogram(1, LatencyMetric.MAX_NANOS, 3);
        String svg = PercentilePlot.svg("t <&> 1", List.of(new PercentilePlot.Series("aiola", a),
                new PercentilePlot.Series("session-stream", b), new PercentilePlot.Series("nothing", empty)));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(2);
        assertThat(svg).contains(">aiola<", ">session-stream<", ">99.999%<", ">90%<").doesNotContain("nothing");
        assertThat(svg).contains("t &lt;&amp;&gt; 1");
    }

    @Test
    void niceCeilingRoundsUpToOneTwoOrFive() {
        assertThat(PercentilePlot.niceCeiling(0.7)).isEqualTo(1.0);
        assertThat(PercentilePlot.niceCeiling(1.3)).isEqualTo(2.0);
        assertThat(PercentilePlot.niceCeiling(33)).isEqualTo(50.0);
        assertThat(PercentilePlot.niceCeiling(5)).isEqualTo(5.0);
    }
}
