package io.opsbase.monitoring.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

import io.opsbase.metrics.AppendResult;
import io.opsbase.metrics.Batch;
import io.opsbase.metrics.MetricStore;
import io.opsbase.metrics.SeriesId;
import io.opsbase.metrics.SeriesKey;
import io.opsbase.protocol.MetricSample;

/**
 * The bounded queue between the HTTP threads that receive agents' batches and the consumer threads
 * that append them to the store. The bound counts every batch not yet durable — waiting for a
 * consumer or appended and waiting for the WAL's sync — so a slow disk pushes back on agents
 * instead of piling batches up in memory. {@link #offer} never blocks: when the bound is reached it
 * answers empty, and the caller tells the agent to retry later. The future of an accepted batch
 * completes when the store has made it durable. On shutdown the consumers finish what is queued
 * before the store closes. Thread-safe.
 *
 * <p>Series are resolved to store ids by the caller's thread as a batch is offered, through a
 * cache ({@link SeriesIds}), so a queued batch is three primitive arrays and a consumer only
 * appends it.
 */
public class IngestQueue implements DisposableBean {

    /** Told about every series a batch names, before its samples are appended. */
    @FunctionalInterface
    interface SeriesSink {
        void remember(SeriesId id, SeriesKey key, long ciId);
    }

    private static final Logger LOG = LoggerFactory.getLogger(IngestQueue.class);

    /** A batch as queued, its series resolved, and who waits for it. */
    private record Pending(Batch batch, CompletableFuture<AppendResult> done) {
    }

    /** Remembered series ids at most; about 200 bytes each beside the store's own index. */
    static final int MAX_CACHED_SERIES = 2_000_000;

    /** Runs each durable batch's waiters on a virtual thread of its own. */
    private static final java.util.concurrent.Executor ANSWERS = task -> Thread.ofVirtual().name("metrics-ack").start(task);

    private final MetricStore store;
    private final SeriesIds seriesIds;
    private final BlockingQueue<Pending> queue;
    private final java.util.concurrent.Semaphore notDurable;
    private final int capacity;
    private final List<Thread> consumers = new ArrayList<>();
    private volatile boolean running = true;

    IngestQueue(MetricStore store, SeriesSink catalog, int capacity, int consumerThreads) {
        this.store = store;
        this.seriesIds = new SeriesIds(store, catalog, MAX_CACHED_SERIES);
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.notDurable = new java.util.concurrent.Semaphore(capacity);
        this.capacity = capacity;
        for (int i = 0; i < consumerThreads; i++) {
            consumers.add(Thread.ofPlatform().name("metrics-ingest-" + i).daemon(false).start(this::consume));
        }
    }

    /**
     * Queues a batch of one CI's samples. Empty when the queue is full; otherwise a future that
     * completes once the samples are durable (or fails if the store could not write them).
     */
    public java.util.Optional<CompletableFuture<AppendResult>> offer(long ciId, List<MetricSample> samples) {
        if (!running || !notDurable.tryAcquire()) {
            return java.util.Optional.empty();
        }
        Batch batch;
        try {
            batch = toBatch(ciId, samples);
        } catch (RuntimeException e) {
            notDurable.release();
            throw e;
        }
        return enqueue(batch);
    }

    /**
     * Queues samples whose series were resolved with {@link #series}; empty when the queue is full,
     * otherwise a future that completes once they are durable.
     */
    public java.util.Optional<CompletableFuture<AppendResult>> offer(Batch batch) {
        if (!running || !notDurable.tryAcquire()) {
            return java.util.Optional.empty();
        }
        return enqueue(batch);
    }

    /**
     * The store id of {@code name{labels…, ci="ciId"}}, created and catalogued the first time.
     * {@code labels} exclude {@code ci} and must be immutable.
     */
    public SeriesId series(long ciId, String name, Map<String, String> labels) {
        return seriesIds.resolve(ciId, name, labels);
    }

    /** With a permit already taken. */
    private java.util.Optional<CompletableFuture<AppendResult>> enqueue(Batch batch) {
        var pending = new Pending(batch, new CompletableFuture<>());
        pending.done().whenComplete((r, e) -> notDurable.release());
        if (!queue.offer(pending)) {
            notDurable.release();
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(pending.done());
    }

    /** Batches accepted and not yet durable (queued, or appended and waiting for the WAL's sync). */
    public int inFlight() {
        return capacity - notDurable.availablePermits();
    }

    private void consume() {
        while (running || !queue.isEmpty()) {
            Pending next;
            try {
                next = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (next == null) {
                continue;
            }
            try {
                // Completed off the WAL's sync thread: what waits on a batch (the HTTP answer, written
                // and flushed to the sender) runs on a virtual thread, so the one sync thread goes
                // straight back to writing and syncing the next group of records instead of writing
                // every answer of the last group first.
                store.append(next.batch()).whenCompleteAsync((result, failure) -> {
                    if (failure != null) {
                        next.done().completeExceptionally(failure);
                    } else {
                        next.done().complete(result);
                    }
                }, ANSWERS);
            } catch (RuntimeException e) {
                LOG.error("could not append a batch of {} samples", next.batch().size(), e);
                next.done().completeExceptionally(e);
            }
        }
    }

    /**
     * Maps each sample's series (with the server's {@code ci} label, whatever the agent sent) to its
     * id. Consecutive samples of one series that share their label map are resolved once.
     */
    private Batch toBatch(long ciId, List<MetricSample> samples) {
        int n = samples.size();
        int[] series = new int[n];
        long[] timestamps = new long[n];
        double[] values = new double[n];
        Map<String, String> previousLabels = null;
        String previousName = null;
        int id = -1;
        for (int i = 0; i < n; i++) {
            MetricSample sample = samples.get(i);
            if (sample.labels() != previousLabels || !sample.name().equals(previousName)) {
                id = seriesIds.resolve(ciId, sample.name(), sample.labels()).value();
                previousLabels = sample.labels();
                previousName = sample.name();
            }
            series[i] = id;
            timestamps[i] = sample.timestamp().toEpochMilli();
            values[i] = sample.value();
        }
        return new Batch(series, timestamps, values);
    }

    @Override
    public void destroy() throws InterruptedException {
        running = false;
        for (Thread consumer : consumers) {
            consumer.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
