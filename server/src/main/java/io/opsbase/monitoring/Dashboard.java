package io.opsbase.monitoring;

import java.time.Instant;
import java.util.List;

/**
 * A dashboard: graph panels a user composed, each a series selector that names its CI
 * ({@code cpu_used_percent{ci="42"}}); private to its owner unless shared.
 */
public record Dashboard(long id, String name, String owner, boolean shared, List<Panel> panels, Instant updatedAt) {

    public Dashboard {
        panels = List.copyOf(panels);
    }

    /** One graph: a title, the selector, and the unit its axis shows ({@code %}, {@code B/s} or empty). */
    public record Panel(String title, String series, String unit) {
    }
}
