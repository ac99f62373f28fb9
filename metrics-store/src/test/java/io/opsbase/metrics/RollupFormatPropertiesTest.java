package io.opsbase.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rollup blocks of version 3 (grouped entries): round trips, corruption, and version 2 still read. */
class RollupFormatPropertiesTest {

    static final long WINDOW = 2 * 3_600_000L;
    static final long W0 = 1_800_000_000_000L / WINDOW * WINDOW;
    static final LocalDisk DISK = new LocalDisk();

    @TempDir
    Path dir;

    @Property(tries = 150)
    void everyEntryOfAVersion3BlockReadsBackBitForBit(@ForAll("blocks") List<Block.RollupEntry> entries,
                                                      @ForAll("steps") long step) throws IOException {
        List<Block.RollupEntry> rolled = rollUp(entries, step);
        Path file = Files.createTempFile("v3", ".blk");
        try {
            Block written = Block.writeRollup(DISK, file, step, W0, W0 + WINDOW, 7, rolled);
            Block opened = Block.open(DISK, file);
            assertThat(opened.version).isEqualTo(Block.VERSION_3);
            for (Block block : List.of(written, opened)) {
                assertThat(block.entries()).isEqualTo(rolled.size());
                for (int e = 0; e < rolled.size(); e++) {
                    Block.RollupEntry expected = rolled.get(e);
                    assertThat(block.seriesId(e)).isEqualTo(expected.seriesId());
                    assertThat(block.find(expected.seriesId())).isEqualTo(e);
                    assertThat(block.count(e)).isEqualTo(expected.buckets().length);
                    assertThat(Arrays.asList(block.buckets(DISK, e))).isEqualTo(Arrays.asList(expected.buckets()));
                }
            }
        } finally {
            Files.delete(file);
        }
    }

