package io.opsbase.agent.plugins;

import java.util.List;
import java.util.Map;

/**
 * What one exposition (a scrape or a script's output) held: its samples in order, and the type
 * and help text declared for each metric family.
 */
public record ScrapeResult(List<MetricPoint> points, Map<String, MetricType> types, Map<String, String> help) {

    public ScrapeResult {
        points = List.copyOf(points);
        types = Map.copyOf(types);
        help = Map.copyOf(help);
    }
}
