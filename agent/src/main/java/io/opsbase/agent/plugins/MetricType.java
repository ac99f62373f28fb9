package io.opsbase.agent.plugins;

import java.util.Locale;

/** The metric types of the Prometheus text format and OpenMetrics, as declared by {@code # TYPE}. */
public enum MetricType {
    COUNTER, GAUGE, HISTOGRAM, GAUGEHISTOGRAM, SUMMARY, INFO, STATESET, UNKNOWN;

    /** Reads a {@code # TYPE} token; {@code untyped} (text format) is {@link #UNKNOWN}. */
    static MetricType parse(String token) {
        String t = token.toLowerCase(Locale.ROOT);
        if (t.equals("untyped")) {
            return UNKNOWN;
        }
        for (MetricType type : values()) {
            if (type.name().toLowerCase(Locale.ROOT).equals(t)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown metric type '" + token + "'");
    }
}
