package io.opsbase.agent.plugins;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One value a plugin produced: a metric name, its labels (sorted by name, so equal series compare
 * equal), the value, and the time the source gave it in epoch milliseconds, or {@link #NO_TIMESTAMP}
 * when the source gave none and the collector's own time applies.
 */
public record MetricPoint(String name, SortedMap<String, String> labels, double value, long timestampMillis) {

    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    public MetricPoint {
        Objects.requireNonNull(name, "name");
        labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    public static MetricPoint of(String name, Map<String, String> labels, double value) {
        return new MetricPoint(name, new TreeMap<>(labels), value, NO_TIMESTAMP);
    }

    public boolean hasTimestamp() {
        return timestampMillis != NO_TIMESTAMP;
    }
}
