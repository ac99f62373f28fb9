package io.opsbase.monitoring;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.monitoring.internal.SeriesCatalog;
import io.opsbase.platform.Page;

/**
 * The graph API. {@code GET /api/v1/metrics/series?ci=42} lists a CI's series;
 * {@code GET /api/v1/metrics/query?series=cpu_used_percent{ci="42"}&from=…&to=…&width=800}
 * answers M4 columns per matching series (see {@link GraphQueries}).
 */
@RestController
class MetricsApiController {

    private final SeriesCatalog catalog;
    private final GraphQueries graphs;

    MetricsApiController(SeriesCatalog catalog, GraphQueries graphs) {
        this.catalog = catalog;
        this.graphs = graphs;
    }

    @GetMapping("/api/v1/metrics/series")
    Page<SeriesInfo> series(@RequestParam long ci, @RequestParam(required = false) String name) {
        return Page.of(catalog.ofCi(ci, name));
    }

    @GetMapping("/api/v1/metrics/query")
    GraphQueries.QueryResult query(@RequestParam String series, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(defaultValue = "800") int width) {
        return graphs.query(series, from, to, width);
    }
}
