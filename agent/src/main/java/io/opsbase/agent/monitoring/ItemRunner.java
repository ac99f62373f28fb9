package io.opsbase.agent.monitoring;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import io.opsbase.agent.collectors.Collector;
import io.opsbase.agent.plugins.CheckPlugin;
import io.opsbase.agent.plugins.MetricPoint;
import io.opsbase.agent.plugins.PluginOutputException;
import io.opsbase.agent.plugins.PrometheusScraper;
import io.opsbase.agent.plugins.ScrapeResult;
import io.opsbase.agent.plugins.ScriptPlugin;
import io.opsbase.protocol.MonitoringItem;

/**
 * Runs one item once and answers its metrics. A collector item keeps its collector (and so its
 * previous reading for rates) across runs. Prometheus and script items add {@code up{item}} (1
 * when the scrape or script succeeded, 0 otherwise) and label their samples {@code item=<key>};
 * check items add {@code check_state}. A failure is reported as {@link ItemFailure} with a reason
 * meant for the log.
 */
final class ItemRunner {

    static final int DEFAULT_MAX_OUTPUT = 1 << 20;

    /** An item that produced nothing usable this time, and why. */
    static final class ItemFailure extends Exception {
        ItemFailure(String message) {
            super(message);
        }
    }

    private final MonitoringItem item;
    private final Collector collector;
    private final CheckPlugin checks;
    private final ScriptPlugin scripts;
    private final PrometheusScraper scraper;

    ItemRunner(MonitoringItem item, Function<String, Collector> collectors, CheckPlugin checks, ScriptPlugin scripts,
            PrometheusScraper scraper) throws ItemFailure {
        this.item = item;
        this.checks = checks;
        this.scripts = scripts;
        this.scraper = scraper;
        if (item.type().equals(MonitoringItem.COLLECTOR)) {
            this.collector = collectors.apply(item.target());
            if (collector == null) {
                throw new ItemFailure("unknown collector '" + item.target() + "'");
            }
        } else if (List.of(MonitoringItem.CHECK, MonitoringItem.PROMETHEUS, MonitoringItem.SCRIPT).contains(item.type())) {
            this.collector = null;
            if (item.target() == null || item.target().isBlank()) {
                throw new ItemFailure("item " + item.key() + " has no target");
            }
        } else {
            throw new ItemFailure("unknown item type '" + item.type() + "'");
        }
    }

    MonitoringItem item() {
        return item;
    }

    List<MetricPoint> run(long nowMillis) throws ItemFailure, InterruptedException {
        int maxOutput = item.maxOutputBytes() > 0 ? item.maxOutputBytes() : DEFAULT_MAX_OUTPUT;
        switch (item.type()) {
            case MonitoringItem.COLLECTOR -> {
                List<MetricPoint> points = new ArrayList<>();
                try {
                    collector.collect(nowMillis, points::add);
                } catch (IOException | RuntimeException e) {
                    throw new ItemFailure("collector " + item.target() + " failed: " + e);
                }
                return points;
            }
            case MonitoringItem.CHECK -> {
                return checks.run(command(), item.account(), item.timeout(), maxOutput).toMetrics(item.key());
            }
            default -> {
                List<MetricPoint> points = new ArrayList<>();
                try {
                    ScrapeResult result = item.type().equals(MonitoringItem.PROMETHEUS)
                            ? scraper.scrape(URI.create(item.target()), item.timeout(), maxOutput)
                            : scripts.run(command(), item.account(), item.timeout(), maxOutput);
                    for (MetricPoint p : result.points()) {
                        Map<String, String> labels = new TreeMap<>(p.labels());
                        labels.put("item", item.key());
                        points.add(new MetricPoint(p.name(), new TreeMap<>(labels), p.value(), p.timestampMillis()));
                    }
                    points.add(MetricPoint.of("up", Map.of("item", item.key()), 1));
                    return points;
                } catch (PluginOutputException | IOException | IllegalArgumentException e) {
                    throw new ItemFailure(item.type() + " " + item.key() + ": " + e.getMessage());
                }
            }
        }
    }

    /** The metric an item reports when it failed: {@code up{item}=0} for scrapes and scripts, nothing else. */
    List<MetricPoint> failed() {
        return item.type().equals(MonitoringItem.PROMETHEUS) || item.type().equals(MonitoringItem.SCRIPT)
                ? List.of(MetricPoint.of("up", Map.of("item", item.key()), 0)) : List.of();
    }

    private List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(item.target());
        command.addAll(item.arguments());
        return command;
    }
}
