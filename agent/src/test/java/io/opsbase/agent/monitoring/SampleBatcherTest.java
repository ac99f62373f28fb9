package io.opsbase.agent.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsbase.agent.outbox.Outbox;
import io.opsbase.agent.outbox.OutboxEntry;
import io.opsbase.agent.outbox.OutboxLimits;
import io.opsbase.agent.plugins.MetricPoint;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.MetricSample;
import io.opsbase.protocol.MetricsBatchRequest;
import io.opsbase.protocol.ProtocolJson;

class SampleBatcherTest {

    @TempDir
    Path dir;

    @Test
    void theAgentsOwnJsonForABatchReadsBackWithJacksonAsTheServerReadsIt() {
        var batch = new MetricsBatchRequest("k1", List.of(
                new MetricSample("m", Map.of("a", "x\"y\n"), Instant.parse("2026-11-28T10:00:00.123Z"), 1.5e-7),
                new MetricSample("n", Map.of(), Instant.parse("2026-11-28T10:00:01Z"), Double.NEGATIVE_INFINITY)));

        assertThat(ProtocolJson.read(io.opsbase.agent.json.Messages.metricsBatchRequest(batch), MetricsBatchRequest.class))
                .isEqualTo(batch);
    }

    @Test
    void readsTheServersConfigurationWithoutJackson() {
        var config = new io.opsbase.protocol.ConfigResponse("\"e1\"", Duration.ofHours(24), 30, Map.of("x", "y"), List.of(
                io.opsbase.protocol.MonitoringItem.collector("cpu", Duration.ofSeconds(10)),
                new io.opsbase.protocol.MonitoringItem("load", "check", "/usr/lib/nagios/plugins/check_load", List.of("-w", "5,4,3"),
                        Duration.ofMinutes(1).plusMillis(500), Duration.ofSeconds(7), 4096, "nobody")));

        assertThat(io.opsbase.agent.json.Messages.configResponse(ProtocolJson.write(config))).isEqualTo(config);
    }

    @Test
    void writesBatchesOfBoundedSizeToTheOutboxWithEverySampleIncludingNonFiniteValues() throws Exception {
        Outbox outbox = Outbox.open(dir, OutboxLimits.STANDARD, Clock.systemUTC());
        SampleBatcher batcher = new SampleBatcher(outbox, 5);
        Instant at = Instant.parse("2026-11-28T10:00:00Z");
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            points.add(MetricPoint.of("m", Map.of("i", Integer.toString(i)), i));
        }
        points.add(MetricPoint.of("nan", Map.of(), Double.NaN));
        points.add(new MetricPoint("own_time", new java.util.TreeMap<>(), Double.POSITIVE_INFINITY, 1_000L));
        batcher.add(points, at);

        assertThat(batcher.flush()).isEqualTo(3);
        assertThat(batcher.flush()).isZero();

        List<MetricSample> all = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            OutboxEntry entry = outbox.awaitOldest(Duration.ofSeconds(1)).orElseThrow();
            assertThat(entry.path()).isEqualTo(AgentEndpoints.METRICS);
            MetricsBatchRequest batch = ProtocolJson.read(entry.body(), MetricsBatchRequest.class);
            assertThat(batch.idempotencyKey()).isEqualTo(entry.idempotencyKey());
            assertThat(batch.samples()).hasSizeLessThanOrEqualTo(5);
            all.addAll(batch.samples());
            outbox.remove(entry.sequence());
        }
        assertThat(all).hasSize(13);
        assertThat(all.get(0).timestamp()).isEqualTo(at);
        assertThat(all.get(11).value()).isNaN();
        assertThat(all.get(12).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(all.get(12).timestamp()).isEqualTo(Instant.ofEpochMilli(1_000));
    }
}
