package io.opsbase.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Graph answers for random ranges and widths compared with brute force: an exact answer equals M4
 * over every raw sample; an inexact one equals M4 over the whole finest tier still holding the
 * range start (each bucket folded into the column of its start, clamped to the range), and never
 * loses the range's largest or smallest raw value. Twelve days at 10 s with short retentions, so
 * every planner path (aligned rollup, raw, the finest tier folded whole) is reached.
 */
class M4PlannerPropertiesTest {

    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long T0 = 1_800_000_000_000L / DAY * DAY;
    static final long END = T0 + 12 * DAY;
    static final List<RollupLevel> LEVELS = List.of(
            new RollupLevel(Duration.ofMinutes(1), Duration.ofDays(1), Duration.ofDays(3)),
            new RollupLevel(Duration.ofMinutes(5), Duration.ofDays(2), Duration.ofDays(8)),
            new RollupLevel(Duration.ofHours(1), Duration.ofDays(4), Duration.ofDays(40)));

    private static Fixture fixture;

    record Fixture(Path dir, DiskMetricStore store, SeriesId id, long[] ts, double[] vs) {
    }

    static synchronized Fixture fixture() {
        if (fixture == null) {
            try {
                Path dir = Files.createTempDirectory("m4-planner");
                StoreConfig config = new StoreConfig(dir, new LocalDisk(), new MutableClock(END), Duration.ofHours(2),
                        Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofDays(1), LEVELS);
                DiskMetricStore store = DiskMetricStore.open(config);
                SeriesId id = store.series(SeriesKey.parse("load{host=\"a\"}"));
                int n = (int) ((END - T0) / 10_000);
                long[] ts = new long[n];
                double[] vs = new double[n];
                SplittableRandom random = new SplittableRandom(11);
                long m = 100;
                Batch.Builder b = Batch.builder();
                for (int i = 0; i < n; i++) {
                    ts[i] = T0 + i * 10_000L + (i % 7 == 3 ? 4_000 : 0);
                    m = Math.max(0, m + random.nextInt(-5, 6) + (random.nextInt(5_000) == 0 ? 3_000 : 0));
                    vs[i] = random.nextInt(500) == 0 ? Double.NaN : m / 100.0;
                    b.add(id, ts[i], vs[i]);
                }
                store.appendDurable(b.build());
                store.sealAll();
                store.checkpoint();
                fixture = new Fixture(dir, store, id, ts, vs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return fixture;
    }

    @AfterContainer
    static void close() throws IOException {
        if (fixture != null) {
            fixture.store().close();
            fixture = null;
        }
    }

    @Property(tries = 250)
    void answersEqualBruteForceM4OverRawOrTheFinestTierHoldingTheRange(
            @ForAll @LongRange(min = 0, max = 12 * DAY - 1) long fromOffset,
            @ForAll @LongRange(min = 1, max = 12 * DAY) long length,
            @ForAll @IntRange(min = 1, max = 2500) int width,
            @ForAll boolean hourAligned) {
        Fixture f = fixture();
        long from = T0 + (hourAligned ? fromOffset / HOUR * HOUR : fromOffset);
        long to = Math.min(END, from + (hourAligned ? Math.max(HOUR, length / HOUR * HOUR) : length));
        M4 answer = f.store().m4(f.id(), from, to, width);
        List<M4.Column> rawTruth = bruteForceRaw(f, from, to, width);
        if (answer.exact()) {
            assertThat(answer.columns()).isEqualTo(rawTruth);
            return;
        }
        long now = END;
        int finest = 0;
        while (finest < LEVELS.size() - 1 && from < now - LEVELS.get(finest).retention().toMillis()) {
            finest++;
        }
        long step = LEVELS.get(finest).stepMs();
        assertThat(answer.resolutionMs()).isEqualTo(step);
        List<Bucket> tier = f.store().buckets(f.id(), LEVELS.get(finest).step(), from, to);
        assertThat(answer.columns()).isEqualTo(bruteForceBuckets(tier, from, to, width));
        double rawMax = rawTruth.stream().mapToDouble(M4.Column::max).max().orElse(Double.NEGATIVE_INFINITY);
        double rawMin = rawTruth.stream().mapToDouble(M4.Column::min).min().orElse(Double.POSITIVE_INFINITY);
        assertThat(answer.columns().stream().mapToDouble(M4.Column::max).max().orElse(Double.NEGATIVE_INFINITY))
                .as("the range's peak is kept").isGreaterThanOrEqualTo(rawMax);
        assertThat(answer.columns().stream().mapToDouble(M4.Column::min).min().orElse(Double.POSITIVE_INFINITY))
                .as("the range's trough is kept").isLessThanOrEqualTo(rawMin);
    }

    /** Per column, the obvious way: every sample in the range, in time order, into its column. */
    private static List<M4.Column> bruteForceRaw(Fixture f, long from, long to, int width) {
        java.util.TreeMap<Integer, double[]> columns = new java.util.TreeMap<>();
        for (int i = 0; i < f.ts().length; i++) {
            long t = f.ts()[i];
            double v = f.vs()[i];
            if (t >= from && t < to && !Double.isNaN(v)) {
                add(columns, M4.column(t, from, to, width), v, v, v, v);
            }
        }
        return toColumns(columns);
    }

    /** Per column, every bucket whose start (clamped to {@code from}) falls in it, in time order. */
    private static List<M4.Column> bruteForceBuckets(List<Bucket> buckets, long from, long to, int width) {
        java.util.TreeMap<Integer, double[]> columns = new java.util.TreeMap<>();
        for (Bucket b : buckets) {
            add(columns, M4.column(Math.max(b.start(), from), from, to, width), b.first(), b.last(), b.min(), b.max());
        }
        return toColumns(columns);
    }

    private static void add(java.util.TreeMap<Integer, double[]> columns, int x, double first, double last, double min, double max) {
        double[] c = columns.get(x);
        if (c == null) {
            columns.put(x, new double[] {first, last, min, max});
        } else {
            c[1] = last;
            c[2] = Math.min(c[2], min);
            c[3] = Math.max(c[3], max);
        }
    }

    private static List<M4.Column> toColumns(java.util.TreeMap<Integer, double[]> columns) {
        List<M4.Column> out = new ArrayList<>();
        columns.forEach((x, c) -> out.add(new M4.Column(x, c[0], c[1], c[2], c[3])));
        return out;
    }
}
