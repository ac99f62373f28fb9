package io.opsbase.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class M4PlannerTest {

    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long T0 = 1_800_000_000_000L / DAY * DAY;

    @TempDir
    Path dir;

    @Test
    void callsABucketAlignedOnlyWhenItFallsInsideOneColumn() {
        assertThat(M4Planner.aligned(HOUR, 0, 72 * HOUR, 72)).isTrue();
        assertThat(M4Planner.aligned(HOUR, 0, 72 * HOUR, 36)).isTrue();
        assertThat(M4Planner.aligned(HOUR, 0, 72 * HOUR, 100)).isFalse();
        assertThat(M4Planner.aligned(HOUR, 60_000, 72 * HOUR + 60_000, 36)).isFalse();
        assertThat(M4Planner.aligned(300_000, 0, 72 * HOUR, 100)).isFalse();
    }

    @Test
    void picksTheCoarsestRollupThatStillFillsTheWidthExactly() throws IOException {
        MutableClock clock = new MutableClock(T0 + 3 * DAY);
        try (DiskMetricStore store = DiskMetricStore.open(StoreConfig.defaults(dir).withClock(clock))) {
            SeriesId id = store.series(SeriesKey.parse("load"));
            Batch.Builder b = Batch.builder();
            for (long t = T0; t < T0 + 3 * DAY; t += 10_000) {
                b.add(id, t, Math.sin(t / 1e7) * 10);
            }
            store.appendDurable(b.build());
            store.sealAll();
            long to = T0 + 3 * DAY;
            assertThat(plan(store, id, to, 72)).isEqualTo(new Choice(HOUR, true));
            assertThat(plan(store, id, to, 144)).isEqualTo(new Choice(300_000, true));
            assertThat(plan(store, id, to, 100)).isEqualTo(new Choice(0, true));
            clock.set(T0 + 30 * DAY);
            store.checkpoint();
            assertThat(store.stats().rawFiles()).isZero();
            assertThat(plan(store, id, to, 100)).isEqualTo(new Choice(60_000, false));
            assertThat(plan(store, id, to, 72)).isEqualTo(new Choice(HOUR, true));
            M4 m4 = store.m4(id, T0, to, 72);
            assertThat(m4.columns()).hasSize(72);
            double peak = store.buckets(id, java.time.Duration.ofMinutes(1), T0, to).stream().mapToDouble(Bucket::max).max().orElseThrow();
            assertThat(m4.columns().stream().mapToDouble(M4.Column::max).max().orElseThrow()).isEqualTo(peak);
        }
    }

    @Test
    void fillsAnUnreadableFileOfTheFinestTierFromACoarserOneKeepingItsPeak() throws IOException {
        MutableClock clock = new MutableClock(T0 + 3 * DAY);
        long spike = T0 + HOUR + 120_000;
        SeriesId id;
        try (DiskMetricStore store = DiskMetricStore.open(StoreConfig.defaults(dir).withClock(clock))) {
            id = store.series(SeriesKey.parse("load"));
            Batch.Builder b = Batch.builder();
            for (long t = T0; t < T0 + 3 * DAY; t += 10_000) {
                b.add(id, t, t == spike ? 1000 : Math.sin(t / 1e7) * 10);
            }
            store.appendDurable(b.build());
            store.sealAll();
            clock.set(T0 + 30 * DAY);
            store.checkpoint();
        }
        Path minutely = java.nio.file.Files.list(dir.resolve("rollup-60000")).sorted().findFirst().orElseThrow();
        assertThat(Block.open(new LocalDisk(), minutely).windowStart).isLessThanOrEqualTo(spike);
        assertThat(Block.open(new LocalDisk(), minutely).windowEnd).isGreaterThan(spike);
        byte[] bytes = java.nio.file.Files.readAllBytes(minutely);
        bytes[Block.HEADER + 3] ^= 0x40;
        java.nio.file.Files.write(minutely, bytes);
        try (DiskMetricStore store = DiskMetricStore.open(StoreConfig.defaults(dir).withClock(clock))) {
            M4 m4 = store.m4(id, T0 + 7_000, T0 + 3 * DAY, 100);
            assertThat(m4.resolutionMs()).isEqualTo(60_000);
            assertThat(m4.exact()).isFalse();
            assertThat(m4.columns().stream().mapToDouble(M4.Column::max).max().orElseThrow()).as("the peak, from the 5 min tier")
                    .isEqualTo(1000);
            assertThat(m4.columns()).as("no column lost").hasSize(100);
            assertThat(store.stats().corruptFiles()).isEqualTo(1);
        }
    }

    record Choice(long resolutionMs, boolean exact) {
    }

    private static Choice plan(MetricStore store, SeriesId id, long to, int width) {
        M4 m4 = store.m4(id, T0, to, width);
        return new Choice(m4.resolutionMs(), m4.exact());
    }
}
