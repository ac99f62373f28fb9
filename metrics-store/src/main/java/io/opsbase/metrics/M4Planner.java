package io.opsbase.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks the data for a graph and folds it into M4 columns. The coarsest rollup is used whose
 * buckets each lie inside one pixel column and whose retention still covers the range start:
 * then every column's first, last, min and max equal those of the raw samples in it, so the
 * chart is pixel-identical. That needs {@code from} and {@code to} on bucket boundaries (graphs
 * ask for aligned ranges). Otherwise raw samples are used while raw retention covers the range.
 *
 * <p>Failing both (an unaligned range older than raw retention), the finest tier whose retention
 * covers the range start is folded whole, each bucket into the column of its start (clamped to
 * {@code from}); the answer is marked not exact when a column boundary splits any of its buckets.
 * (An earlier planner took a coarser tier's buckets inside columns and refined only the split
 * ones; with the finer tier coded sequentially it had to read all of that tier anyway, so it
 * decoded more for the same columns.) Buckets are folded as they are decoded, never built, on
 * a first read ({@link BucketSink}). A file of the tier that cannot be read (failed checks) is
 * filled from the next coarser tier that can: coarser columns, never a lost peak.
 *
 * <p>No lambdas and no string concatenation by invokedynamic on this path (the module compiles
 * them inline): the first graph after a start runs in a fresh JVM, where linking each costs
 * milliseconds. Called under the store's read lock.
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
                return folded(id, from, to, width, level);
            }
        }
        if (from >= now - config.rawRetention().toMillis() || levels.isEmpty()) {
            return fromSamples(store.raw(id, from, to), from, to, width);
        }
        int finest = 0;
        while (finest < levels.size() - 1 && from < now - levels.get(finest).retention().toMillis()) {
            finest++;
        }
        return folded(id, from, to, width, finest);
    }

    /** Folds tier {@code level} whole, windows of unreadable files from coarser tiers. */
    private M4 folded(SeriesId id, long from, long to, int width, int level) {
        List<RollupLevel> levels = config.rollups();
        long step = levels.get(level).stepMs();
        Folder folder = new Folder(from, to, width, step);
        List<long[]> unreadable = store.foldAt(id, level, from, to, folder);
        for (int coarser = level + 1; !unreadable.isEmpty(); coarser++) {
            folder.exact = false;
            if (coarser == levels.size()) {
                break;
            }
            folder.step = levels.get(coarser).stepMs();
            List<long[]> still = new ArrayList<>(0);
            for (long[] window : unreadable) {
                still.addAll(store.foldAt(id, coarser, Math.max(from, window[0]), Math.min(to, window[1]), folder));
            }
            unreadable = still;
        }
        return new M4(from, to, width, step, folder.exact, folder.columns());
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
        Folder folder = new Folder(from, to, width, 0);
        for (int i = 0; i < s.size(); i++) {
            double v = s.values()[i];
            if (!Double.isNaN(v)) {
                folder.add(s.timestamps()[i], v, v, v, v);
            }
        }
        return new M4(from, to, width, 0, true, folder.columns());
    }

    static M4 fromBuckets(List<Bucket> buckets, long from, long to, int width, long step, boolean exact) {
        Folder folder = new Folder(from, to, width, step);
        for (Bucket b : buckets) {
            folder.add(b);
        }
        return new M4(from, to, width, step, exact, folder.columns());
    }

    /**
     * Folds points into per-column aggregates, in primitive arrays (one slot per pixel). Points may
     * come in any order: each column keeps the time of its first and last, so buckets of several
     * tiers need no sorting.
     */
    private static final class Folder implements BucketSink {
        final long from;
        final long to;
        final int width;
        final boolean[] present;
        final double[] first;
        final double[] last;
        final double[] min;
        final double[] max;
        final long[] firstT;
        final long[] lastT;
        /** The step of the buckets now being folded, and whether every one so far lay inside one column. */
        long step;
        boolean exact = true;

        Folder(long from, long to, int width, long step) {
            this.from = from;
            this.to = to;
            this.width = width;
            this.step = step;
            present = new boolean[width];
            first = new double[width];
            last = new double[width];
            min = new double[width];
            max = new double[width];
            firstT = new long[width];
            lastT = new long[width];
        }

        @Override
        public void bucket(long start, double f, double l, double lo, double hi) {
            int x = M4.column(Math.max(start, from), from, to, width);
            if (exact && (start < from || start + step > to || M4.column(start + step - 1, from, to, width) != x)) {
                exact = false;
            }
            addAt(x, start, f, l, lo, hi);
        }

        /** A bucket, in the column of its start (clamped to the range start). */
        void add(Bucket b) {
            addAt(M4.column(Math.max(b.start(), from), from, to, width), b.start(), b.first(), b.last(), b.min(), b.max());
        }

        void add(long t, double f, double l, double lo, double hi) {
            addAt(M4.column(t, from, to, width), t, f, l, lo, hi);
        }

        private void addAt(int x, long t, double f, double l, double lo, double hi) {
            if (present[x]) {
                min[x] = Math.min(min[x], lo);
                max[x] = Math.max(max[x], hi);
                if (t < firstT[x]) {
                    first[x] = f;
                    firstT[x] = t;
                }
                if (t >= lastT[x]) {
                    last[x] = l;
                    lastT[x] = t;
                }
            } else {
                present[x] = true;
                first[x] = f;
                last[x] = l;
                min[x] = lo;
                max[x] = hi;
                firstT[x] = t;
                lastT[x] = t;
            }
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
