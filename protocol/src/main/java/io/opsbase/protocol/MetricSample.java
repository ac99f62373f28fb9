package io.opsbase.protocol;

import java.time.Instant;
import java.util.Map;

/** One sample of one series, identified by its name and labels. */
public record MetricSample(String name, Map<String, String> labels, Instant timestamp, double value) {

    public MetricSample {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
