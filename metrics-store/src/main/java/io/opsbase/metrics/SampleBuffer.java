package io.opsbase.metrics;

import java.util.Arrays;

/** A growable pair of arrays; the scratch space decoders and merges fill. Not thread-safe. */
final class SampleBuffer {

    long[] ts;
    double[] vs;
    int size;

    SampleBuffer(int capacity) {
        ts = new long[Math.max(4, capacity)];
        vs = new double[ts.length];
    }

    void add(long t, double v) {
        if (size == ts.length) {
            ts = Arrays.copyOf(ts, size * 2);
            vs = Arrays.copyOf(vs, size * 2);
        }
        ts[size] = t;
        vs[size] = v;
        size++;
    }

    void addAll(Samples s) {
        for (int i = 0; i < s.size(); i++) {
            add(s.timestamps()[i], s.values()[i]);
        }
    }

    Samples toSamples() {
        return new Samples(Arrays.copyOf(ts, size), Arrays.copyOf(vs, size));
    }

    /** The samples with {@code from <= t < to}, assuming time order. */
    Samples slice(long from, long to) {
        int lo = lowerBound(ts, size, from);
        int hi = lowerBound(ts, size, to);
        return new Samples(Arrays.copyOfRange(ts, lo, hi), Arrays.copyOfRange(vs, lo, hi));
    }

    static int lowerBound(long[] a, int n, long key) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
