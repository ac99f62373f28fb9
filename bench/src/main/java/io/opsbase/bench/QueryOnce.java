package io.opsbase.bench;

import io.opsbase.metrics.DiskMetricStore;
import io.opsbase.metrics.M4;
import io.opsbase.metrics.SeriesId;
import io.opsbase.metrics.SeriesKey;
import io.opsbase.metrics.StoreConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code query-once}: in this fresh JVM, opens the QueryBenchmark store (building it if absent)
 * and times the very first graph queries, then the same queries again, to split a cold query
 * into JVM warm-up and store work.
 */
final class QueryOnce {

    private QueryOnce() {
    }

    static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "opsbase-query-bench");
        if (!Files.exists(dir.resolve("complete"))) {
            QueryBenchmark.build(dir);
        }
        long t0 = System.nanoTime();
        try (DiskMetricStore store = DiskMetricStore.open(StoreConfig.defaults(dir).withClock(new FixedClock(QueryBenchmark.YEAR_END)))) {
            SeriesId id = store.find(SeriesKey.parse("node_load1{instance=\"bench\"}")).orElseThrow();
            long t1 = System.nanoTime();
            System.out.printf("open: %.1f ms%n", (t1 - t0) / 1e6);
            // CPU time of this thread as well as wall time: on a shared machine the wall clock
            // mostly measures the neighbours.
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            for (int round = 1; round <= 3; round++) {
                long a = System.nanoTime();
                long ca = cpu.getCurrentThreadCpuTime();
                M4 aligned = store.m4(id, QueryBenchmark.START, QueryBenchmark.ALIGNED_END, 1920);
                long b = System.nanoTime();
                long cb = cpu.getCurrentThreadCpuTime();
                M4 year = store.m4(id, QueryBenchmark.START, QueryBenchmark.YEAR_END, 1920);
                long c = System.nanoTime();
                long cc = cpu.getCurrentThreadCpuTime();
                System.out.printf("round %d: aligned %.1f ms wall %.1f ms cpu (%d columns, step %d s, exact=%s); "
                                + "365 days %.1f ms wall %.1f ms cpu (%d columns, step %d s, exact=%s)%n",
                        round, (b - a) / 1e6, (cb - ca) / 1e6, aligned.columns().size(), aligned.resolutionMs() / 1000, aligned.exact(),
                        (c - b) / 1e6, (cc - cb) / 1e6, year.columns().size(), year.resolutionMs() / 1000, year.exact());
            }
        }
    }
}
