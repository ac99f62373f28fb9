package io.opsbase.metrics;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * Picks the data for a graph and folds it into M4 columns. The coarsest rollup is used whose
 * buckets each lie inside one pixel column and whose retention still covers the range start:
 * then every column's first, last, min and max equal those of the raw samples in it, so the
 * chart is pixel-identical. That needs {@code from} and {@code to} on bucket boundaries (graphs
 * ask for aligned ranges). Otherwise raw samples are used while raw retention covers the range.
 *
 * <p>Failing both (an unaligned range older than raw retention), the answer is layered: the
 * coarsest rollup whose step is at most a column's width gives every bucket that lies inside one
 * column; a bucket that a column boundary (or the range's edge) splits is replaced by the next
 * finer tier's buckets inside it, and so on down to the finest tier whose retention covers the
 * range start. Only the finest tier's buckets that are still split are folded into the column of
 * their start (clamped to {@code from}) — they are why such an answer is marked not exact, and
 * they are the same buckets that folding the finest tier whole would misplace, so the answer
 * equals that fold column for column while decoding the finer tier only around boundaries.
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
        int finest = 0;
        while (finest < levels.size() - 1 && from < now - levels.get(finest).retention().toMillis()) {
            finest++;
        }
        int coarse = finest;
        while (coarse + 1 < levels.size() && levels.get(coarse + 1).stepMs() * width <= to - from) {
            coarse++;
        }
        return layered(id, from, to, width, coarse, finest);
    }

    /**
     * Buckets of tier {@code coarse} that lie inside one column, the split ones replaced by finer
     * tiers' buckets down to tier {@code finest}; see the class comment.
     */
    private M4 layered(SeriesId id, long from, long to, int width, int coarse, int finest) {
        Folder folder = new Folder(from, to, width);
        boolean exact = true;
        Overlapping keep = null;
        List<Bucket> split = new ArrayList<>();
        long step = 0;
        for (int level = coarse; level >= finest; level--) {
            step = config.rollups().get(level).stepMs();
            BitSet refined = new BitSet();
            List<Bucket> next = new ArrayList<>();
            for (Bucket b : store.bucketsAt(id, level, from, to, keep)) {
                if (keep != null) {
                    refined.set(keep.index(b.start()));
                }
                boolean inside = insideOneColumn(b.start(), b.start() + step, from, to, width);
                if (inside || level == finest) {
                    folder.add(b);
                    exact &= inside;
                } else {
                    next.add(b);
                }
            }
            for (int i = 0; keep != null && i < split.size(); i++) {
                if (!refined.get(keep.index(split.get(i).start()))) {
                    // the finer tier lacks this bucket's data (a corrupt file): keep the coarser one, never lose a peak
                    folder.add(split.get(i));
                    exact = false;
                }
            }
            split = next;
            if (split.isEmpty()) {
                break;
            }
            keep = Overlapping.of(split, step, config.rollups().get(level - 1).stepMs());
        }
        return new M4(from, to, width, step, exact, folder.columns());
    }

    static boolean insideOneColumn(long start, long end, long from, long to, int width) {
        return start >= from && end <= to && M4.column(start, from, to, width) == M4.column(end - 1, from, to, width);
    }

    /**
     * Accepts a finer bucket's start when the bucket {@code [start, start + fineStep)} overlaps one
     * of the split coarser buckets {@code [s, s + step)}: a bit per coarser bucket from the first
     * split one on, so the test is a lookup (it runs for every finer bucket of the range).
     */
    private record Overlapping(long base, long step, long fineStep, long[] words) implements LongPredicate {

        static Overlapping of(List<Bucket> buckets, long step, long fineStep) {
            long base = buckets.getFirst().start();
            BitSet split = new BitSet();
            for (Bucket b : buckets) {
                split.set((int) ((b.start() - base) / step));
            }
            return new Overlapping(base, step, fineStep, split.toLongArray());
        }

        @Override
        public boolean test(long start) {
            return index(start) >= 0;
        }

        /** The bit of the split bucket that the finer bucket at {@code start} overlaps, or -1. */
        int index(long start) {
            long end = start + fineStep - 1 - base;
            if (end < 0) {
                return -1;
            }
            long last = end / step;
            for (long i = start > base ? (start - base) / step : 0; i <= last; i++) {
                int word = (int) (i >>> 6);
                if (word >= words.length) {
                    return -1;
                }
                if ((words[word] & (1L << i)) != 0) {
                    return (int) i;
                }
            }
            return -1;
        }
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
            folder.add(b);
        }
        return new M4(from, to, width, step, exact, folder.columns());
    }

    /**
     * Folds points into per-column aggregates, in primitive arrays (one slot per pixel). Points may
     * come in any order: each column keeps the time of its first and last, so buckets of several
     * tiers need no sorting.
     */
    private static final class Folder {
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

        Folder(long from, long to, int width) {
            this.from = from;
            this.to = to;
            this.width = width;
            present = new boolean[width];
            first = new double[width];
            last = new double[width];
            min = new double[width];
            max = new double[width];
            firstT = new long[width];
            lastT = new long[width];
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
