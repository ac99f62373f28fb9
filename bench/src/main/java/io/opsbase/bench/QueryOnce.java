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
import java.util.ArrayList;
import java.util.List;

/**
 * {@code query-once [--runs N]}: cold graph queries, honestly cold. Builds the QueryBenchmark
 * store if absent, then N times per query kind (aligned, 365 days, arbitrary): drops the store's files from
 * the page cache ({@link PageCache}), starts a fresh JVM that opens the store and runs that one
 * query, and prints the times it saw — open, the first query, a second identical query — as wall
 * clock and as the thread's CPU time (on a shared machine the wall clock also measures the
 * neighbours). JVM start-up before {@code main} is not counted.
 */
final class QueryOnce {

    private QueryOnce() {
    }

    static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "opsbase-query-bench");
        if (args.length > 0 && args[0].equals("--child")) {
            child(dir, args[1]);
            return;
        }
        int runs = Integer.parseInt(Main.option(args, "--runs", "5"));
        if (!Files.exists(dir.resolve("complete"))) {
            QueryBenchmark.build(dir);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of(QueryOnce.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        System.out.printf("store=%s files=%d bytes=%d%n", dir, fileCount(dir), ScratchDirectories.bytesUnder(dir));
        for (int run = 1; run <= runs; run++) {
            for (String kind : List.of("aligned", "365days", "arbitrary")) {
                long resident = PageCache.evict(dir);
                List<String> command = new ArrayList<>(List.of(java, "-cp", jar, Main.class.getName(), "query-once", "--child", kind));
                Process child = new ProcessBuilder(command).inheritIO().redirectOutput(ProcessBuilder.Redirect.PIPE).start();
                String line = new String(child.getInputStream().readAllBytes()).trim();
                child.waitFor();
                System.out.printf("run %d %s: page_cache_resident_before=%s %s load=%s%n", run, kind,
                        resident < 0 ? "unknown" : resident + "B", line, loadAverage());
            }
        }
    }

    private static void child(Path dir, String kind) throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime();
        long c0 = cpu.getCurrentThreadCpuTime();
        try (DiskMetricStore store = DiskMetricStore.open(StoreConfig.defaults(dir).withClock(new FixedClock(QueryBenchmark.YEAR_END)))) {
            SeriesId id = store.find(SeriesKey.parse("node_load1{instance=\"bench\"}")).orElseThrow();
            long t1 = System.nanoTime();
            long c1 = cpu.getCurrentThreadCpuTime();
            long from = kind.equals("arbitrary") ? QueryBenchmark.ARBITRARY_START : QueryBenchmark.START;
            long to = switch (kind) {
                case "aligned" -> QueryBenchmark.ALIGNED_END;
                case "arbitrary" -> QueryBenchmark.ARBITRARY_END;
                default -> QueryBenchmark.YEAR_END;
            };
            M4 first = store.m4(id, from, to, 1920);
            long t2 = System.nanoTime();
            long c2 = cpu.getCurrentThreadCpuTime();
            store.m4(id, from, to, 1920);
            long t3 = System.nanoTime();
            System.out.printf("open=%.1fms(cpu %.1f) first_query=%.1fms(cpu %.1f) open+query=%.1fms second_query=%.1fms"
                            + " columns=%d step=%ds exact=%s%n",
                    ms(t1 - t0), ms(c1 - c0), ms(t2 - t1), ms(c2 - c1), ms(t2 - t0), ms(t3 - t2),
                    first.columns().size(), first.resolutionMs() / 1000, first.exact());
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static long fileCount(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    static String loadAverage() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }
}
