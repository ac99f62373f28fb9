package io.opsbase.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the head's samples of finished windows into files: one raw block per block window and,
 * per rollup level, one part holding that window's buckets, aggregated straight from the raw
 * samples (so every stored bucket equals brute-force aggregation). Runs inside a checkpoint,
 * under the store's exclusive lock.
 */
final class WindowSealer {

    private final StoreConfig config;
    private final BlockCatalog catalog;

    WindowSealer(StoreConfig config, BlockCatalog catalog) {
        this.config = config;
        this.catalog = catalog;
    }

    /** Writes every head sample before {@code until} into raw blocks and rollup parts, window by window. */
    void seal(HeadSeries[] h, int series, long until, long gen) throws IOException {
        TreeMap<Long, Block.RawBuilder> raw = new TreeMap<>();
        List<TreeMap<Long, List<Block.RollupEntry>>> parts = new ArrayList<>();
        for (int level = 0; level < config.rollups().size(); level++) {
            parts.add(new TreeMap<>());
        }
        long window = config.blockWindow().toMillis();
        for (int id = 0; id < series; id++) {
            Samples s = h[id].takeBefore(until);
            int i = 0;
            while (i < s.size()) {
                long w = Math.floorDiv(s.timestamps()[i], window) * window;
                int j = SampleBuffer.lowerBound(s.timestamps(), s.size(), w + window);
                long[] ts = Arrays.copyOfRange(s.timestamps(), i, j);
                double[] vs = Arrays.copyOfRange(s.values(), i, j);
                raw.computeIfAbsent(w, k -> new Block.RawBuilder()).add(id, ts, vs);
                for (int level = 0; level < parts.size(); level++) {
                    long step = config.rollups().get(level).stepMs();
                    Bucket[] buckets = Bucket.aggregate(ts, vs, ts.length, step);
                    if (buckets.length > 0) {
                        parts.get(level).computeIfAbsent(w, k -> new ArrayList<>()).add(new Block.RollupEntry(id, buckets));
                    }
                }
                i = j;
            }
        }
        for (Map.Entry<Long, Block.RawBuilder> e : raw.entrySet()) {
            catalog.addRaw(e.getKey(), e.getValue().entries(), gen);
        }
        for (int level = 0; level < parts.size(); level++) {
            for (Map.Entry<Long, List<Block.RollupEntry>> e : parts.get(level).entrySet()) {
                catalog.addPart(level, e.getKey(), e.getValue(), gen);
            }
        }
    }
}
