package io.opsbase.agent.outbox;

import java.io.IOException;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.transport.Backoff;
import io.opsbase.agent.transport.ServerClient;
import io.opsbase.agent.transport.ServerRejection;

/**
 * Sends the outbox to the server, oldest first, one entry at a time so the order holds. An entry
 * leaves the outbox only when the server acknowledges its idempotency key, or when the server
 * refuses it for good (a 4xx that no retry can fix: it would block every later report). Transport
 * failures and retryable rejections keep the entry and back off.
 */
public final class OutboxDelivery implements Runnable {

    /** What one delivery attempt did. */
    public enum Outcome { EMPTY, DELIVERED, REFUSED, RETRY_LATER }

    private static final Logger LOG = LoggerFactory.getLogger(OutboxDelivery.class);

    private final Outbox outbox;
    private final ServerClient client;
    private final Backoff backoff;

    public OutboxDelivery(Outbox outbox, ServerClient client, Backoff backoff) {
        this.outbox = outbox;
        this.client = client;
        this.backoff = backoff;
    }

    /** Tries to deliver the oldest entry, waiting up to {@code wait} for one to appear. */
    public Outcome deliverOnce(Duration wait) throws InterruptedException {
        var next = outbox.awaitOldest(wait);
        if (next.isEmpty()) {
            return Outcome.EMPTY;
        }
        var entry = next.get();
        try {
            var ack = client.report(entry.path(), entry.idempotencyKey(), entry.body());
            if (!ack.acknowledges(entry.idempotencyKey())) {
                LOG.warn("outbox: the server acknowledged {} instead of {}; the entry stays", ack.idempotencyKey(), entry.idempotencyKey());
                return Outcome.RETRY_LATER;
            }
            outbox.remove(entry.sequence());
            return Outcome.DELIVERED;
        } catch (ServerRejection e) {
            if (e.isRetryable()) {
                return Outcome.RETRY_LATER;
            }
            LOG.error("outbox: dropping entry {} ({} {}) that the server refuses for good: {}",
                    entry.sequence(), entry.path(), entry.idempotencyKey(), e.getMessage());
            removeQuietly(entry.sequence());
            return Outcome.REFUSED;
        } catch (IOException e) {
            LOG.warn("outbox: cannot reach the server ({}); {} entries wait", e.toString(), outbox.size());
            return Outcome.RETRY_LATER;
        }
    }

    private void removeQuietly(long sequence) {
        try {
            outbox.remove(sequence);
        } catch (IOException e) {
            LOG.warn("outbox: cannot delete entry {} ({})", sequence, e.toString());
        }
    }

    @Override
    public void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Outcome outcome;
                try {
                    outcome = deliverOnce(Duration.ofMinutes(1));
                } catch (RuntimeException e) {
                    // Delivery must outlive any single failure, or the outbox would only grow.
                    LOG.error("outbox: delivery failed unexpectedly", e);
                    outcome = Outcome.RETRY_LATER;
                }
                if (outcome == Outcome.RETRY_LATER) {
                    backoff.pauseAfterFailure();
                } else if (outcome != Outcome.EMPTY) {
                    backoff.reset();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
