package io.opsbase.bench.agents;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import io.opsbase.protocol.Acknowledgement;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.MetricSample;
import io.opsbase.protocol.MetricsBatchRequest;
import io.opsbase.protocol.MetricsBatchResponse;
import io.opsbase.protocol.ProtocolJson;

/**
 * The monitoring side of one simulated agent, as the real agent behaves: it fetches its
 * configuration with the ETag it holds (an unchanged configuration costs a 304), collects
 * {@code series} samples every interval into an outbox, and sends the outbox oldest batch first
 * as signed gzip batches with an idempotency key each. A batch answered 429 (or 5xx, or lost in
 * transport) stays at the head of the outbox and is sent again after {@code Retry-After}, under the
 * same key; a batch leaves the outbox only when acknowledged ({@code ACCEPTED} or
 * {@code DUPLICATE}). Samples are stamped with the moment they were due, so a backlog is sent
 * later, never skipped. One virtual thread per agent; not thread-safe.
 */
final class MetricsReporter {

    /** One collected batch waiting in the outbox. */
    private record Pending(String key, byte[] json, int samples, long dueNanos) {
    }

    private final SimulatedAgent agent;
    private final AgentTransport transport;
    private MetricsLoadStats stats;
    private final String[] names;
    private final List<Map<String, String>> labels;
    private final ArrayDeque<Pending> outbox = new ArrayDeque<>();
    private String etag;
    private long acknowledgedSamples;

    MetricsReporter(SimulatedAgent agent, AgentTransport transport, MetricsLoadStats stats, int series) {
        this.agent = agent;
        this.transport = transport;
        this.stats = stats;
        this.names = new String[series];
        this.labels = new ArrayList<>(series);
        for (int i = 0; i < series; i++) {
            names[i] = "bench_metric_" + i / 10;
            labels.add(Map.of("slot", Integer.toString(i % 10)));
        }
    }

    /** The series this reporter writes: name and labels (the server adds {@code ci}). */
    static String name(int i) {
        return "bench_metric_" + i / 10;
    }

    static Map<String, String> labels(int i) {
        return Map.of("slot", Integer.toString(i % 10));
    }

    /** {@code GET /api/v1/agent/config} with the ETag held; 200 keeps the new ETag, 304 changes nothing. */
    void fetchConfig() throws IOException, InterruptedException {
        var answer = transport.getIfNoneMatch(agent.signer(), AgentEndpoints.CONFIG, etag, Duration.ofSeconds(60));
        switch (answer.status()) {
            case 200 -> {
                etag = answer.header("ETag").orElse(null);
                stats.configFetched(false);
            }
            case 304 -> stats.configFetched(true);
            default -> stats.failure("config " + answer.status() + " " + answer.text());
        }
    }

    /**
     * Collects every interval (as given by {@code intervalNanos}, which may change during the run)
     * until {@code collectUntil} (a System.nanoTime value, read each tick), then keeps delivering
     * until the outbox is empty or {@code drainUntil} has passed.
     */
    void run(LongSupplier intervalNanos, LongSupplier collectUntil, long drainUntil, long configEveryNanos)
            throws InterruptedException {
        long next = System.nanoTime() + ThreadLocalRandom.current().nextLong(intervalNanos.getAsLong());
        long nextConfig = System.nanoTime() + configEveryNanos;
        while (true) {
            long now = System.nanoTime();
            boolean collecting = now < collectUntil.getAsLong();
            if (!collecting && (outbox.isEmpty() || now > drainUntil)) {
                return;
            }
            while (collecting && now >= next && next < collectUntil.getAsLong()) {
                collect(next);
                next += intervalNanos.getAsLong();
            }
            if (collecting && now >= nextConfig) {
                nextConfig = now + configEveryNanos;
                try {
                    fetchConfig();
                } catch (IOException e) {
                    stats.failure("config: " + e);
                }
            }
            if (!outbox.isEmpty()) {
                deliverHead();
            } else {
                // Wake at the end of the step too, so a step lasts its length, not up to one interval more.
                long wake = collecting ? Math.min(Math.min(next, nextConfig), collectUntil.getAsLong()) : drainUntil;
                long sleep = wake - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(Duration.ofNanos(sleep));
                }
            }
        }
    }

    private void collect(long dueNanos) {
        Instant at = Instant.now().minusNanos(Math.max(0, System.nanoTime() - dueNanos));
        List<MetricSample> samples = new ArrayList<>(names.length);
        var random = ThreadLocalRandom.current();
        for (int i = 0; i < names.length; i++) {
            samples.add(new MetricSample(names[i], labels.get(i), at, Math.round(random.nextDouble() * 10_000) / 100.0));
        }
        String key = "m-" + UUID.randomUUID();
        outbox.addLast(new Pending(key, ProtocolJson.write(new MetricsBatchRequest(key, samples)), samples.size(), dueNanos));
        stats.collected(samples.size());
    }

    private void deliverHead() throws InterruptedException {
        Pending head = outbox.peekFirst();
        long t0 = System.nanoTime();
        AgentTransport.Answer answer;
        try {
            answer = transport.post(agent.signer(), AgentEndpoints.METRICS, head.json(), head.key());
        } catch (IOException e) {
            stats.failure("metrics: " + e);
            Thread.sleep(1000);
            return;
        }
        long t1 = System.nanoTime();
        if (answer.status() == 200) {
            var ack = ProtocolJson.read(answer.body(), MetricsBatchResponse.class).acknowledgement();
            if (ack.idempotencyKey().equals(head.key()) && (ack.status() == Acknowledgement.Status.ACCEPTED
                    || ack.status() == Acknowledgement.Status.DUPLICATE)) {
                outbox.removeFirst();
                acknowledgedSamples += head.samples();
                stats.acknowledged(head.samples(), t1 - t0, t1 - head.dueNanos());
                return;
            }
            stats.failure("metrics ack " + ack.status());
            outbox.removeFirst();
            return;
        }
        if (answer.status() == 429 || answer.status() >= 500 || answer.status() == 401) {
            // Kept at the head of the outbox and sent again, as the real agent does.
            stats.refused(answer.status());
            long wait = answer.header("Retry-After").map(Long::parseLong).orElse(1L);
            Thread.sleep(Duration.ofSeconds(Math.clamp(wait, 1, 30)));
            return;
        }
        stats.failure("metrics " + answer.status() + " " + answer.text());
        outbox.removeFirst();
    }

    /** Counts into {@code stats} from now on (one instance per step of a run). */
    void rebind(MetricsLoadStats stats) {
        this.stats = stats;
    }

    long acknowledgedSamples() {
        return acknowledgedSamples;
    }

    int outboxSize() {
        return outbox.size();
    }

    SimulatedAgent agent() {
        return agent;
    }
}
