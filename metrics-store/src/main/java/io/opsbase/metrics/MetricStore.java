package io.opsbase.metrics;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where monitoring samples live. {@link DiskMetricStore} is the embedded engine; a remote
 * Prometheus-compatible store is the other implementation the design foresees.
 */
public interface MetricStore extends Closeable {

    /** The id of {@code key}, created if new. */
    SeriesId series(SeriesKey key);

    Optional<SeriesId> find(SeriesKey key);

    SeriesKey key(SeriesId id);

    /**
     * Adds a batch. The returned future completes once every accepted sample is on stable
     * storage — the moment to acknowledge the sender — or fails if the WAL cannot be written.
     */
    CompletableFuture<AppendResult> append(Batch batch);

    /** {@link #append} and wait for durability. */
    default AppendResult appendDurable(Batch batch) {
        return append(batch).join();
    }

    /** Raw samples with {@code from <= t < to}. */
    Samples raw(SeriesId id, long from, long to);

    /** Buckets of the rollup with this step that overlap {@code [from, to)}. */
    List<Bucket> buckets(SeriesId id, Duration step, long from, long to);

    /**
     * First, last, min and max per pixel column of a {@code width}-pixel chart of {@code [from, to)};
     * {@code from < to} and {@code 0 < width <= }{@link M4#MAX_WIDTH}, else {@link IllegalArgumentException}.
     */
    M4 m4(SeriesId id, long from, long to, int width);

    Optional<Sample> latest(SeriesId id);

    StoreStats stats();

    /** Seals due windows into files, compacts, snapshots the head, trims the WAL and drops expired files. */
    void checkpoint() throws IOException;

    @Override
    void close() throws IOException;
}
