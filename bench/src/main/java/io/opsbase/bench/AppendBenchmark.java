package io.opsbase.bench;

import io.opsbase.metrics.Batch;
import io.opsbase.metrics.DiskMetricStore;
import io.opsbase.metrics.SeriesId;
import io.opsbase.metrics.SeriesKey;
import io.opsbase.metrics.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Appends on one thread: batches of 1,000 series x 10 samples (a scrape of a big host every 10 s
 * for 100 s). {@code appendDurable} waits for each batch to be durable, so WAL encoding, group commit
 * and fsync (on the sync thread) are all included; {@code appendWithoutWaiting} lets group commit
 * batch the fsyncs. A fresh store per iteration keeps the head small. Throughput is samples/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class AppendBenchmark {

    static final int SERIES = 1000;
    static final int PER_SERIES = 10;

    Path dir;
    DiskMetricStore store;
    SeriesId[] ids;
    long t;
    long round;
    int[] series;
    final long[] timestamps = new long[SERIES * PER_SERIES];
    final double[] values = new double[SERIES * PER_SERIES];

    @Setup(Level.Iteration)
    public void open() throws Exception {
        dir = Files.createTempDirectory("opsbase-append-bench");
        store = DiskMetricStore.open(StoreConfig.defaults(dir));
        ids = new SeriesId[SERIES];
        for (int s = 0; s < SERIES; s++) {
            ids[s] = store.series(SeriesKey.parse("node_cpu_seconds_total{cpu=\"" + s + "\",mode=\"user\"}"));
        }
        t = 1_800_000_000_000L;
        series = new int[SERIES * PER_SERIES];
        for (int k = 0; k < series.length; k++) {
            series[k] = ids[k % SERIES].value();
        }
    }

    @TearDown(Level.Iteration)
    public void close() throws Exception {
        store.close();
        ScratchDirectories.deleteTree(dir);
    }

    /** Time-major like real scrapes: all series at one instant, then the next instant. */
    private Batch nextBatch() {
        for (int i = 0; i < PER_SERIES; i++) {
            for (int s = 0; s < SERIES; s++) {
                int k = i * SERIES + s;
                timestamps[k] = t + i * 10_000L + (s & 7);
                values[k] = (round * PER_SERIES + i) * 0.25 + s;
            }
        }
        round++;
        t += PER_SERIES * 10_000L;
        return new Batch(series, timestamps, values);
    }

    @Benchmark
    @OperationsPerInvocation(SERIES * PER_SERIES)
    public Object appendDurable() {
        return store.appendDurable(nextBatch());
    }

    @Benchmark
    @OperationsPerInvocation(SERIES * PER_SERIES)
    public Object appendWithoutWaiting() {
        return store.append(nextBatch());
    }
}
