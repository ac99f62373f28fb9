package io.opsbase.monitoring;

import java.util.Map;

/** A stored series as the API lists it: its selector in Prometheus notation, name, labels and CI. */
public record SeriesInfo(String series, String name, Map<String, String> labels, long ciId) {
}
