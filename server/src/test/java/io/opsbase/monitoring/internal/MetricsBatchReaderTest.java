package io.opsbase.monitoring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.opsbase.protocol.MetricSample;
import io.opsbase.protocol.MetricsBatchRequest;
import io.opsbase.protocol.ProtocolJson;

/** The streaming reader gives exactly what data binding gives, for every input, good or bad. */
class MetricsBatchReaderTest {

    @Test
    void readsWhatAnAgentWritesWithoutFallingBack() {
        var batch = new MetricsBatchRequest("k-1", List.of(
                new MetricSample("cpu_used_percent", Map.of("cpu", "total"), Instant.parse("2026-11-29T09:00:00Z"), 12.5),
                new MetricSample("mem_used_bytes", Map.of(), Instant.parse("2026-11-29T09:00:00.123Z"), 1e12),
                new MetricSample("disk_free", Map.of("mount", "/var", "fs", "ext4"), Instant.parse("2026-02-28T23:59:59.123456789Z"), -3)));
        byte[] json = ProtocolJson.write(batch);

        assertThat(MetricsBatchReader.fast(json)).isEqualTo(batch);
        assertThat(MetricsBatchReader.read(json)).isEqualTo(batch);
    }

    @Test
    void agreesWithDataBindingOnEveryOddShape() {
        List<String> inputs = List.of(
                "{\"idempotencyKey\":\"a\",\"samples\":[]}",
                "{\"samples\":[{\"value\":1,\"timestamp\":\"2026-11-29T09:00:00.5Z\",\"labels\":{\"a\":\"b\"},\"name\":\"x\"}],\"idempotencyKey\":\"a\",\"extra\":{\"n\":[1,2]}}",
                "{\"idempotencyKey\":\"a\"}",
                "{\"idempotencyKey\":\"a\",\"samples\":null}",
                "{\"idempotencyKey\":\"a\",\"samples\":[{\"name\":\"x\",\"timestamp\":\"2026-11-29T09:00:00Z\"}]}",
                "{\"idempotencyKey\":\"a\",\"samples\":[{\"name\":\"x\",\"timestamp\":\"2026-11-29T10:00:00+01:00\",\"value\":1}]}",
                "{\"idempotencyKey\":\"a\",\"samples\":[{\"name\":\"x\",\"timestamp\":1764406800,\"value\":1}]}",
                "{\"idempotencyKey\":\"a\",\"samples\":[{\"name\":\"x\",\"timestamp\":\"2026-11-29T09:00:00Z\",\"value\":\"2.5\"}]}",
                "{\"idempotencyKey\":\"a\",\"samples\":[{\"name\":\"x\",\"labels\":null,\"timestamp\":\"2026-11-29T09:00:00Z\",\"value\":1}]}",
                "{\"idempotencyKey\":\"a\",\"samples\":[{\"name\":\"x\",\"labels\":{\"a\":\"1\",\"a\":\"2\"},\"timestamp\":\"2026-11-29T09:00:00Z\",\"value\":1}]}",
                "{\"idempotencyKey\":\"a\",\"samples\":[null]}",
                "{\"idempotencyKey\":\"a\",\"samples\":[{\"name\":\"x\",\"timestamp\":\"2026-02-30T09:00:00Z\",\"value\":1}]}",
                "{\"idempotencyKey\":\"a\",\"samples\":[{\"name\":\"x\",\"timestamp\":\"2026-11-29T24:00:00Z\",\"value\":1}]}",
                "{\"idempotencyKey\":\"a\",\"samples\":[{\"name\":\"x\",\"timestamp\":\"yesterday\",\"value\":1}]}",
                "{\"idempotencyKey\":\"a\",\"samples\":[{\"name\":\"x\",\"labels\":{\"a\":1},\"timestamp\":\"2026-11-29T09:00:00Z\",\"value\":1}]}",
                "{\"idempotencyKey\":null,\"samples\":[]}",
                "{\"idempotencyKey\":\"a\",\"samples\":[]} trailing",
                "{\"idempotencyKey\":\"a\",\"samples\":[",
                "[1,2]",
                "");
        for (String input : inputs) {
            byte[] json = input.getBytes(StandardCharsets.UTF_8);
            MetricsBatchRequest expected;
            try {
                expected = ProtocolJson.read(json, MetricsBatchRequest.class);
            } catch (RuntimeException e) {
                assertThatThrownBy(() -> MetricsBatchReader.read(json)).as(input).isInstanceOf(RuntimeException.class);
                continue;
            }
            assertThat(MetricsBatchReader.read(json)).as(input).isEqualTo(expected);
        }
    }

    @Test
    void parsesIsoInstantsAsInstantParseDoes() {
        for (String s : List.of("2026-11-29T09:00:00Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59.999Z", "0001-01-01T00:00:00.1Z",
                "9999-12-31T23:59:59.999999999Z", "1969-12-31T23:59:59.5Z")) {
            assertThat(MetricsBatchReader.instant(s)).as(s).isEqualTo(Instant.parse(s));
        }
        assertThat(MetricsBatchReader.instant("2026-11-29T09:00:00.Z")).isNull();
        assertThat(MetricsBatchReader.instant("2026-11-29T09:00:00.1234567890Z")).isNull();
        assertThat(MetricsBatchReader.instant("2026-11-29 09:00:00Z")).isNull();
    }
}
