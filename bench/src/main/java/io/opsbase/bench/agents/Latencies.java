package io.opsbase.bench.agents;

import java.util.Arrays;

/**
 * Latencies of one kind of request, recorded by many threads, summarised as count and
 * percentiles. Keeps every sample (a run records at most a few hundred thousand), so the
 * percentiles are exact rather than estimated. Thread-safe.
 */
final class Latencies {

    private final String name;
    private long[] nanos = new long[1024];
    private int count;

    Latencies(String name) {
        this.name = name;
    }

    synchronized void record(long elapsedNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = elapsedNanos;
    }

    synchronized int count() {
        return count;
    }

    /** The 99th percentile in milliseconds, 0 when nothing was recorded. */
    synchronized double p99Millis() {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return millis(sorted, 0.99);
    }

    /** {@code name: n=…, p50=… ms, p99=… ms, max=… ms}. */
    synchronized String summary() {
        if (count == 0) {
            return name + ": n=0";
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return "%s: n=%d p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms".formatted(name, count,
                millis(sorted, 0.50), millis(sorted, 0.90), millis(sorted, 0.99), sorted[count - 1] / 1e6);
    }

    private static double millis(long[] sorted, double quantile) {
        int i = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.clamp(i, 0, sorted.length - 1)] / 1e6;
    }
}
