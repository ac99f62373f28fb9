package io.opsbase.monitoring.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

import io.opsbase.metrics.DiskMetricStore;
import io.opsbase.metrics.MetricStore;
import io.opsbase.metrics.StoreConfig;
import io.opsbase.monitoring.MonitoringProperties;
import io.opsbase.platform.OpsbaseProperties;

/**
 * Opens the embedded metrics-store under the data directory (replaying its WAL, so every sample
 * acknowledged before a crash is there) and closes it on shutdown, after the ingest consumers
 * have drained.
 */
@Configuration(proxyBeanMethods = false)
class MetricStoreConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(MetricStoreConfiguration.class);

    @Bean(destroyMethod = "close")
    MetricStore metricStore(OpsbaseProperties opsbase, MonitoringProperties monitoring, Clock clock) throws IOException {
        Path directory = monitoring.storeDirectory() != null ? monitoring.storeDirectory() : opsbase.dataDir().resolve("metrics");
        MetricStore store = DiskMetricStore.open(StoreConfig.defaults(directory).withClock(clock));
        LOG.info("metrics-store open at {}: {}", directory, store.stats());
        return store;
    }

    @Bean
    IngestQueue ingestQueue(MetricStore store, SeriesCatalog catalog, MonitoringProperties properties) {
        return new IngestQueue(store, catalog::remember, properties.queueCapacity(), properties.consumers());
    }

    @Bean
    StoreMaintenance storeMaintenance(MetricStore store) {
        return new StoreMaintenance(store);
    }

    /** Seals due windows into block files, trims the WAL and drops expired files, on a schedule. */
    static final class StoreMaintenance {
        private final MetricStore store;

        StoreMaintenance(MetricStore store) {
            this.store = store;
        }

        @Scheduled(fixedDelayString = "${opsbase.monitoring.checkpoint-every:1m}", initialDelayString = "${opsbase.monitoring.checkpoint-every:1m}")
        void checkpoint() {
            try {
                store.checkpoint();
            } catch (IOException | RuntimeException e) {
                LOG.error("metrics-store checkpoint failed; the WAL keeps every sample, the next checkpoint retries", e);
            }
        }
    }
}
