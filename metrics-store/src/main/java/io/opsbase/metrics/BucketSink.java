package io.opsbase.metrics;

/**
 * Receives rollup buckets as they are decoded, so a graph query folds a tier straight into its
 * pixel columns without building a {@link Bucket} per bucket: a cold query in a fresh JVM pays for
 * every allocation in first-touched heap pages. Only first, last, min and max are passed: what M4
 * needs. Buckets arrive in time order per file, files in any order.
 */
interface BucketSink {

    void bucket(long start, double first, double last, double min, double max);
}
