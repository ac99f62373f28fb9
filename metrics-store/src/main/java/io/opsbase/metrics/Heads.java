package io.opsbase.metrics;

import java.util.Arrays;

/**
 * The unsealed part of every series: one {@link HeadSeries} per series id, in an array that only
 * grows. Thread-safe: the array is replaced (volatile) when it grows, under the caller's append
 * lock; each {@link HeadSeries} guards itself.
 */
final class Heads {

    private volatile HeadSeries[] heads = new HeadSeries[0];

    /** Makes room for ids below {@code size}. Callers serialise growth (the store's append lock or its constructor). */
    void ensure(int size) {
        HeadSeries[] current = heads;
        if (current.length >= size) {
            return;
        }
        HeadSeries[] grown = Arrays.copyOf(current, Math.max(size, current.length * 2));
        for (int i = current.length; i < grown.length; i++) {
            grown[i] = new HeadSeries();
        }
        heads = grown;
    }

    /** The head of {@code id}; the id must be below a size passed to {@link #ensure}. */
    HeadSeries get(int id) {
        return heads[id];
    }

    /** The current array, for loops over many series (ids below the index size are present). */
    HeadSeries[] all() {
        return heads;
    }
}