    @Property(tries = 40)
    void aFlippedBitAnywhereInAVersion3BlockIsDetected(@ForAll("blocks") List<Block.RollupEntry> entries,
                                                       @ForAll("steps") long step, @ForAll long seed) throws IOException {
        List<Block.RollupEntry> rolled = rollUp(entries, step);
        Path file = Files.createTempFile("v3", ".blk");
        try {
            Block.writeRollup(DISK, file, step, W0, W0 + WINDOW, 7, rolled);
            byte[] good = Files.readAllBytes(file);
            SplittableRandom random = new SplittableRandom(seed);
            for (int trial = 0; trial < 30; trial++) {
                byte[] bad = good.clone();
                int bit = random.nextInt(bad.length * 8);
                bad[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
                Files.write(file, bad);
                assertThatThrownBy(() -> readEverything(file)).as("bit %d of %d", bit, bad.length * 8)
                        .isInstanceOf(CorruptDataException.class);
            }
        } finally {
            Files.delete(file);
        }
    }

    @Property(tries = 60)
    void version2AndVersion3BlocksOfTheSameBucketsReadTheSame(@ForAll("blocks") List<Block.RollupEntry> entries,
                                                              @ForAll("steps") long step) throws IOException {
        List<Block.RollupEntry> rolled = rollUp(entries, step);
        Path v2 = Files.createTempFile("v2", ".blk");
        Path v3 = Files.createTempFile("v3", ".blk");
        try {
            Version2Rollups.write(DISK, v2, step, W0, W0 + WINDOW, 7, rolled);
            Block.writeRollup(DISK, v3, step, W0, W0 + WINDOW, 7, rolled);
            Block old = Block.open(DISK, v2);
            Block now = Block.open(DISK, v3);
            assertThat(old.version).isEqualTo(Block.VERSION_2);
            for (int e = 0; e < rolled.size(); e++) {
                assertThat(Arrays.asList(old.buckets(DISK, e))).isEqualTo(Arrays.asList(now.buckets(DISK, e)))
                        .isEqualTo(Arrays.asList(rolled.get(e).buckets()));
                assertThat(List.of(old.minT(e), old.maxT(e), old.count(e))).isEqualTo(List.of(now.minT(e), now.maxT(e), now.count(e)));
            }
        } finally {
            Files.delete(v2);
            Files.delete(v3);
        }
    }

    /** A store whose rollup files were all written by the version 2 writer opens and answers as before. */
    @Test
    void aStoreWithVersion2RollupFilesStillAnswersFromThem() throws IOException {
        StoreConfig config = StoreConfig.defaults(dir).withClock(new MutableClock(W0 + 3 * WINDOW)).withTolerance(Duration.ZERO);
        List<SeriesId> ids = new ArrayList<>();
        List<List<Bucket>> expected = new ArrayList<>();
        try (DiskMetricStore store = DiskMetricStore.open(config)) {
            Batch.Builder b = Batch.builder();
            for (int s = 0; s < 20; s++) {
                SeriesId id = store.series(SeriesKey.parse("m{i=\"" + s + "\"}"));
                ids.add(id);
                for (long t = W0; t < W0 + 3 * WINDOW; t += 10_000) {
                    b.add(id, t, s % 3 == 0 ? 5 : Math.round(Math.sin(t / 1e6 + s) * 1000) / 100.0);
                }
            }
            store.appendDurable(b.build());
            store.sealAll();
            for (SeriesId id : ids) {
                expected.add(store.buckets(id, Duration.ofMinutes(5), 0, Long.MAX_VALUE));
            }
        }
        int rewritten = 0;
        for (Path level : List.of(dir.resolve("rollup-60000"), dir.resolve("rollup-300000"), dir.resolve("rollup-3600000"))) {
            for (Path file : DISK.list(level)) {
                Block v3 = Block.open(DISK, file);
                assertThat(v3.version).isEqualTo(Block.VERSION_3);
                List<Block.RollupEntry> entries = new ArrayList<>();
                for (int e = 0; e < v3.entries(); e++) {
                    entries.add(new Block.RollupEntry(v3.seriesId(e), v3.buckets(DISK, e)));
                }
                Files.delete(file);
                Version2Rollups.write(DISK, file, v3.resolution, v3.windowStart, v3.windowEnd, v3.generation, entries);
                assertThat(Block.open(DISK, file).version).isEqualTo(Block.VERSION_2);
                rewritten++;
            }
        }
        assertThat(rewritten).isPositive();
        try (DiskMetricStore store = DiskMetricStore.open(config)) {
            for (int s = 0; s < ids.size(); s++) {
                assertThat(store.buckets(ids.get(s), Duration.ofMinutes(5), 0, Long.MAX_VALUE)).isEqualTo(expected.get(s));
            }
            assertThat(store.stats().corruptFiles()).isZero();
        }
    }

    private static void readEverything(Path file) throws IOException {
        Block block = Block.open(DISK, file);
        for (int e = 0; e < block.entries(); e++) {
            block.buckets(DISK, e);
        }
        // a flip that leaves every check passing would have to leave the data unchanged, which a flip cannot
        throw new AssertionError("a flipped bit was not detected");
    }

    /** Turns generated sample series into rollup entries at {@code step} within the window. */
    private static List<Block.RollupEntry> rollUp(List<Block.RollupEntry> samples, long step) {
        List<Block.RollupEntry> out = new ArrayList<>();
        for (Block.RollupEntry e : samples) {
            Bucket[] raw = e.buckets();
            long[] ts = new long[raw.length];
            double[] vs = new double[raw.length];
            for (int i = 0; i < raw.length; i++) {
                ts[i] = raw[i].start();
                vs[i] = raw[i].first();
            }
            Bucket[] buckets = Bucket.aggregate(ts, vs, raw.length, step);
            if (buckets.length > 0) {
                out.add(new Block.RollupEntry(e.seriesId(), buckets));
            }
        }
        return out;
    }

    @Provide
    Arbitrary<Long> steps() {
        return Arbitraries.of(60_000L, 300_000L, 3_600_000L);
    }

    /**
     * Series of a block, ascending ids with gaps, each a list of samples carried as one-sample
     * "buckets" (start = timestamp, first = value): scraped together (equal counts), irregular,
     * constant, decimal, counters, anything; {@link #rollUp} aggregates them at the step.
     */
    @Provide
    Arbitrary<List<Block.RollupEntry>> blocks() {
        Arbitrary<double[]> values = Arbitraries.oneOf(
                Arbitraries.longs().between(-1_000_000, 1_000_000).map(m -> m / 100.0).array(double[].class).ofMaxSize(300),
                Arbitraries.longs().between(0, 1L << 40).map(m -> (double) m).array(double[].class).ofMaxSize(300),
                Arbitraries.doubles().array(double[].class).ofMaxSize(300),
                Arbitraries.of(Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1, 0.2, 1e300)
                        .array(double[].class).ofMaxSize(300));
        Arbitrary<Long> interval = Arbitraries.oneOf(Arbitraries.just(5_000L), Arbitraries.just(15_000L),
                Arbitraries.longs().between(1, 900_000));
        Arbitrary<Block.RollupEntry> series = Combinators.combine(Arbitraries.integers().between(1, 5), values, interval,
                Arbitraries.longs().between(0, WINDOW - 1)).as((idGap, v, every, offset) -> {
                    List<Bucket> samples = new ArrayList<>();
                    long t = W0 + offset % every;
                    for (double value : v) {
                        if (t >= W0 + WINDOW) {
                            break;
                        }
                        samples.add(new Bucket(t, value, value, value, value, value, 1));
                        t += every;
                    }
                    return new Block.RollupEntry(idGap, samples.toArray(Bucket[]::new));
                });
        return series.list().ofMinSize(1).ofMaxSize(60).map(list -> {
            List<Block.RollupEntry> out = new ArrayList<>();
            int id = -1;
            for (Block.RollupEntry e : list) {
                id += e.seriesId();
                out.add(new Block.RollupEntry(id, e.buckets()));
            }
            return out;
        }).filter(list -> !rollUp(list, 3_600_000L).isEmpty());
    }
}
