package io.opsbase.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The store contract on {@link DiskMetricStore} with the default configuration: 2 h blocks, 1 min / 5 min / 1 h rollups. */
class DiskMetricStoreDefaultsTest extends MetricStoreContract {

    @Override
    MetricStore open(Path dir, MutableClock clock) throws IOException {
        return DiskMetricStore.open(StoreConfig.defaults(dir).withClock(clock));
    }

    @Override
    List<Duration> steps() {
        return StoreConfig.DEFAULT_ROLLUPS.stream().map(RollupLevel::step).toList();
    }

    @Override
    Duration tolerance() {
        return Duration.ofMinutes(1);
    }

    @Override
    Duration span() {
        return Duration.ofHours(30);
    }

    @Override
    Duration checkpointEvery() {
        return Duration.ofHours(3);
    }
}
