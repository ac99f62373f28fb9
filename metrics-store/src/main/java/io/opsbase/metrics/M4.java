package io.opsbase.metrics;

import java.util.List;

/**
 * The answer to a graph query: per pixel column that has data, the first, last, smallest and
 * largest value (NaN samples count as "no value"). A line chart drawn from these columns covers the
 * same pixels as one drawn from every raw sample whenever {@code exact} is true, which holds when
 * the data came from raw samples or from rollup buckets that each fall inside one column.
 *
 * @param resolutionMs 0 when raw samples were used, else the rollup step
 */
public record M4(long from, long to, int width, long resolutionMs, boolean exact, List<Column> columns) {

    /** The widest chart a query may ask for; columns are folded in arrays of this many slots. */
    public static final int MAX_WIDTH = 1 << 16;

    public record Column(int x, double first, double last, double min, double max) {
    }

    /** The pixel column of {@code t}: {@code floor((t - from) * width / (to - from))}. */
    public static int column(long t, long from, long to, int width) {
        return (int) Math.floorDiv((t - from) * width, to - from);
    }
}
