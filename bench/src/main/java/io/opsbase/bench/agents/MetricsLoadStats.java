package io.opsbase.bench.agents;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulated reporters did in one step of a metrics-load run: samples collected and
 * acknowledged, acknowledgement latency (one request, send to answer) and delivery latency
 * (sample due to acknowledged, retries after 429 included), refusals by status, failures by
 * message. A new instance per step. Thread-safe.
 */
final class MetricsLoadStats {

    final Latencies ack = new Latencies("acknowledgement (POST → 200, one request)");
    final Latencies delivery = new Latencies("delivery (sample due → acknowledged, retries included)");
    private final AtomicLong collected = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong configs = new AtomicLong();
    private final AtomicLong configsNotModified = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicLong> refusals = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicLong> failures = new ConcurrentHashMap<>();

    void collected(int samples) {
        collected.addAndGet(samples);
    }

    void acknowledged(int samples, long requestNanos, long deliveryNanos) {
        acknowledged.addAndGet(samples);
        batches.incrementAndGet();
        ack.record(requestNanos);
        delivery.record(deliveryNanos);
    }

    void refused(int status) {
        refusals.computeIfAbsent(Integer.toString(status), k -> new AtomicLong()).incrementAndGet();
    }

    void configFetched(boolean notModified) {
        (notModified ? configsNotModified : configs).incrementAndGet();
    }

    void failure(String why) {
        failures.computeIfAbsent(why.length() > 160 ? why.substring(0, 160) : why, k -> new AtomicLong()).incrementAndGet();
    }

    long collected() {
        return collected.get();
    }

    long acknowledged() {
        return acknowledged.get();
    }

    long batches() {
        return batches.get();
    }

    String refusals() {
        return refusals.isEmpty() ? "none" : refusals.toString();
    }

    String configs() {
        return configs.get() + " × 200, " + configsNotModified.get() + " × 304";
    }

    long failureCount() {
        return failures.values().stream().mapToLong(AtomicLong::get).sum();
    }

    String failures() {
        var sb = new StringBuilder();
        failures.forEach((k, v) -> sb.append("  ").append(v.get()).append(" × ").append(k).append('\n'));
        return sb.toString();
    }
}
