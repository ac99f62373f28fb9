package io.opsbase.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import io.opsbase.metrics.M4;
import io.opsbase.metrics.MetricStore;
import io.opsbase.metrics.SeriesKey;
import io.opsbase.monitoring.internal.SeriesCatalog;
import io.opsbase.platform.InvalidInputException;

/**
 * Graph queries for the API and the pages: for every series of the selector's CI whose labels
 * include the selector's, M4 columns (first, last, min, max per pixel) from the coarsest
 * resolution that still fills the width — a line drawn from them looks exactly like one drawn from
 * every raw sample, peaks included.
 */
@Component
public class GraphQueries {

    static final int MAX_WIDTH = 4000;
    static final int MAX_SERIES_PER_QUERY = 200;

    /** The answer of a graph query: one graph per matching series. */
    public record QueryResult(List<SeriesGraph> series) {
    }

    private final SeriesCatalog catalog;
    private final MetricStore store;
    private final Clock clock;

    GraphQueries(SeriesCatalog catalog, MetricStore store, Clock clock) {
        this.catalog = catalog;
        this.store = store;
        this.clock = clock;
    }

    /** {@code from}/{@code to} are ISO-8601 instants (default: the last hour); bad input is a 422 naming the field. */
    public QueryResult query(String series, String from, String to, int width) {
        SeriesKey selector;
        try {
            selector = SeriesKey.parse(series);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("series", "is not a selector in Prometheus notation: " + e.getMessage());
        }
        String ci = selector.labels().get("ci");
        if (ci == null || ci.isEmpty() || !ci.chars().allMatch(Character::isDigit) || ci.length() > 18) {
            throw new InvalidInputException("series", "must name the CI, e.g. cpu_used_percent{ci=\"42\"}");
        }
        if (width < 1 || width > MAX_WIDTH) {
            throw new InvalidInputException("width", "must be between 1 and " + MAX_WIDTH);
        }
        Instant end = instant("to", to, clock.instant());
        Instant start = instant("from", from, end.minus(Duration.ofHours(1)));
        if (!start.isBefore(end)) {
            throw new InvalidInputException("from", "must be before to");
        }
        List<SeriesGraph> graphs = new ArrayList<>();
        for (SeriesInfo info : catalog.ofCi(Long.parseLong(ci), selector.name())) {
            if (!info.labels().entrySet().containsAll(selector.labels().entrySet())) {
                continue;
            }
            if (graphs.size() == MAX_SERIES_PER_QUERY) {
                throw new InvalidInputException("series", "matches more than " + MAX_SERIES_PER_QUERY + " series; name more labels");
            }
            SeriesKey key = SeriesKey.of(info.name(), info.labels());
            store.find(key).ifPresent(id -> graphs.add(graph(info.series(), store.m4(id, start.toEpochMilli(), end.toEpochMilli(), width))));
        }
        return new QueryResult(graphs);
    }

    private static SeriesGraph graph(String series, M4 m4) {
        List<SeriesGraph.Column> columns = new ArrayList<>(m4.columns().size());
        long span = m4.to() - m4.from();
        for (M4.Column c : m4.columns()) {
            long t = m4.from() + span * c.x() / m4.width();
            columns.add(new SeriesGraph.Column(Instant.ofEpochMilli(t), c.first(), c.last(), c.min(), c.max()));
        }
        return new SeriesGraph(series, Instant.ofEpochMilli(m4.from()), Instant.ofEpochMilli(m4.to()), m4.width(),
                m4.resolutionMs() / 1000, m4.exact(), columns);
    }

    private static Instant instant(String field, String text, Instant fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "must be an ISO-8601 instant such as 2026-11-28T10:00:00Z");
        }
    }
}
