package io.opsbase.bench;

import io.opsbase.metrics.Batch;
import io.opsbase.metrics.Bucket;
import io.opsbase.metrics.CsvRecording;
import io.opsbase.metrics.DiskMetricStore;
import io.opsbase.metrics.RollupLevel;
import io.opsbase.metrics.SeriesId;
import io.opsbase.metrics.SeriesKey;
import io.opsbase.metrics.Samples;
import io.opsbase.metrics.StoreConfig;
import io.opsbase.metrics.StoreStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code store-size --input FILE.csv.gz}: loads a recording into a fresh store, seals it, reads
 * every sample back and compares bit for bit, compares every rollup bucket with brute-force
 * aggregation, and prints sizes. The last line is the machine-readable summary.
 */
final class StoreSize {

    private StoreSize() {
    }

    static void main(String[] args) throws Exception {
        Path input = Path.of(Main.option(args, "--input", null));
        Map<SeriesKey, Samples> data = CsvRecording.read(input);
        long samples = data.values().stream().mapToLong(Samples::size).sum();
        long last = data.values().stream().mapToLong(s -> s.timestamps()[s.size() - 1]).max().orElse(0);
        Path dir = Files.createTempDirectory("opsbase-store-size");
        StoreConfig config = StoreConfig.defaults(dir).withClock(new FixedClock(last));
        boolean exact = true;
        try (DiskMetricStore store = DiskMetricStore.open(config)) {
            long start = System.nanoTime();
            Map<SeriesKey, SeriesId> ids = new LinkedHashMap<>();
            for (Map.Entry<SeriesKey, Samples> e : data.entrySet()) {
                SeriesId id = store.series(e.getKey());
                ids.put(e.getKey(), id);
                Batch.Builder batch = Batch.builder();
                Samples s = e.getValue();
                for (int i = 0; i < s.size(); i++) {
                    batch.add(id, s.timestamps()[i], s.values()[i]);
                }
                store.append(batch.build());
            }
            store.sealAll();
            double seconds = (System.nanoTime() - start) / 1e9;
            StoreStats stats = store.stats();
            System.out.printf("input=%s series=%d samples=%d%n", input, data.size(), samples);
            System.out.printf("load+seal: %.2f s (%.0f samples/s, one thread, WAL fsync included)%n", seconds, samples / seconds);
            System.out.printf("raw: files=%d samples=%d bytes=%d bytes_per_sample=%.4f%n", stats.rawFiles(),
                    stats.rawSamplesOnDisk(), stats.rawBytes(), (double) stats.rawBytes() / stats.rawSamplesOnDisk());
            for (StoreStats.Level level : stats.levels()) {
                System.out.printf("rollup step=%ds: files=%d buckets=%d bytes=%d bytes_per_bucket=%.3f%n", level.stepMs() / 1000,
                        level.files(), level.buckets(), level.bytes(), (double) level.bytes() / level.buckets());
            }
            System.out.printf("wal: segments=%d bytes=%d (after the sealing checkpoint)%n", stats.walSegments(), stats.walBytes());

            long compared = 0;
            int mismatched = 0;
            for (Map.Entry<SeriesKey, Samples> e : data.entrySet()) {
                Samples back = store.raw(ids.get(e.getKey()), Long.MIN_VALUE, Long.MAX_VALUE);
                if (!back.equals(e.getValue())) {
                    mismatched++;
                }
                compared += back.size();
            }
            System.out.printf("read back: %d samples, %d series differ%n", compared, mismatched);
            exact &= mismatched == 0 && compared == samples;

            long buckets = 0;
            int badRollups = 0;
            for (RollupLevel level : config.rollups()) {
                for (Map.Entry<SeriesKey, Samples> e : data.entrySet()) {
                    List<Bucket> stored = store.buckets(ids.get(e.getKey()), level.step(), Long.MIN_VALUE, Long.MAX_VALUE);
                    if (!stored.equals(bruteForce(e.getValue(), level.stepMs()))) {
                        badRollups++;
                    }
                    buckets += stored.size();
                }
            }
            System.out.printf("rollups vs brute force: %d buckets, %d series-levels differ%n", buckets, badRollups);
            exact &= badRollups == 0;
            System.out.printf("bytes_per_sample=%.4f samples=%d series=%d roundtrip=%s%n",
                    (double) stats.rawBytes() / samples, samples, data.size(), exact ? "exact" : "FAILED");
        } finally {
            ScratchDirectories.deleteTree(dir);
        }
        if (!exact) {
            System.exit(1);
        }
    }

    /** Buckets the obvious way: group non-NaN samples by bucket, fold each group, sum exactly with BigDecimal. */
    static List<Bucket> bruteForce(Samples s, long step) {
        TreeMap<Long, List<Double>> groups = new TreeMap<>();
        for (int i = 0; i < s.size(); i++) {
            double v = s.values()[i];
            if (!Double.isNaN(v)) {
                groups.computeIfAbsent(Math.floorDiv(s.timestamps()[i], step) * step, k -> new ArrayList<>()).add(v);
            }
        }
        List<Bucket> out = new ArrayList<>();
        groups.forEach((start, vs) -> {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            java.math.BigDecimal exact = java.math.BigDecimal.ZERO;
            boolean plusInf = false;
            boolean minusInf = false;
            for (double v : vs) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                if (Double.isInfinite(v)) {
                    plusInf |= v > 0;
                    minusInf |= v < 0;
                } else {
                    exact = exact.add(new java.math.BigDecimal(v));
                }
            }
            double sum = plusInf && minusInf ? Double.NaN : plusInf ? Double.POSITIVE_INFINITY
                    : minusInf ? Double.NEGATIVE_INFINITY : exact.doubleValue();
            out.add(new Bucket(start, vs.getFirst(), vs.getLast(), min, max, sum, vs.size()));
        });
        return out;
    }
}
