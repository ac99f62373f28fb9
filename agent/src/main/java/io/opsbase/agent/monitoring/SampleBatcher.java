package io.opsbase.agent.monitoring;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.opsbase.agent.json.Messages;
import io.opsbase.agent.outbox.Outbox;
import io.opsbase.agent.plugins.MetricPoint;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.MetricSample;
import io.opsbase.protocol.MetricsBatchRequest;

/**
 * Collects samples between flushes and writes them to the outbox as metrics batches of at most
 * {@code maxPerBatch} samples, each under a fresh idempotency key. Once in the outbox a batch
 * survives restarts and outages, and is removed only when the server has acknowledged it durable.
 * Thread-safe: items on several threads add, the scheduler flushes.
 */
public final class SampleBatcher {

    private final Outbox outbox;
    private final int maxPerBatch;
    private final List<MetricSample> pending = new ArrayList<>();

    public SampleBatcher(Outbox outbox, int maxPerBatch) {
        this.outbox = outbox;
        this.maxPerBatch = maxPerBatch;
    }

    /** Adds points collected at {@code collectedAt}; a point with its own timestamp keeps it. */
    public synchronized void add(List<MetricPoint> points, Instant collectedAt) {
        for (MetricPoint p : points) {
            Instant t = p.hasTimestamp() ? Instant.ofEpochMilli(p.timestampMillis()) : collectedAt;
            pending.add(new MetricSample(p.name(), p.labels(), t, p.value()));
        }
    }

    public synchronized int pending() {
        return pending.size();
    }

    /** Writes everything collected so far to the outbox; answers how many batches were written. */
    public int flush() throws IOException {
        List<MetricSample> taken;
        synchronized (this) {
            if (pending.isEmpty()) {
                return 0;
            }
            taken = new ArrayList<>(pending);
            pending.clear();
        }
        int batches = 0;
        for (int from = 0; from < taken.size(); from += maxPerBatch) {
            List<MetricSample> slice = taken.subList(from, Math.min(taken.size(), from + maxPerBatch));
            String key = "metrics-" + UUID.randomUUID();
            outbox.append(AgentEndpoints.METRICS, key, Messages.metricsBatchRequest(new MetricsBatchRequest(key, slice)));
            batches++;
        }
        return batches;
    }
}
