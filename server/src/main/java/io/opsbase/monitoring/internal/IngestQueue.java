package io.opsbase.monitoring.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 */
public class IngestQueue implements DisposableBean {

    /** Told about every series a batch names, before its samples are appended. */
    @FunctionalInterface
    interface SeriesSink {
        void remember(SeriesId id, SeriesKey key, long ciId);
    }

    private static final Logger LOG = LoggerFactory.getLogger(IngestQueue.class);

    /** A batch as queued: the CI it belongs to, its samples, and who waits for it. */
    private record Pending(long ciId, List<MetricSample> samples, CompletableFuture<AppendResult> done) {
    }

    private final MetricStore store;
    private final SeriesSink catalog;
    private final BlockingQueue<Pending> queue;
    private final java.util.concurrent.Semaphore notDurable;
    private final int capacity;
    private final List<Thread> consumers = new ArrayList<>();
    private volatile boolean running = true;

    IngestQueue(MetricStore store, SeriesSink catalog, int capacity, int consumerThreads) {
        this.store = store;
        this.catalog = catalog;
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
        var pending = new Pending(ciId, samples, new CompletableFuture<>());
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
                store.append(toBatch(next)).whenComplete((result, failure) -> {
                    if (failure != null) {
                        next.done().completeExceptionally(failure);
                    } else {
                        next.done().complete(result);
                    }
                });
            } catch (RuntimeException e) {
                LOG.error("could not append a batch of {} samples for CI {}", next.samples().size(), next.ciId(), e);
                next.done().completeExceptionally(e);
            }
        }
    }

    /**
     * Maps each sample's series (with the server's {@code ci} label, whatever the agent sent) to its
     * id. Consecutive samples of one series that share their label map (a remote-write series with
     * several samples) are resolved once.
     */
    private Batch toBatch(Pending pending) {
        Batch.Builder batch = Batch.builder();
        String ci = Long.toString(pending.ciId());
        Map<String, String> previousLabels = null;
        String previousName = null;
        SeriesId id = null;
        for (MetricSample sample : pending.samples()) {
            if (sample.labels() != previousLabels || !sample.name().equals(previousName)) {
                TreeMap<String, String> labels = new TreeMap<>(sample.labels());
                labels.put("ci", ci);
                SeriesKey key = new SeriesKey(sample.name(), labels);
                id = store.series(key);
                catalog.remember(id, key, pending.ciId());
                previousLabels = sample.labels();
                previousName = sample.name();
            }
            batch.add(id, sample.timestamp().toEpochMilli(), sample.value());
        }
        return batch.build();
    }

    @Override
    public void destroy() throws InterruptedException {
        running = false;
        for (Thread consumer : consumers) {
            consumer.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
