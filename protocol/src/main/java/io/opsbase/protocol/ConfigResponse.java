package io.opsbase.protocol;

import java.time.Duration;
import java.util.Map;

/**
 * The agent's configuration. {@code etag} is also sent as the {@code ETag} header.
 * {@code settings} holds collector and plugin settings by name; the monitoring issue gives it shape.
 */
public record ConfigResponse(String etag, Duration inventoryInterval, int longPollSeconds, Map<String, String> settings) {

    public ConfigResponse {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }
}
