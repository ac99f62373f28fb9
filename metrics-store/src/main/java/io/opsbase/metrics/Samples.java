package io.opsbase.metrics;

import java.util.Arrays;

/** Samples of one series in time order: {@code timestamps[i]} (epoch ms) carries {@code values[i]}. */
public record Samples(long[] timestamps, double[] values) {

    public static final Samples EMPTY = new Samples(new long[0], new double[0]);

    public Samples {
        if (timestamps.length != values.length) {
            throw new IllegalArgumentException("timestamps and values differ in length");
        }
    }

    public int size() {
        return timestamps.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Samples s && Arrays.equals(timestamps, s.timestamps)
                && Arrays.equals(doubleBits(values), doubleBits(s.values));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(timestamps) * 31 + Arrays.hashCode(doubleBits(values));
    }

    private static long[] doubleBits(double[] values) {
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Double.doubleToRawLongBits(values[i]);
        }
        return bits;
    }

    @Override
    public String toString() {
        return "Samples[" + size() + "]";
    }
}
