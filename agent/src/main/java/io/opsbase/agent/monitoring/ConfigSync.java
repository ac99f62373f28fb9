package io.opsbase.agent.monitoring;

import java.io.IOException;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.transport.ServerClient;
import io.opsbase.agent.transport.ServerRejection;
import io.opsbase.protocol.ConfigRequest;
import io.opsbase.protocol.ConfigResponse;

/**
 * Keeps the monitoring items in step with the server: asks for the configuration with the ETag
 * it holds (an unchanged one costs a 304 and no body) and applies a new one to the scheduler.
 * Until the first answer nothing is collected; after an error the last configuration stays. While
 * the agent has no items (its host not approved yet) it asks on every call, so monitoring starts
 * within seconds of approval; afterwards at most once per {@code every}.
 */
public final class ConfigSync implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigSync.class);

    private final ServerClient client;
    private final MonitoringScheduler scheduler;
    private final java.time.Clock clock;
    private final java.time.Duration every;
    private String etag;
    private boolean hasItems;
    private java.time.Instant lastAsked = java.time.Instant.MIN;

    public ConfigSync(ServerClient client, MonitoringScheduler scheduler, java.time.Clock clock, java.time.Duration every) {
        this.client = client;
        this.scheduler = scheduler;
        this.clock = clock;
        this.every = every;
    }

    @Override
    public void run() {
        if (hasItems && clock.instant().isBefore(lastAsked.plus(every))) {
            return;
        }
        try {
            lastAsked = clock.instant();
            sync();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | ServerRejection | RuntimeException e) {
            LOG.warn("config: could not fetch the configuration ({}); keeping the current one", e.getMessage());
        }
    }

    /** One round; answers the configuration applied, or null when unchanged. */
    ConfigResponse sync() throws IOException, InterruptedException, ServerRejection {
        var answer = client.config(new ConfigRequest(etag));
        if (answer.isEmpty()) {
            return null;
        }
        ConfigResponse config = answer.get();
        List<String> running = scheduler.apply(config.items());
        etag = config.etag();
        hasItems = !running.isEmpty();
        LOG.info("config: {} monitoring items ({})", running.size(), String.join(", ", running));
        return config;
    }
}
