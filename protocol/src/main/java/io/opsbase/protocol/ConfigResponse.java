package io.opsbase.protocol;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The agent's configuration. {@code etag} is also sent as the {@code ETag} header.
 * {@code settings} holds free-form settings by name; {@code items} what to collect and run on a
 * schedule (from the monitoring templates bound to the host).
 */
public record ConfigResponse(String etag, Duration inventoryInterval, int longPollSeconds, Map<String, String> settings,
        List<MonitoringItem> items) {

    public ConfigResponse {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        items = items == null ? List.of() : List.copyOf(items);
    }

    public ConfigResponse(String etag, Duration inventoryInterval, int longPollSeconds, Map<String, String> settings) {
        this(etag, inventoryInterval, longPollSeconds, settings, List.of());
    }
}
