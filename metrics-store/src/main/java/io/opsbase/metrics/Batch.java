package io.opsbase.metrics;

import java.util.Arrays;

/** Samples for many series, appended together: sample i is {@code (series[i], timestamps[i], values[i])}. */
public record Batch(int[] series, long[] timestamps, double[] values) {

    public Batch {
        if (series.length != timestamps.length || series.length != values.length) {
            throw new IllegalArgumentException("batch arrays differ in length");
        }
    }

    public int size() {
        return series.length;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects samples into a {@link Batch}. Not thread-safe. */
    public static final class Builder {
        private int[] series = new int[64];
        private long[] timestamps = new long[64];
        private double[] values = new double[64];
        private int size;

        public Builder add(SeriesId id, long timestamp, double value) {
            if (size == series.length) {
                series = Arrays.copyOf(series, size * 2);
                timestamps = Arrays.copyOf(timestamps, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            series[size] = id.value();
            timestamps[size] = timestamp;
            values[size] = value;
            size++;
            return this;
        }

        public int size() {
            return size;
        }

        public Batch build() {
            return new Batch(Arrays.copyOf(series, size), Arrays.copyOf(timestamps, size), Arrays.copyOf(values, size));
        }
    }
}
