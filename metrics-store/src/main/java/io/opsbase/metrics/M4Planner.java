package io.opsbase.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks the data for a graph and folds it into M4 columns. The coarsest rollup is used whose
 * buckets each lie inside one pixel column and whose retention still covers the range start:
 * then every column's first, last, min and max equal those of the raw samples in it, so the
 * chart is pixel-identical. That needs {@code from} and {@code to} on bucket boundaries (graphs
 * ask for aligned ranges). Otherwise raw samples are used while raw retention covers the range,
 * and failing that the finest rollup still holding the range start, marked not exact.
 * Called under the store's read lock.
 */
final class M4Planner {

    private final StoreConfig config;
    private final DiskMetricStore store;

    M4Planner(StoreConfig config, DiskMetricStore store) {
        this.config = config;
        this.store = store;
    }

    M4 plan(SeriesId id, long from, long to, int width) {
        long now = config.clock().millis();
        List<RollupLevel> levels = config.rollups();
        for (int level = levels.size() - 1; level >= 0; level--) {
            RollupLevel l = levels.get(level);
            if (from >= now - l.retention().toMillis() && aligned(l.stepMs(), from, to, width)) {
                return fromBuckets(store.bucketsAt(id, level, from, to), from, to, width, l.stepMs(), true);
            }
        }
        if (from >= now - config.rawRetention().toMillis() || levels.isEmpty()) {
            return fromSamples(store.raw(id, from, to), from, to, width);
        }
        for (int level = 0; level < levels.size(); level++) {
            RollupLevel l = levels.get(level);
            if (from >= now - l.retention().toMillis() || level == levels.size() - 1) {
                return fromBuckets(store.bucketsAt(id, level, from, to), from, to, width, l.stepMs(), false);
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** True when every bucket of {@code step} in {@code [from, to)} falls inside one pixel column. */
    static boolean aligned(long step, long from, long to, int width) {
        if (from % step != 0 || to % step != 0 || (to - from) / step < width) {
            return false;
        }
        for (long b = from; b < to; b += step) {
            if (M4.column(b, from, to, width) != M4.column(b + step - 1, from, to, width)) {
                return false;
            }
        }
        return true;
    }

    static M4 fromSamples(Samples s, long from, long to, int width) {
        Folder folder = new Folder(from, to, width);
        for (int i = 0; i < s.size(); i++) {
            double v = s.values()[i];
            if (!Double.isNaN(v)) {
                folder.add(s.timestamps()[i], v, v, v, v);
            }
        }
        return new M4(from, to, width, 0, true, folder.columns());
    }

    static M4 fromBuckets(List<Bucket> buckets, long from, long to, int width, long step, boolean exact) {
        Folder folder = new Folder(from, to, width);
        for (Bucket b : buckets) {
            folder.add(Math.max(b.start(), from), b.first(), b.last(), b.min(), b.max());
        }
        return new M4(from, to, width, step, exact, folder.columns());
    }

    /** Folds points in time order into per-column aggregates, in primitive arrays (one slot per pixel). */
    private static final class Folder {
        final long from;
        final long to;
        final int width;
        final boolean[] present;
        final double[] first;
        final double[] last;
        final double[] min;
        final double[] max;

        Folder(long from, long to, int width) {
            this.from = from;
            this.to = to;
            this.width = width;
            present = new boolean[width];
            first = new double[width];
            last = new double[width];
            min = new double[width];
            max = new double[width];
        }

        void add(long t, double f, double l, double lo, double hi) {
            int x = M4.column(t, from, to, width);
            if (present[x]) {
                min[x] = Math.min(min[x], lo);
                max[x] = Math.max(max[x], hi);
            } else {
                present[x] = true;
                first[x] = f;
                min[x] = lo;
                max[x] = hi;
            }
            last[x] = l;
        }

        List<M4.Column> columns() {
            List<M4.Column> out = new ArrayList<>();
            for (int x = 0; x < width; x++) {
                if (present[x]) {
                    out.add(new M4.Column(x, first[x], last[x], min[x], max[x]));
                }
            }
            return out;
        }
    }
}
