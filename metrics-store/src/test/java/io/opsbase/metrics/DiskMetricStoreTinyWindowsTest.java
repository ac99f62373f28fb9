package io.opsbase.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The store contract on {@link DiskMetricStore} with tiny windows, so the suite's few hours of
 * data cross dozens of block windows, rollup parts, group files and compactions: 10 min blocks,
 * 1 min / 5 min / 10 min rollups in 30 min / 2 h / 1 h files, 20 s tolerance, 1 min seal delay.
 */
class DiskMetricStoreTinyWindowsTest extends MetricStoreContract {

    static StoreConfig config(Path dir, Clock clock) {
        return new StoreConfig(dir, new LocalDisk(), clock, Duration.ofMinutes(10), Duration.ofSeconds(20),
                Duration.ofMinutes(1), Duration.ofDays(2), List.of(
                        new RollupLevel(Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofDays(3)),
                        new RollupLevel(Duration.ofMinutes(5), Duration.ofHours(2), Duration.ofDays(4)),
                        new RollupLevel(Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofDays(5))));
    }

    @Test
    void theSuitesDataCrossesGroupFilesAndCompactions() throws IOException {
        load(1, 5);
        assertThat(store.stats().compactions()).isGreaterThan(5);
        assertThat(new LocalDisk().list(dir.resolve("rollup-300000")))
                .anyMatch(p -> p.getFileName().toString().startsWith("group-"));
    }

    @Override
    MetricStore open(Path dir, MutableClock clock) throws IOException {
        return DiskMetricStore.open(config(dir, clock));
    }

    @Override
    List<Duration> steps() {
        return List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(10));
    }

    @Override
    Duration tolerance() {
        return Duration.ofSeconds(20);
    }

    @Override
    Duration span() {
        return Duration.ofHours(7);
    }

    @Override
    Duration checkpointEvery() {
        return Duration.ofMinutes(17);
    }
}
