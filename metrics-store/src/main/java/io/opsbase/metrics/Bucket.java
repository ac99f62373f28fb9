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
        return out.toArray(Bucket[]::new);
    }

    /** An exact running sum of doubles (BigDecimal holds any finite double exactly). */
    static final class Sum {
        private java.math.BigDecimal exact = java.math.BigDecimal.ZERO;
        private boolean positiveInfinity;
        private boolean negativeInfinity;

        void reset() {
            exact = java.math.BigDecimal.ZERO;
            positiveInfinity = false;
            negativeInfinity = false;
        }

        void add(double v) {
            if (v == Double.POSITIVE_INFINITY) {
                positiveInfinity = true;
            } else if (v == Double.NEGATIVE_INFINITY) {
                negativeInfinity = true;
            } else if (v != 0) {
                exact = exact.add(new java.math.BigDecimal(v));
            }
        }

        double value() {
            if (positiveInfinity || negativeInfinity) {
                return positiveInfinity && negativeInfinity ? Double.NaN
                        : positiveInfinity ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            }
            return exact.doubleValue();
        }
    }
}
