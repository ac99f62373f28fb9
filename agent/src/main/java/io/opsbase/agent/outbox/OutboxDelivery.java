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
 * leaves the outbox only when the server acknowledges its idempotency key (a 409 counts: the server
 * already holds the report), or when the server says the entry itself can never be accepted — 400,
 * 413 or 422; keeping it would block every later report. Every other answer keeps the entry and
 * backs off: a 404 from a server in the middle of an upgrade or a misrouted proxy, 401/403 (an agent
 * revoked or unknown, or a clock that is off — all curable without losing reports), 408, 429, 5xx
 * and transport failures. See {@link Verdict}.
 */
public final class OutboxDelivery implements Runnable {

    /** What one delivery attempt did. */
    public enum Outcome { EMPTY, DELIVERED, REFUSED, RETRY_LATER }

    /** What a refusal means for the entry. */
    enum Verdict {
        /** The server already holds a report with this key. */
        ALREADY_DELIVERED,
        /** This entry can never be accepted, however often it is sent. */
        NEVER_ACCEPTABLE,
        /** Something that may pass: keep the entry and try again later. */
        TRY_AGAIN;

        static Verdict of(int status) {
            return switch (status) {
                case 409 -> ALREADY_DELIVERED;
                case 400, 413, 422 -> NEVER_ACCEPTABLE;
                default -> TRY_AGAIN;
            };
        }
    }

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
            return refused(entry, e);
        } catch (IOException e) {
            LOG.warn("outbox: cannot reach the server ({}); {} entries wait", e.toString(), outbox.size());
            return Outcome.RETRY_LATER;
        }
    }

    private Outcome refused(OutboxEntry entry, ServerRejection e) {
        switch (Verdict.of(e.status())) {
            case ALREADY_DELIVERED -> {
                LOG.info("outbox: the server already holds entry {} ({} {}); it counts as delivered",
                        entry.sequence(), entry.path(), entry.idempotencyKey());
                removeQuietly(entry.sequence());
                return Outcome.DELIVERED;
            }
            case NEVER_ACCEPTABLE -> {
                LOG.error("outbox: dropping entry {} ({} {}): the server refuses it for good ({}), so it would block every later report",
                        entry.sequence(), entry.path(), entry.idempotencyKey(), e.getMessage());
                removeQuietly(entry.sequence());
                return Outcome.REFUSED;
            }
            default -> {
                if (e.status() == 401 || e.status() == 403) {
                    LOG.warn("outbox: the server does not accept this agent's reports ({}): is the agent revoked or unknown to this server,"
                            + " or its clock off? {} entries are kept and retried", e.status(), outbox.size());
                } else {
                    LOG.warn("outbox: the server answered {} for entry {}; {} entries are kept and retried", e.status(), entry.sequence(),
                            outbox.size());
                }
                return Outcome.RETRY_LATER;
            }
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
