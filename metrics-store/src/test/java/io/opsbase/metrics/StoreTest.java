package io.opsbase.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {

    static final long T0 = 1_800_000_000_000L;
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;

    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(T0);

    StoreConfig config() {
        return StoreConfig.defaults(dir).withClock(clock).withTolerance(Duration.ofSeconds(30));
    }

    static SeriesKey cpu(String host) {
        return SeriesKey.of("cpu_usage", Map.of("host", host, "cpu", "total"));
    }

    @Test
    void readsBackWhatWasAppendedBeforeAndAfterSealing() throws IOException {
        try (DiskMetricStore store = DiskMetricStore.open(config())) {
            SeriesId id = store.series(cpu("a"));
            Batch.Builder b = Batch.builder();
            for (int i = 0; i < 5000; i++) {
                b.add(id, T0 + i * 10_000L, i % 7 * 1.5);
            }
            assertThat(store.appendDurable(b.build())).isEqualTo(new AppendResult(5000, 0));
            Samples before = store.raw(id, 0, Long.MAX_VALUE);
            store.checkpoint();
            assertThat(store.stats().rawFiles()).isGreaterThan(0);
            assertThat(store.raw(id, 0, Long.MAX_VALUE)).isEqualTo(before);
            assertThat(before.size()).isEqualTo(5000);
            assertThat(store.latest(id)).contains(new Sample(T0 + 4999 * 10_000L, 4999 % 7 * 1.5));
        }
    }

    @Test
    void acceptsSamplesWithinTheToleranceAndRejectsOlderOnes() throws IOException {
        try (DiskMetricStore store = DiskMetricStore.open(config())) {
            SeriesId id = store.series(cpu("a"));
            AppendResult r = store.appendDurable(Batch.builder()
                    .add(id, T0 + 60_000, 3).add(id, T0 + 40_000, 2).add(id, T0 + 10_000, 1).build());
            assertThat(r).isEqualTo(new AppendResult(2, 1));
            assertThat(store.raw(id, 0, Long.MAX_VALUE).timestamps()).containsExactly(T0 + 40_000, T0 + 60_000);
        }
    }

    @Test
    void keepsTheLastValueForADuplicateTimestamp() throws IOException {
        try (DiskMetricStore store = DiskMetricStore.open(config())) {
            SeriesId id = store.series(cpu("a"));
            store.appendDurable(Batch.builder().add(id, T0, 1).add(id, T0 + 5000, 2).add(id, T0, 9).build());
            Samples s = store.raw(id, 0, Long.MAX_VALUE);
            assertThat(s.timestamps()).containsExactly(T0, T0 + 5000);
            assertThat(s.values()).containsExactly(9, 2);
        }
    }

    @Test
    void replaysTheWalWhenReopenedWithoutACheckpoint() throws IOException {
        Samples expected;
        SeriesId id;
        try (DiskMetricStore store = DiskMetricStore.open(config())) {
            id = store.series(cpu("a"));
            store.series(cpu("b"));
            store.appendDurable(ramp(id, T0, 1000));
            store.checkpoint();
            store.appendDurable(ramp(id, T0 + 1000 * 10_000L, 1000));
            expected = store.raw(id, 0, Long.MAX_VALUE);
        }
        try (DiskMetricStore store = DiskMetricStore.open(config())) {
            assertThat(store.find(cpu("a"))).contains(id);
            assertThat(store.find(cpu("b"))).contains(new SeriesId(1));
            assertThat(store.raw(id, 0, Long.MAX_VALUE)).isEqualTo(expected);
            assertThat(store.stats().samplesRejected()).isZero();
        }
    }

    @Test
    void rollupsEqualBruteForceAggregationAtEveryLevel() throws IOException {
        try (DiskMetricStore store = DiskMetricStore.open(config())) {
            SeriesId id = store.series(cpu("a"));
            Batch.Builder b = Batch.builder();
            java.util.Random random = new java.util.Random(7);
            long t = T0;
            List<Long> ts = new ArrayList<>();
            List<Double> vs = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                t += 1000 + random.nextInt(20_000);
                double v = random.nextInt(10) == 0 ? Double.NaN : Math.round(random.nextGaussian() * 1000) / 100.0;
                b.add(id, t, v);
                ts.add(t);
                vs.add(v);
            }
            store.appendDurable(b.build());
            store.checkpoint();
            for (RollupLevel level : StoreConfig.DEFAULT_ROLLUPS) {
                long[] tsa = ts.stream().mapToLong(Long::longValue).toArray();
                double[] vsa = vs.stream().mapToDouble(Double::doubleValue).toArray();
                List<Bucket> expected = BruteForce.buckets(tsa, vsa, level.stepMs());
                assertThat(store.buckets(id, level.step(), 0, Long.MAX_VALUE)).isEqualTo(expected);
            }
            assertThat(store.stats().levels()).allSatisfy(l -> assertThat(l.files()).isPositive());
        }
    }

    @Test
    void dropsWholeFilesOnceTheirRetentionHasPassed() throws IOException {
        try (DiskMetricStore store = DiskMetricStore.open(config())) {
            SeriesId id = store.series(cpu("a"));
            for (int day = 0; day < 3; day++) {
                store.appendDurable(ramp(id, T0 + day * DAY, 8640));
            }
            store.sealAll();
            long rawFiles = store.stats().rawFiles();
            assertThat(rawFiles).isGreaterThanOrEqualTo(36);
            clock.set(T0 + 16 * DAY);
            store.checkpoint();
            StoreStats stats = store.stats();
            assertThat(stats.rawFiles()).isLessThan(rawFiles).isPositive();
            assertThat(store.raw(id, 0, T0 + DAY)).isEqualTo(Samples.EMPTY);
            assertThat(store.buckets(id, Duration.ofMinutes(1), 0, T0 + DAY)).isNotEmpty();
            clock.set(T0 + 400 * DAY);
            store.checkpoint();
            assertThat(store.stats().rawFiles()).isZero();
            assertThat(store.buckets(id, Duration.ofMinutes(5), 0, Long.MAX_VALUE)).isEmpty();
            assertThat(store.buckets(id, Duration.ofHours(1), 0, Long.MAX_VALUE)).hasSize(72);
        }
    }

    @Test
    void compactsRollupPartsIntoOneFilePerFileWindow() throws IOException {
        try (DiskMetricStore store = DiskMetricStore.open(config())) {
            SeriesId id = store.series(cpu("a"));
            store.appendDurable(ramp(id, T0 - T0 % DAY, 2 * 8640));
            store.sealAll();
            StoreStats stats = store.stats();
            assertThat(stats.compactions()).isPositive();
            assertThat(stats.levels().getFirst().files()).isEqualTo(2);
            assertThat(store.buckets(id, Duration.ofMinutes(1), 0, Long.MAX_VALUE)).hasSize(2 * 1440);
        }
        try (DiskMetricStore store = DiskMetricStore.open(config())) {
            assertThat(store.buckets(new SeriesId(0), Duration.ofMinutes(1), 0, Long.MAX_VALUE)).hasSize(2 * 1440);
        }
    }

    @Test
    void groupsThePartsOfAnOpenFileWindowAndDropsCoveredPartsLeftAtOpen() throws IOException {
        long start = T0 - Math.floorMod(T0, 28 * DAY);
        Path hourly = dir.resolve("rollup-3600000");
        List<Bucket> expected;
        try (DiskMetricStore store = DiskMetricStore.open(config())) {
            SeriesId id = store.series(cpu("a"));
            store.appendDurable(ramp(id, start, 5 * 8640));
            expected = store.buckets(id, Duration.ofHours(1), 0, Long.MAX_VALUE);
            store.sealAll();
            // Five days into a 28-day file window: 1 h buckets sit in 32 h group files, then parts.
            List<String> names = new LocalDisk().list(hourly).stream().map(p -> p.getFileName().toString()).toList();
            assertThat(names).filteredOn(n -> n.startsWith("group-")).hasSize(3);
            assertThat(names).filteredOn(n -> n.startsWith("part-")).hasSize(120 / 2 - 3 * 16);
            assertThat(store.buckets(id, Duration.ofHours(1), 0, Long.MAX_VALUE)).isEqualTo(expected).hasSize(120);
        }
        // A crash after the group file was durable but before its parts were deleted leaves both.
        Path group = new LocalDisk().list(hourly).stream().filter(p -> p.getFileName().toString().startsWith("group-")).findFirst().orElseThrow();
        long groupStart = Long.parseLong(group.getFileName().toString().substring("group-".length()).replace(".blk", ""));
        Block.write(new LocalDisk(), hourly.resolve("part-" + groupStart + ".blk"), Block.ROLLUP, HOUR,
                groupStart, groupStart + 2 * HOUR, 1, List.of(new Block.Entry(0, groupStart, groupStart + HOUR, 2,
                        Version2Rollups.encode(expected.subList(0, 2).toArray(Bucket[]::new), HOUR, groupStart))));
        try (DiskMetricStore store = DiskMetricStore.open(config())) {
            assertThat(hourly.resolve("part-" + groupStart + ".blk")).doesNotExist();
            assertThat(store.buckets(new SeriesId(0), Duration.ofHours(1), 0, Long.MAX_VALUE)).isEqualTo(expected);
        }
    }

    @Test
    void reportsSeriesSamplesFilesAndWalInItsStatistics() throws IOException {
        try (DiskMetricStore store = DiskMetricStore.open(config())) {
            SeriesId a = store.series(cpu("a"));
            store.series(cpu("b"));
            store.appendDurable(ramp(a, T0, 2000));
            store.appendDurable(Batch.builder().add(a, T0, 1).build());
            StoreStats before = store.stats();
            assertThat(before.series()).isEqualTo(2);
            assertThat(before.samplesAccepted()).isEqualTo(2000);
            assertThat(before.samplesRejected()).isEqualTo(1);
            assertThat(before.headSamples()).isEqualTo(2000);
            assertThat(before.walBytes()).isPositive();
            assertThat(before.rawFiles()).isZero();
            store.sealAll();
            StoreStats after = store.stats();
            assertThat(after.headSamples()).isZero();
            assertThat(after.rawSamplesOnDisk()).isEqualTo(2000);
            assertThat(after.rawBytes()).isPositive();
            assertThat(after.walSegments()).as("the next segment is created by the next append").isZero();
            assertThat(after.walBytes()).isZero();
            assertThat(after.checkpoints()).isEqualTo(1);
            store.appendDurable(ramp(a, T0 + DAY, 10));
            assertThat(store.stats().walSegments()).isEqualTo(1);
            assertThat(after.levels()).extracting(StoreStats.Level::stepMs).containsExactly(60_000L, 300_000L, 3_600_000L);
            assertThat(after.levels()).allSatisfy(l -> assertThat(l.bytes()).isPositive());
            assertThat(after.levels().getFirst().buckets()).isEqualTo(2000 * 10 / 60 + 1);
        }
    }

    @Test
    void rejectsAnUnknownSeriesId() throws IOException {
        try (DiskMetricStore store = DiskMetricStore.open(config())) {
            assertThatThrownBy(() -> store.append(Batch.builder().add(new SeriesId(3), T0, 1).build()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    static Batch ramp(SeriesId id, long start, int n) {
        Batch.Builder b = Batch.builder();
        for (int i = 0; i < n; i++) {
            b.add(id, start + i * 10_000L, (i * 37) % 101 + 0.25);
        }
        return b.build();
    }
}
