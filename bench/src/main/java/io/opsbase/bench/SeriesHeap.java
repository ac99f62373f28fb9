package io.opsbase.bench;

import io.opsbase.metrics.DiskMetricStore;
import io.opsbase.metrics.SeriesKey;
import io.opsbase.metrics.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code series-heap [--series N]}: registers N realistic series keys in a fresh store and reports
 * heap per series, both as the index's own accounting and as measured used heap after full GCs
 * (the latter also counts each series' empty head).
 */
final class SeriesHeap {

    private SeriesHeap() {
    }

    static void main(String[] args) throws Exception {
        int n = Integer.parseInt(Main.option(args, "--series", "1000000"));
        Path dir = Files.createTempDirectory("opsbase-series-heap");
        try {
            long before = usedAfterGc();
            long keyBytes = 0;
            long start = System.nanoTime();
            try (DiskMetricStore store = DiskMetricStore.open(StoreConfig.defaults(dir))) {
                for (int i = 0; i < n; i++) {
                    SeriesKey key = SeriesKey.of("node_network_receive_bytes_total", Map.of(
                            "instance", "host-" + (i / 20) + ".dc1.example.net:9100", "job", "node", "device", "eth" + (i % 20)));
                    keyBytes += key.format().length();
                    store.series(key);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                long after = usedAfterGc();
                System.out.printf("series=%d average_key_bytes=%.1f create_rate=%.0f series/s%n", n, (double) keyBytes / n, n / seconds);
                System.out.printf("series_index_heap_bytes=%d per_series=%.1f%n", store.seriesIndexHeapBytes(),
                        (double) store.seriesIndexHeapBytes() / n);
                System.out.printf("measured_store_heap_bytes=%d per_series=%.1f (index + empty heads, after full GC)%n",
                        after - before, (double) (after - before) / n);
                store.checkpoint();
                System.out.printf("series.idx bytes=%d%n", Files.size(dir.resolve("series.idx")));
            }
        } finally {
            ScratchDirectories.deleteTree(dir);
        }
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
