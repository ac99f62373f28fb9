package io.opsbase.metrics;

/**
 * One rollup bucket {@code [start, start + resolution)}: aggregates over the bucket's samples whose
 * value is not NaN (NaN marks "no value", as in Prometheus summaries without observations). A
 * bucket exists only if it holds at least one such sample. min and max follow
 * {@link Math#min}/{@link Math#max} (so -0.0 is below 0.0). {@code sum} is the exact sum of the
 * values rounded once to the nearest double (so it does not depend on addition order); with
 * infinities it is +Inf, -Inf, or NaN when both signs occur. {@link #merge} of adjacent buckets
 * gives exactly what aggregating their samples would for first, last, min, max and count, and
 * the sum up to one rounding per merge.
 */
public record Bucket(long start, double first, double last, double min, double max, double sum, long count) {

    public double average() {
        return sum / count;
    }

    /** Combines this bucket with a later one; the result keeps this bucket's start. */
    public Bucket merge(Bucket later) {
        return new Bucket(start, first, later.last, Math.min(min, later.min), Math.max(max, later.max),
                sum + later.sum, count + later.count);
    }

    /** Buckets of {@code resolution} ms, aligned to the epoch, over samples in time order. */
    static Bucket[] aggregate(long[] ts, double[] vs, int n, long resolution) {
        java.util.ArrayList<Bucket> out = new java.util.ArrayList<>();
        long start = Long.MIN_VALUE;
        double first = 0;
        double last = 0;
        double min = 0;
        double max = 0;
        Sum sum = new Sum();
        long count = 0;
        for (int i = 0; i < n; i++) {
            double v = vs[i];
            if (Double.isNaN(v)) {
                continue;
            }
            long b = Math.floorDiv(ts[i], resolution) * resolution;
            if (b != start) {
                if (count > 0) {
                    out.add(new Bucket(start, first, last, min, max, sum.value(), count));
                }
                start = b;
                first = v;
                min = v;
                max = v;
                sum.reset();
                count = 0;
            }
            last = v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum.add(v);
            count++;
        }
        if (count > 0) {
            out.add(new Bucket(start, first, last, min, max, sum.value(), count));
        }
        return out.toArray(new Bucket[0]);
    }

    /**
     * An exact running sum of doubles, rounded once when read. The exact value is kept as a few
     * non-overlapping doubles (Shewchuk's partials, as in Python's {@code math.fsum}): each
     * addition is error-free, so their sum is the sum of every value added, and {@link #value}
     * rounds it to the nearest double, ties to even — the same double {@code BigDecimal} arithmetic
     * would give. Typical rollup buckets need one to three partials. Only when a partial overflows
     * (finite values whose sum passes {@link Double#MAX_VALUE}) does it continue in
     * {@code BigDecimal}, which holds any finite double exactly. No {@code BigDecimal} otherwise:
     * its class initialisation alone costs a cold graph query several milliseconds.
     */
    static final class Sum {
        private double[] partials = new double[4];
        private int size;
        private java.math.BigDecimal overflowed;
        private boolean positiveInfinity;
        private boolean negativeInfinity;

        void reset() {
            size = 0;
            overflowed = null;
            positiveInfinity = false;
            negativeInfinity = false;
        }

        void add(double v) {
            if (v == Double.POSITIVE_INFINITY) {
                positiveInfinity = true;
            } else if (v == Double.NEGATIVE_INFINITY) {
                negativeInfinity = true;
            } else if (v != 0) {
                if (overflowed != null) {
                    overflowed = overflowed.add(new java.math.BigDecimal(v));
                } else {
                    addPartial(v);
                }
            }
        }

        private void addPartial(double v) {
            double x = v;
            int kept = 0;
            for (int j = 0; j < size; j++) {
                double y = partials[j];
                if (Math.abs(x) < Math.abs(y)) {
                    double t = x;
                    x = y;
                    y = t;
                }
                double hi = x + y;
                if (Double.isInfinite(hi)) {
                    overflow(kept, x, y, j + 1);
                    return;
                }
                double lo = y - (hi - x);
                if (lo != 0) {
                    partials[kept++] = lo;
                }
                x = hi;
            }
            if (kept == partials.length) {
                partials = java.util.Arrays.copyOf(partials, kept * 2);
            }
            partials[kept++] = x;
            size = kept;
        }

        /**
         * Continues in BigDecimal. Mid-addition the exact total is always the rewritten partials
         * {@code [0, kept)}, the pair {@code x + y} being added and the partials not reached yet.
         */
        private void overflow(int kept, double x, double y, int rest) {
            java.math.BigDecimal exact = new java.math.BigDecimal(x).add(new java.math.BigDecimal(y));
            for (int i = 0; i < kept; i++) {
                exact = exact.add(new java.math.BigDecimal(partials[i]));
            }
            for (int i = rest; i < size; i++) {
                exact = exact.add(new java.math.BigDecimal(partials[i]));
            }
            overflowed = exact;
            size = 0;
        }

        double value() {
            if (positiveInfinity || negativeInfinity) {
                return positiveInfinity && negativeInfinity ? Double.NaN
                        : positiveInfinity ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            }
            if (overflowed != null) {
                return overflowed.doubleValue();
            }
            return rounded(partials, size);
        }

        /** The sum of non-overlapping partials (increasing magnitude) rounded once, ties to even. */
        static double rounded(double[] partials, int size) {
            int n = size;
            if (n == 0) {
                return 0.0;
            }
            double hi = partials[--n];
            double lo = 0;
            while (n > 0) {
                double x = hi;
                double y = partials[--n];
                hi = x + y;
                double yr = hi - x;
                lo = y - yr;
                if (lo != 0) {
                    break;
                }
            }
            // hi + lo is exact; a half-way lo is resolved by the sign of the next partial.
            if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
                double y = lo * 2;
                double x = hi + y;
                double yr = x - hi;
                if (y == yr) {
                    hi = x;
                }
            }
            return hi;
        }
    }
}
