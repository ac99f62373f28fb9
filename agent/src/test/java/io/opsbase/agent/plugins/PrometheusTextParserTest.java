package io.opsbase.agent.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import io.opsbase.agent.plugins.PrometheusTextParser.Format;

class PrometheusTextParserTest {

    private final PrometheusTextParser parser = new PrometheusTextParser(100_000);

    static String fixture(String name) throws IOException {
        try (InputStream in = PrometheusTextParserTest.class.getResourceAsStream("/plugins/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsEverySampleOfARealNodeExporterAnswer() throws Exception {
        String text = fixture("node-exporter-1.5.0-debian12.prom");
        long sampleLines = text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();

        ScrapeResult result = parser.parse(text, Format.TEXT);

        assertThat(result.points()).hasSize((int) sampleLines);
        assertThat(result.types()).containsEntry("node_cpu_seconds_total", MetricType.COUNTER)
                .containsEntry("node_load1", MetricType.GAUGE)
                .containsEntry("go_gc_duration_seconds", MetricType.SUMMARY);
        assertThat(result.help().get("node_load1")).isEqualTo("1m load average.");
        assertThat(result.points()).anySatisfy(p -> {
            assertThat(p.name()).isEqualTo("node_cpu_seconds_total");
            assertThat(p.labels()).containsEntry("cpu", "0").containsEntry("mode", "idle");
            assertThat(p.value()).isPositive();
        });
        assertThat(result.points()).filteredOn(p -> p.name().equals("node_exporter_build_info"))
                .singleElement().satisfies(p -> assertThat(p.labels()).containsEntry("version", "1.5.0"));
    }

    @Test
    void readsLabelsEscapesSpecialValuesAndTimestamps() throws Exception {
        String text = """
                # HELP http_requests_total The total number of HTTP requests.\\nSecond line.
                # TYPE http_requests_total counter
                http_requests_total{method="post",code="200"} 1027 1395066363000
                http_requests_total{ method = "post" , code="400", } 3   1395066363000
                msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
                metric_without_timestamp_and_labels 12.47
                something_weird{problem="division by zero"} +Inf -3982045
                nan_value NaN
                neg_inf\t-Inf
                empty_label{a="",b="x"} 1
                """;

        ScrapeResult result = parser.parse(text, Format.TEXT);

        assertThat(result.points()).hasSize(8);
        MetricPoint first = result.points().get(0);
        assertThat(first.labels()).isEqualTo(Map.of("code", "200", "method", "post"));
        assertThat(first.value()).isEqualTo(1027);
        assertThat(first.timestampMillis()).isEqualTo(1395066363000L);
        assertThat(result.points().get(1).labels()).isEqualTo(Map.of("code", "400", "method", "post"));
        assertThat(result.points().get(2).labels()).containsEntry("path", "C:\\DIR\\FILE.TXT")
                .containsEntry("error", "Cannot find file:\n\"FILE.TXT\"");
        assertThat(result.points().get(3).hasTimestamp()).isFalse();
        assertThat(result.points().get(4).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(result.points().get(4).timestampMillis()).isEqualTo(-3982045L);
        assertThat(result.points().get(5).value()).isNaN();
        assertThat(result.points().get(6).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(result.points().get(7).labels()).isEqualTo(Map.of("b", "x"));
        assertThat(result.help().get("http_requests_total")).isEqualTo("The total number of HTTP requests.\nSecond line.");
    }

    @Test
    void readsOpenMetricsWithExemplarsSecondTimestampsAndQuotedNames() throws Exception {
        String text = """
                # TYPE foo histogram
                # UNIT foo seconds
                foo_bucket{le="0.01"} 0
                foo_bucket{le="+Inf"} 17 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.67
                foo_count 17
                {"my.dotted.metric", "service.name"="api"} 2.5
                # EOF
                """;

        ScrapeResult result = parser.parse(text, Format.OPENMETRICS);

        assertThat(result.types()).containsEntry("foo", MetricType.HISTOGRAM);
        assertThat(result.points()).hasSize(4);
        assertThat(result.points().get(1).timestampMillis()).isEqualTo(1520879607789L);
        assertThat(result.points().get(1).value()).isEqualTo(17);
        assertThat(result.points().get(3).name()).isEqualTo("my.dotted.metric");
        assertThat(result.points().get(3).labels()).isEqualTo(Map.of("service.name", "api"));
    }

    @Test
    void refusesTheWholeExpositionAndNamesTheLineOfAnyError() {
        assertError("ok 1\nbad_value{a=\"b\"} twelve\n", Format.TEXT, 2, "bad value");
        assertError("dup{a=\"1\",a=\"2\"} 1\n", Format.TEXT, 1, "appears twice");
        assertError("open{a=\"1} 1\n", Format.TEXT, 1, "not terminated");
        assertError("esc{a=\"\\t\"} 1\n", Format.TEXT, 1, "invalid escape");
        assertError("9starts_with_digit 1\n", Format.TEXT, 1, "not a valid metric name");
        assertError("no_value\n", Format.TEXT, 1, "without a value");
        assertError("java_suffix 1d\n", Format.TEXT, 1, "bad value");
        assertError("x 1 2 3\n", Format.TEXT, 1, "after the timestamp");
        assertError("x 1 1.5\n", Format.TEXT, 1, "bad timestamp");
        assertError("# TYPE x counter\n# TYPE x gauge\n", Format.TEXT, 2, "second # TYPE");
        assertError("# TYPE x sometype\n", Format.TEXT, 1, "unknown metric type");
        assertError("x 1 # {a=\"b\"} 1\n", Format.TEXT, 1, "bad timestamp '#'");
        assertError("x 1\n", Format.OPENMETRICS, 0, "does not end with # EOF");
        assertError("x 1\n# EOF\ny 2\n", Format.OPENMETRICS, 3, "after # EOF");
    }

    @Test
    void refusesMoreSamplesThanTheLimit() {
        assertThatThrownBy(() -> new PrometheusTextParser(2).parse("a 1\nb 2\nc 3\n", Format.TEXT))
                .isInstanceOf(PluginOutputException.class).hasMessageContaining("more than 2 samples");
    }

    @RepeatedTest(20)
    void labelValuesSurviveEscapingWhateverTheyHold(org.junit.jupiter.api.RepetitionInfo repetition) throws Exception {
        Random random = new Random(repetition.getCurrentRepetition());
        StringBuilder value = new StringBuilder();
        String alphabet = "ab \\\"\n{}=,#\t中文é0";
        for (int i = random.nextInt(30); i > 0; i--) {
            value.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        String escaped = value.toString().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        double number = random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10);

        ScrapeResult result = parser.parse("m{v=\"" + escaped + "\"} " + number + "\n", Format.TEXT);

        MetricPoint point = result.points().getFirst();
        assertThat(point.value()).isEqualTo(number);
        if (value.isEmpty()) {
            assertThat(point.labels()).isEmpty();
        } else {
            assertThat(point.labels()).containsEntry("v", value.toString());
        }
    }

    private void assertError(String text, Format format, int line, String message) {
        assertThatThrownBy(() -> parser.parse(text, format))
                .as(text)
                .isInstanceOf(PluginOutputException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((PluginOutputException) e).line()).isEqualTo(line));
    }
}
