package io.opsbase.bench;

import io.opsbase.metrics.Batch;
import io.opsbase.metrics.DiskMetricStore;
import io.opsbase.metrics.M4;
import io.opsbase.metrics.SeriesId;
import io.opsbase.metrics.SeriesKey;
import io.opsbase.metrics.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A graph of one series over one year, sampled every 10 s, drawn 1,920 pixels wide. The store is
 * built once under {@code java.io.tmpdir/opsbase-query-bench} (a year of data, with retention
 * applied as of the year's end) and reused by every fork. Two ranges: 1,920 columns of 5 h each
 * (aligned, so the 1 h rollup answers exactly) and exactly 365 days (columns of 4.56 h, not
 * aligned to any rollup, answered from the finest tier still holding the range start).
 * {@code warm*} is average time after warm-up; {@code cold*} is a single shot in a fresh JVM,
 * the store just opened, its files dropped from the page cache before the open ({@link PageCache}).
 * {@code query-once} times the open as well and reports CPU time beside wall time.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class QueryBenchmark {

    static final long HOUR = 3_600_000L;
    static final long START = 1_700_006_400_000L / HOUR * HOUR;
    static final long YEAR_END = START + 365 * 24 * HOUR;
    static final long ALIGNED_END = START + 1920 * 5 * HOUR;
    /**
     * An arbitrary range, on no boundary of any tier (drawn once at random, fixed so runs compare):
     * 11 d 7 h 13 min 21.517 s after the start, for 340 d 5 h 41 min 3.291 s.
     */
    static final long ARBITRARY_START = START + ((11 * 24 + 7) * 60 + 13) * 60_000L + 21_517;
    static final long ARBITRARY_END = ARBITRARY_START + ((340 * 24 + 5) * 60 + 41) * 60_000L + 3_291;

    DiskMetricStore store;
    SeriesId id;

    @Setup(Level.Trial)
    public void open() throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "opsbase-query-bench");
        if (!Files.exists(dir.resolve("complete"))) {
            build(dir);
        }
        PageCache.evict(dir);
        store = DiskMetricStore.open(StoreConfig.defaults(dir).withClock(new FixedClock(YEAR_END)));
        id = store.find(SeriesKey.parse("node_load1{instance=\"bench\"}")).orElseThrow();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        store.close();
    }

    static void build(Path dir) throws Exception {
        ScratchDirectories.deleteTree(dir);
        FixedClock clock = new FixedClock(START);
        try (DiskMetricStore s = DiskMetricStore.open(StoreConfig.defaults(dir).withClock(clock))) {
            SeriesId series = s.series(SeriesKey.parse("node_load1{instance=\"bench\"}"));
            SplittableRandom random = new SplittableRandom(42);
            double load = 1;
            Batch.Builder b = Batch.builder();
            for (long t = START; t < YEAR_END; t += 10_000) {
                load = Math.max(0, load + random.nextGaussian() * 0.05 + (random.nextInt(20_000) == 0 ? 20 : 0) - load * 0.001);
                b.add(series, t, Math.round(load * 100) / 100.0);
                if (b.size() == 8640) {
                    s.append(b.build());
                    b = Batch.builder();
                    clock.millis = t;
                    s.checkpoint();
                }
            }
            s.append(b.build());
            clock.millis = YEAR_END;
            s.sealAll();
        }
        Files.createFile(dir.resolve("complete"));
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Fork(1)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public M4 warmYearAligned() {
        return store.m4(id, START, ALIGNED_END, 1920);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Fork(1)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public M4 warmYear365Days() {
        return store.m4(id, START, YEAR_END, 1920);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Fork(5)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public M4 coldYearAligned() {
        return store.m4(id, START, ALIGNED_END, 1920);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Fork(5)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public M4 coldYear365Days() {
        return store.m4(id, START, YEAR_END, 1920);
    }
}
