package io.opsbase.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The shared recording of a real host: stored, read back, rolled up and drawn. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealDataTest {

    static final int HEIGHT = 200;

    Map<SeriesKey, Samples> data;
    DiskMetricStore store;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;

    @BeforeAll
    void load(@TempDir Path dir) throws IOException {
        data = Dataset.samples();
        for (Samples s : data.values()) {
            first = Math.min(first, s.timestamps()[0]);
            last = Math.max(last, s.timestamps()[s.size() - 1]);
        }
        StoreConfig config = StoreConfig.defaults(dir).withClock(new MutableClock(last));
        store = DiskMetricStore.open(config);
        for (Map.Entry<SeriesKey, Samples> e : data.entrySet()) {
            SeriesId id = store.series(e.getKey());
            Batch.Builder batch = Batch.builder();
            Samples s = e.getValue();
            for (int i = 0; i < s.size(); i++) {
                batch.add(id, s.timestamps()[i], s.values()[i]);
            }
            store.append(batch.build());
        }
        store.sealAll();
    }

    @AfterAll
    void close() throws IOException {
        store.close();
    }

    @Test
    void readsEverySampleBackBitForBit() {
        assertThat(store.stats().rawSamplesOnDisk()).isEqualTo(data.values().stream().mapToLong(Samples::size).sum());
        data.forEach((key, samples) ->
                assertThat(store.raw(store.find(key).orElseThrow(), Long.MIN_VALUE, Long.MAX_VALUE)).as(key.format()).isEqualTo(samples));
    }

    @Test
    void storesRollupsEqualToBruteForce() {
        for (RollupLevel level : StoreConfig.DEFAULT_ROLLUPS) {
            data.forEach((key, s) -> assertThat(store.buckets(store.find(key).orElseThrow(), level.step(), Long.MIN_VALUE, Long.MAX_VALUE))
                    .as(key.format()).isEqualTo(BruteForce.buckets(s.timestamps(), s.values(), level.stepMs())));
        }
    }

    @Test
    void drawsTheSamePixelsFromRollupColumnsAsFromRawSamples() {
        long minute = 60_000;
        long from = Math.floorDiv(first, minute) * minute + minute;
        long to = from + 40 * minute;
        for (int width : List.of(20, 40)) {
            int rollupAnswers = 0;
            for (Map.Entry<SeriesKey, Samples> e : data.entrySet()) {
                SeriesId id = store.find(e.getKey()).orElseThrow();
                M4 m4 = store.m4(id, from, to, width);
                assertThat(m4.exact()).isTrue();
                assertThat(m4.resolutionMs()).isEqualTo(minute);
                Samples raw = store.raw(id, from, to);
                assertSamePixels(e.getKey(), raw, m4);
                rollupAnswers++;
            }
            assertThat(rollupAnswers).isEqualTo(data.size());
        }
    }

    @Test
    void drawsTheSamePixelsFromRawM4WhenNoRollupFitsTheColumns() {
        long from = first;
        long to = last + 1;
        for (Map.Entry<SeriesKey, Samples> e : data.entrySet()) {
            SeriesId id = store.find(e.getKey()).orElseThrow();
            M4 m4 = store.m4(id, from, to, 333);
            assertThat(m4.resolutionMs()).isZero();
            assertSamePixels(e.getKey(), store.raw(id, from, to), m4);
        }
    }

    private static void assertSamePixels(SeriesKey key, Samples raw, M4 m4) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : raw.values()) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        Raster fromRaw = Raster.ofSamples(raw, m4.from(), m4.to(), m4.width(), HEIGHT, lo, hi);
        Raster fromM4 = Raster.ofM4(m4, HEIGHT, lo, hi);
        assertThat(fromM4.pixels).as(key.format()).isEqualTo(fromRaw.pixels);
    }

    @Test
    void answersTheLatestValueOfEverySeries() {
        data.forEach((key, s) -> assertThat(store.latest(store.find(key).orElseThrow()))
                .contains(new Sample(s.timestamps()[s.size() - 1], s.values()[s.size() - 1])));
    }

    @Test
    void storesRawSamplesInLessThanOneBytePerSample() {
        StoreStats stats = store.stats();
        assertThat((double) stats.rawBytes() / stats.rawSamplesOnDisk()).isLessThan(1.0);
        assertThat(store.buckets(new SeriesId(0), Duration.ofMinutes(1), Long.MIN_VALUE, Long.MAX_VALUE)).isNotEmpty();
    }
}
